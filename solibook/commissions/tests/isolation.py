"""Business B's commission line and boost, for platform/tests/test_isolation.py."""

from datetime import UTC, datetime

from django_scopes import scopes_disabled

from solibook.commissions.models import CommissionLine, LineStatus, TouchKind
from solibook.marketplace.models import Promotion


def objects_of_b(b, appointment) -> dict:
    at = datetime(2030, 1, 3, 12, tzinfo=UTC)
    with scopes_disabled():
        line = CommissionLine.objects.create(
            business=b,
            appointment=appointment,
            kind="visit",
            base_amount=1000,
            rate_bp=2000,
            amount=200,
            currency=b.currency,
            status=LineStatus.PENDING,
            touch_kind=TouchKind.SEARCH,
            occurred_at=at,
        )
        boost = Promotion.objects.create(
            business=b, starts_on=at.date(), ends_on=at.date(), price_amount=500, currency="EUR"
        )
    return {"line_id": line.pk, "promotion_id": boost.pk}
