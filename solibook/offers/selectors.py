"""Offer reads: badges for listings, and off-peak prices for the slot picker.

Keep `offer_badges` stable: search results and salon pages call it.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from solibook.offers.models import OffPeakRule


def _current(rules, day: date | None):
    today = day or timezone.now().date()
    rules = rules.filter(is_active=True).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    )
    if day is not None:
        rules = rules.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day))
    return rules


def offer_badges(business_ids: Iterable[int], *, day: date | None = None) -> dict[int, list[str]]:
    """{business_id: ["−20% off-peak"]}: short translated labels of the
    offers running (on `day` when given, else from today on). Every id asked
    for is in the answer. One query."""
    ids = {int(i) for i in business_ids}
    badges: dict[int, list[str]] = {i: [] for i in ids}
    if not ids:
        return badges
    with scopes_disabled():
        rows = list(
            _current(OffPeakRule.objects.filter(business_id__in=ids), day).values_list(
                "business_id", "discount_percent", "weekdays"
            )
        )
    best: dict[int, set[int]] = {}
    for business_id, percent, weekdays in rows:
        if day is not None and day.weekday() not in (weekdays or []):
            continue
        best.setdefault(business_id, set()).add(percent)
    for business_id, percents in best.items():
        if len(percents) == 1:
            badges[business_id].append(_("−%(percent)s%% off-peak") % {"percent": max(percents)})
        else:
            badges[business_id].append(
                _("Up to −%(percent)s%% off-peak") % {"percent": max(percents)}
            )
    return badges


@dataclass(frozen=True, slots=True)
class OffPeakPrice:
    rule_id: int
    percent: int
    discount_amount: int
    price_amount: int  # after the discount


class OffPeakPricer:
    """Off-peak rules of one location, loaded once: price a slot by its local start."""

    def __init__(self, *, business_id: int, location_id: int, day_from: date, day_to: date):
        with scopes_disabled():
            rules = OffPeakRule.objects.filter(business_id=business_id, is_active=True).filter(
                Q(location_id=location_id) | Q(location__isnull=True)
            )
            rules = rules.filter(
                Q(valid_until__isnull=True) | Q(valid_until__gte=day_from),
                Q(valid_from__isnull=True) | Q(valid_from__lte=day_to),
            )
            self.rules = list(rules.order_by("-discount_percent", "id"))

    def price(self, local_start: datetime, price_amount: int) -> OffPeakPrice | None:
        """The best rule whose window holds `local_start` (a local wall-clock time)."""
        day, at = local_start.date(), local_start.time().replace(tzinfo=None)
        for rule in self.rules:  # best discount first
            if day.weekday() not in (rule.weekdays or []):
                continue
            if (rule.valid_from and day < rule.valid_from) or (
                rule.valid_until and day > rule.valid_until
            ):
                continue
            if rule.start <= at < rule.end:
                discount = price_amount * rule.discount_percent // 100
                return OffPeakPrice(
                    rule_id=rule.pk,
                    percent=rule.discount_percent,
                    discount_amount=discount,
                    price_amount=price_amount - discount,
                )
        return None
