"""Reads of partnerships: each landing page's visits, bookings and revenue."""

from dataclasses import dataclass

from django.utils import timezone

from solibook.booking.models import Appointment
from solibook.offers.models import Redemption
from solibook.offers.services import appointment_discounts
from solibook.partnerships.models import Landing
from solibook.social.models import Attribution
from solibook.social.selectors import BOOKED


@dataclass(frozen=True)
class LandingEffect:
    visits: int
    bookings: int
    code_uses: int
    revenue: int  # minor units, the visits' prices after discounts


def landing_effects(landings: list[Landing]) -> dict[int, LandingEffect]:
    """{landing id: effect}: a booking counts once, whether it came through
    the page's link, its code, or both. Four queries whatever the number."""
    if not landings:
        return {}
    by_link = {landing.link_id: landing.pk for landing in landings}
    by_promo = {landing.promo_id: landing.pk for landing in landings}
    owned: dict[int, set[int]] = {landing.pk: set() for landing in landings}
    uses: dict[int, int] = {landing.pk: 0 for landing in landings}
    for link_id, appointment_id in Attribution.objects.filter(link_id__in=by_link).values_list(
        "link_id", "appointment_id"
    ):
        owned[by_link[link_id]].add(appointment_id)
    for promo_id, appointment_id in Redemption.objects.filter(
        promo_id__in=by_promo, is_active=True
    ).values_list("promo_id", "appointment_id"):
        owned[by_promo[promo_id]].add(appointment_id)
        uses[by_promo[promo_id]] += 1
    every = set().union(*owned.values())
    prices = dict(
        Appointment.objects.filter(pk__in=every, status__in=BOOKED).values_list(
            "pk", "price_amount"
        )
    )
    discounts = appointment_discounts(prices)
    return {
        landing.pk: LandingEffect(
            visits=landing.link.clicks,
            bookings=sum(1 for a in owned[landing.pk] if a in prices),
            code_uses=uses[landing.pk],
            revenue=sum(prices[a] - discounts.get(a, 0) for a in owned[landing.pk] if a in prices),
        )
        for landing in landings
    }


def landings_with_effect(*, business) -> list[tuple[Landing, LandingEffect]]:
    landings = list(Landing.objects.filter(business=business).select_related("promo", "link")[:200])
    effects = landing_effects(landings)
    return [(landing, effects[landing.pk]) for landing in landings]


def is_running(landing: Landing, today=None) -> bool:
    today = today or timezone.now().date()
    return landing.is_active and landing.starts_on <= today <= landing.ends_on
