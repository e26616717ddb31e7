"""The models against their naive baselines on the held-out labelled reviews, and bad input."""

import pytest

from solibook.reviewanalysis import engine
from solibook.reviewanalysis.evaluation import evaluate
from solibook.testing.salon import NOW


@pytest.fixture(scope="module")
def models():
    return engine.train()


@pytest.mark.django_db
def test_every_model_beats_its_baseline_on_the_held_out_reviews(salon):
    results = {e.name: e for e in evaluate(business=salon.business, now=NOW)}
    assert set(results) == {
        "review sentiment (en)",
        "review sentiment (fr)",
        "review sentiment (ru)",
        "review sentiment (ar)",
        "review aspects mentioned",
        "review language (en/fr/ru/ar/other)",
    }
    for result in results.values():
        assert result.beats_baseline, result
    # Outside English the lexicon finds nothing; the embeddings read the three languages.
    for lang in ("fr", "ru", "ar"):
        assert results[f"review sentiment ({lang})"].baseline < 0.3
        assert results[f"review sentiment ({lang})"].model >= 0.55
    assert results["review language (en/fr/ru/ar/other)"].model >= 0.95


@pytest.mark.parametrize(
    "text",
    [
        "Die Friseurin war sehr freundlich, aber der Schnitt ist leider schief geworden.",
        "理发师很好，但是等了很久，价格也太贵了。",
        "El corte quedó precioso y el personal fue muy amable.",
    ],
)
def test_a_fifth_language_is_reported_as_another_language(models, text):
    reading = engine.read(models, text)
    assert reading.language == engine.OTHER and reading.language_note == "foreign"
    assert reading.sentiment in engine.SENTIMENTS  # read anyway, never a crash


@pytest.mark.parametrize("text", ["", "   ", "!!! 5/5 ???", "\n\n"])
def test_an_empty_review_has_no_sentiment_and_no_aspects(models, text):
    reading = engine.read(models, text)
    assert reading.sentiment == "" and reading.aspects == {} and reading.language == engine.OTHER


def test_a_review_is_cut_at_but_and_each_part_finds_its_aspect(models):
    reading = engine.read(
        models, "Цвет получился потрясающий, но ждала почти сорок минут после записи."
    )
    assert reading.language == "ru"
    assert reading.aspects["result"]["polarity"] == "pos"
    assert reading.aspects["punctuality"]["polarity"] == "neg"
    assert "сорок минут" in reading.aspects["punctuality"]["quote"]
    assert reading.sentiment == "mixed"


def test_the_lexicon_baseline_is_blind_outside_english():
    assert engine.lexicon_sentiment("Terrible, rude and dirty.") == "negative"
    assert engine.lexicon_sentiment("Ужасно, грубо и грязно.") == "mixed"
