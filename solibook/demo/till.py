"""The front desk's till (issue #15, point 2): at Atelier Lumière two clients
booked at the desk come today (one per language the journey
`test_receptionists_morning` runs in: the client who pays with a gift card),
at the location open today, as close to now as the day allows (a visit due
now); and the salon sells a €28 shampoo, the product the journey adds at
checkout and then refunds by line.
On a day both locations are closed the visits go to the next open day."""

from datetime import datetime

from solibook.booking.models import Source
from solibook.booking.selectors import ItemSpec, from_minutes
from solibook.core.tenancy import business_scope
from solibook.demo.catalogue import clock
from solibook.demo.catalogue_data import BATIGNOLLES, MARAIS
from solibook.finance.services.plans import product_create

SERVICE = "blowdry"
PRODUCT = ("Shampoing Lumière 250 ml", 2800)
# One per journey language.
TILL_CLIENTS = [("Camille Roux", "+33611230001"), ("Анна Соколова", "+33611230002")]


def _today_start(maker, place, specs) -> datetime | None:
    """A free start today nearest to now (earlier is fine: the visit is due)."""
    slots = maker.slots(place, specs, maker.today(place))
    if not slots:
        return None
    now = maker.now.astimezone(place.zone)
    best = min(slots, key=lambda s: abs(from_minutes(s.start) - now))
    return from_minutes(best.start)


def book_at_desk(maker, place, specs, start: datetime, name: str, phone: str) -> None:
    """A confirmed visit booked at the desk for someone with no account (a card by phone)."""
    maker.book(
        place,
        specs,
        start,
        source=Source.BACK_OFFICE,
        outcome="confirmed",
        name=name,
        phone=phone,
    )


def add_till_visits(maker, places: dict) -> None:
    """Run inside `make_visits`, before the everyday visits fill the calendars."""
    candidates = [places[name] for name in (BATIGNOLLES, MARAIS) if name in places]
    if not candidates:
        return
    with business_scope(candidates[0].business):
        product_create(
            business=candidates[0].business,
            name=PRODUCT[0],
            price_amount=PRODUCT[1],
            currency=candidates[0].business.currency,
        )
    for name, phone in TILL_CLIENTS:
        booked = False
        for place in candidates:
            if SERVICE not in place.catalogue.services:
                continue
            specs = [ItemSpec(service_id=place.catalogue.services[SERVICE].pk)]
            with business_scope(place.business):
                start = _today_start(maker, place, specs) or maker._nearest(
                    place, specs, 0, clock("11:00"), past=False
                )
                if start is None:
                    continue
                book_at_desk(maker, place, specs, start, name, phone)
            booked = True
            break
        if not booked:
            maker.missed.append(f"till visit {name}: no free time")
