"""Reads of commissions: a salon's lines with their evidence, the operator's
disputes, a salon's boosts with their figures."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Sum
from django_scopes import scopes_disabled

from solibook.commissions.models import CommissionLine, Dispute, LineStatus
from solibook.marketplace.models import Promotion, PromotionDay


def lines_of(*, business, status: str = ""):
    lines = (
        CommissionLine.objects.filter(business=business)
        .select_related("client_card", "appointment__location")
        .prefetch_related("disputes")
    )
    if status in LineStatus.values:
        lines = lines.filter(status=status)
    return lines


@dataclass
class Totals:
    charged: int
    reversed: int
    currency: str

    @property
    def net(self) -> int:
        return self.charged - self.reversed


def totals_of(*, business) -> Totals:
    sums = CommissionLine.objects.filter(business=business).aggregate(
        charged=Sum("amount"), reversed=Sum("reversed_amount")
    )
    return Totals(sums["charged"] or 0, sums["reversed"] or 0, business.currency)


def disputes_for_platform(*, status: str = Dispute.Status.OPEN):
    """Every salon's disputes (the operator's queue), oldest open first."""
    with scopes_disabled():
        disputes = Dispute.objects.select_related(
            "line", "line__business", "opened_by", "decided_by"
        )
        if status in Dispute.Status.values:
            disputes = disputes.filter(status=status)
        return list(disputes.order_by("created_at", "id")[:200])


@dataclass
class Boost:
    promotion: Promotion
    impressions: int
    clicks: int
    bookings: int
    cost: int
    spent_today: int


def boosts_of(*, business, today: date) -> list[Boost]:
    promotions = list(
        Promotion.objects.filter(business=business).select_related("category").order_by("-id")
    )
    figures = {
        row["promotion_id"]: row
        for row in PromotionDay.objects.filter(promotion__in=promotions)
        .values("promotion_id")
        .annotate(
            impressions=Sum("impressions"),
            clicks=Sum("clicks"),
            bookings=Sum("bookings"),
            cost=Sum("spent"),
        )
    }
    today_spent = dict(
        PromotionDay.objects.filter(promotion__in=promotions, day=today).values_list(
            "promotion_id", "spent"
        )
    )
    return [
        Boost(
            promotion=p,
            impressions=figures.get(p.pk, {}).get("impressions") or 0,
            clicks=figures.get(p.pk, {}).get("clicks") or 0,
            bookings=figures.get(p.pk, {}).get("bookings") or 0,
            cost=figures.get(p.pk, {}).get("cost") or 0,
            spent_today=today_spent.get(p.pk, 0),
        )
        for p in promotions
    ]


def lines_on_invoice(*, business, sources) -> list[CommissionLine]:
    """The commission lines behind an invoice's charges (`sources`: its charges'
    sources; a reversal's source names its line too), with their evidence."""
    ids = set()
    for source in sources:
        head = source.removeprefix("commissions.line:")
        if head != source and head.split(":", 1)[0].isdigit():
            ids.add(int(head.split(":", 1)[0]))
    if not ids:
        return []
    return list(
        CommissionLine.objects.filter(business=business, pk__in=ids)
        .select_related("client_card", "appointment__location")
        .order_by("occurred_at", "id")
    )
