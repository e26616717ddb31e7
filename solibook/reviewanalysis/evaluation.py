"""Review analysis against its naive baselines on the held-out labelled reviews
(`data/heldout.json`, never used for training).

- sentiment macro-F1 per language: the model (hand-labelled phrases + the salon's star ratings
  before `now` as weak labels) vs an English-only sentiment lexicon;
- aspect F1 (micro, over the aspects each review mentions): the model vs English aspect keywords;
- language identification accuracy (the four languages and texts in German, Chinese, Spanish,
  Italian, which must come out as "other"): lingua vs the text's alphabet.
"""

from __future__ import annotations

import numpy as np
from django_scopes import scopes_disabled
from sklearn.metrics import f1_score  # type: ignore[import-untyped]

from solibook.core.evaluation import Evaluation
from solibook.reviewanalysis import engine
from solibook.reviewanalysis.models import ReviewAnalysis
from solibook.reviews.models import ReviewStatus

AREA = "reviewanalysis"


def _weak(business, now) -> list[tuple[np.ndarray, int]]:
    with scopes_disabled():
        rows = (
            ReviewAnalysis.objects.filter(
                business=business,
                review__status=ReviewStatus.PUBLISHED,
                review__created_at__lt=now,
            )
            .exclude(embedding=b"")
            .values_list("embedding", "review__rating")
        )
        return [
            (np.frombuffer(bytes(blob), dtype=np.float32), rating)
            for blob, rating in rows
            if len(bytes(blob)) == engine.DIM * 4
        ]


def _micro_f1(gold: list[set], found: list[set]) -> float:
    tp = sum(len(g & f) for g, f in zip(gold, found, strict=True))
    fp = sum(len(f - g) for g, f in zip(gold, found, strict=True))
    fn = sum(len(g - f) for g, f in zip(gold, found, strict=True))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def evaluate(*, business, now) -> list[Evaluation]:
    weak = _weak(business, now)
    models = engine.train(weak)
    data = engine.heldout()
    reviews = data["reviews"]
    readings = [engine.read(models, r["text"]) for r in reviews]
    train_size = models.train_size + models.weak_size
    out = []
    for lang in engine.LANGUAGES:
        idx = [i for i, r in enumerate(reviews) if r["lang"] == lang]
        gold = [reviews[i]["sentiment"] for i in idx]
        model = [readings[i].sentiment for i in idx]
        lexicon = [engine.lexicon_sentiment(reviews[i]["text"]) for i in idx]
        out.append(
            Evaluation(
                area=AREA,
                name=f"review sentiment ({lang})",
                metric="macro-F1",
                model=round(float(f1_score(gold, model, average="macro", zero_division=0)), 3),
                baseline=round(float(f1_score(gold, lexicon, average="macro", zero_division=0)), 3),
                baseline_name="English sentiment lexicon",
                higher_is_better=True,
                train_size=train_size,
                test_size=len(idx),
                details={"weak_labels": models.weak_size, "labelled_phrases": models.train_size},
            )
        )
    gold_aspects = [set(r["aspects"]) for r in reviews]
    found = [set(reading.aspects) for reading in readings]
    keywords = [engine.keyword_aspects(r["text"]) for r in reviews]
    per_lang = {
        lang: {
            "model": round(
                _micro_f1(
                    [g for g, r in zip(gold_aspects, reviews, strict=True) if r["lang"] == lang],
                    [f for f, r in zip(found, reviews, strict=True) if r["lang"] == lang],
                ),
                3,
            ),
            "baseline": round(
                _micro_f1(
                    [g for g, r in zip(gold_aspects, reviews, strict=True) if r["lang"] == lang],
                    [k for k, r in zip(keywords, reviews, strict=True) if r["lang"] == lang],
                ),
                3,
            ),
        }
        for lang in engine.LANGUAGES
    }
    out.append(
        Evaluation(
            area=AREA,
            name="review aspects mentioned",
            metric="micro-F1",
            model=round(_micro_f1(gold_aspects, found), 3),
            baseline=round(_micro_f1(gold_aspects, keywords), 3),
            baseline_name="English aspect keywords",
            higher_is_better=True,
            train_size=models.train_size,
            test_size=len(reviews),
            details={"per_language": per_lang},
        )
    )
    texts = [(r["text"], r["lang"]) for r in reviews] + [
        (r["text"], engine.OTHER) for r in data["other_languages"]
    ]
    detected = [engine.detect_language(t).code for t, _lang in texts]
    script = [engine.script_language(t) for t, _lang in texts]
    out.append(
        Evaluation(
            area=AREA,
            name="review language (en/fr/ru/ar/other)",
            metric="accuracy",
            model=round(
                float(np.mean([d == g for d, (_t, g) in zip(detected, texts, strict=True)])), 3
            ),
            baseline=round(
                float(np.mean([s == g for s, (_t, g) in zip(script, texts, strict=True)])), 3
            ),
            baseline_name="alphabet (Latin = English)",
            higher_is_better=True,
            train_size=0,
            test_size=len(texts),
            details={"other_language_texts": len(data["other_languages"])},
        )
    )
    return out
