from datetime import UTC, datetime

import pytest
from django.core.cache import cache
from django.utils import translation

from solibook.core.tenancy import business_scope
from solibook.retention.selectors import SEGMENTS, churn_risk, rfm, segment_clients
from solibook.retention.tests.synthetic import small_salon
from solibook.testing.factories import BusinessFactory

NOW = datetime(2026, 11, 2, 10, tzinfo=UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache():
    cache.clear()


def test_a_new_salon_has_no_probability_and_uses_the_recency_rule():
    truth = small_salon(now=NOW, clients=12, days=40)
    risks = churn_risk(business=truth.business, now=NOW)
    assert risks, "cards with visits get a band"
    assert all(r.probability is None and r.method == "recency" for r in risks.values())
    assert {r.band for r in risks.values()} <= {"low", "medium", "high"}


def test_a_salon_with_no_history_has_nothing():
    business = BusinessFactory()
    assert churn_risk(business=business, now=NOW) == {}
    assert rfm(business=business, now=NOW) == {}
    with business_scope(business):
        assert list(segment_clients(business=business, code="lost", now=NOW)) == []


def test_the_model_scores_churners_higher_with_reasons_in_words():
    truth = small_salon(now=NOW, clients=300)
    risks = churn_risk(business=truth.business, now=NOW)
    assert all(r.method == "model" and 0 <= r.probability <= 1 for r in risks.values())
    gone = [r.probability for cid, r in risks.items() if cid in truth.churners]
    stay = [r.probability for cid, r in risks.items() if cid not in truth.churners]
    assert sum(gone) / len(gone) > sum(stay) / len(stay) + 0.2
    high = [r for r in risks.values() if r.band == "high"]
    assert high and all(r.reasons for r in high[:20])
    with translation.override("fr"):
        some = churn_risk(business=truth.business, now=NOW, clients=list(risks)[:5])
    assert set(some) == set(list(risks)[:5])


def test_segments_cover_every_card_with_a_visit_and_are_client_querysets():
    truth = small_salon(now=NOW, clients=200)
    scores = rfm(business=truth.business, now=NOW)
    assert {s.segment for s in scores.values()} <= set(SEGMENTS)
    with business_scope(truth.business):
        total = sum(
            segment_clients(business=truth.business, code=code, now=NOW).count()
            for code in SEGMENTS
        )
    assert total == len(scores)
    lost = [s for s in scores.values() if s.segment in ("lost", "hibernating")]
    champions = [s for s in scores.values() if s.segment == "champions"]
    assert min(s.days_since for s in lost) > max(s.days_since for s in champions)


def test_another_salon_sees_none_of_these_cards():
    truth = small_salon(now=NOW, clients=80)
    other = small_salon(now=NOW, clients=80, seed=4)
    mine = set(churn_risk(business=truth.business, now=NOW))
    theirs = set(churn_risk(business=other.business, now=NOW))
    assert mine and theirs and not mine & theirs
    with business_scope(other.business):
        ids = set(
            segment_clients(business=other.business, code="lost", now=NOW).values_list(
                "pk", flat=True
            )
        )
    assert not ids & mine
    assert not set(churn_risk(business=other.business, now=NOW, clients=list(mine)))
