"""Services and masters named in a message, matched fuzzily against the catalogue's names.

Each catalogue name is cut into content words (folded, Arabic article taken off, stop words
and numbers dropped); each of those words is looked for in the message with RapidFuzz, so
"manicur", "маникюра" and "مانكير" still find "Маникюр". An entry scores the words of the
message it explains, each weighted by how rare the word is in the catalogue (a word found in
one service's names says more than "haircut", found in four), then by how much of its best
name the message covers. Entries within a hair of the best are reported together as
ambiguous; the words the best one explained are then taken out and the rest is searched
again, so "haircut and beard trim" names two services.

Masters' Cyrillic names also get a Latin spelling, so "with Ekaterina" finds "Екатерина".
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from solibook.assistant.understanding import CatalogueEntry
from solibook.assistant.understanding import text as text_

_STOP = {
    "a", "an", "and", "the", "of", "with", "for", "to", "on", "in", "at", "my", "me", "i",
    "you", "your", "is", "are", "it", "this", "that", "some", "please", "et", "avec", "de",
    "du", "des", "la", "le", "les", "pour", "un", "une", "en", "au", "aux", "d", "l", "je",
    "moi", "mon", "ma", "mes", "votre", "vos", "и", "с", "в", "на", "для", "по", "к", "от",
    "до", "за", "у", "о", "об", "я", "мне", "меня", "мой", "моя", "мою", "و", "في", "مع",
    "على", "من", "ل", "عند", "ابي", "ابغى", "اريد",
}  # fmt: skip
_AR_PREFIX = ("وال", "بال", "فال", "كال", "لل", "ال")
_CYR_TO_LAT = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
        "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
        "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch",
        "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    }
)  # fmt: skip
TIE = 0.9  # an entry scoring at least this share of the best is a candidate too


def stem(word: str) -> str:
    for prefix in _AR_PREFIX:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            return word[len(prefix) :]
    return word


def _token(word: str) -> str:
    return stem(word.removesuffix("'s"))


def content_words(value: str) -> list[str]:
    out = []
    for word in text_.words(value.replace("-", " ")):
        word = _token(word)
        if word in _STOP or word.isdigit() or len(word) < 2:
            continue
        out.append(word)
    return out


def similar(a: str, b: str) -> float:
    """0..1: how surely two words are the same word (typos, endings, Arabic prefixes).

    Short words must be equal ("have" is not "shave"); longer ones may differ by a typo or
    two, or by an inflected ending on a shared stem ("стрижку" / "стрижка")."""
    if a == b:
        return 1.0
    if a.rstrip("s") == b.rstrip("s") and len(a.rstrip("s")) >= 3:
        return 0.95  # plural or possessive: "mens" / "men", "brows" / "brow"
    shortest = min(len(a), len(b))
    if shortest <= 4:
        return 0.0
    common = len(os.path.commonprefix([a, b]))
    if common >= max(5, shortest - 2) and abs(len(a) - len(b)) <= 3:
        return 0.9
    if a[0] != b[0]:
        return 0.0  # a typo rarely hits the first letter; a different word often differs there
    ratio = fuzz.ratio(a, b) / 100
    needed = 0.8 if shortest >= 6 else 0.85
    return ratio if ratio >= needed else 0.0


@dataclass(frozen=True)
class _Name:
    entry_id: int
    words: tuple[str, ...]


@lru_cache(maxsize=64)
def _index(entries: tuple[CatalogueEntry, ...], latin: bool) -> tuple[tuple[_Name, ...], dict]:
    names = []
    for entry in entries:
        variants = list(entry.names)
        if latin:
            variants += [text_.fold(n).translate(_CYR_TO_LAT) for n in entry.names]
        for name in dict.fromkeys(variants):
            words = tuple(dict.fromkeys(content_words(name)))
            if words:
                names.append(_Name(entry.id, words))
    owners: dict[str, set[int]] = {}
    for name in names:
        for word in name.words:
            owners.setdefault(word, set()).add(name.entry_id)
    weights = {word: 1 / math.sqrt(len(ids)) for word, ids in owners.items()}
    return tuple(names), weights


@dataclass
class _Score:
    entry_id: int
    weight: float
    coverage: float
    used: frozenset[int]  # positions of the message's words explained


def _score(names, weights, tokens: list[str]) -> dict[int, _Score]:
    best: dict[int, _Score] = {}
    for name in names:
        used: set[int] = set()
        weight = 0.0
        matched = 0
        for word in name.words:
            hit = max(
                ((similar(word, token), i) for i, token in enumerate(tokens) if i not in used),
                default=(0.0, -1),
            )
            if hit[0] > 0:
                used.add(hit[1])
                weight += hit[0] * weights.get(word, 1.0)
                matched += 1
        if not matched:
            continue
        coverage = matched / len(name.words)
        score = _Score(name.entry_id, weight, coverage, frozenset(used))
        current = best.get(name.entry_id)
        if current is None or (score.weight, score.coverage) > (current.weight, current.coverage):
            best[name.entry_id] = score
    return best


def match(
    message: str, entries: tuple[CatalogueEntry, ...], *, latin: bool = False, many: bool = True
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(ids found, ambiguous candidate ids): found ones are sure; candidates tie."""
    if not entries:
        return (), ()
    names, weights = _index(entries, latin)
    tokens = [_token(w) for w in text_.words(message.replace("-", " "))]
    tokens = [t if t not in _STOP else "" for t in tokens]
    found: list[int] = []
    for _round in range(3 if many else 1):
        scores = _score(names, weights, tokens)
        scores = {k: v for k, v in scores.items() if k not in found}
        if not scores:
            break
        top = max(scores.values(), key=lambda s: (s.weight, s.coverage))
        if top.weight < 0.3 or (top.coverage < 0.34 and top.weight < 0.6):
            break
        close = [
            s
            for s in scores.values()
            if s.weight >= TIE * top.weight and s.coverage >= top.coverage - 0.01
        ]
        if len(close) > 1:
            return tuple(found), tuple(sorted(s.entry_id for s in close))
        found.append(top.entry_id)
        # Words any name of a found entry explains are spent: "manicure with gel polish"
        # is one service, not the gel one plus the plain manicure.
        spent = {w for name in names if name.entry_id == top.entry_id for w in name.words}
        tokens = [
            "" if i in top.used or any(similar(t, w) for w in spent) else t
            for i, t in enumerate(tokens)
        ]
        if not any(re.search(r"\w{2,}", t) for t in tokens):
            break
    return tuple(found), ()
