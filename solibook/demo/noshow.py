"""No-show rules in the demo (issue #15, point 5): at Atelier Lumière, per
journey language, a client booked at the desk whose visit has passed and was
never checked in (the no-show the journey `test_receptionists_morning` accepts,
with its confirmation and undo) and who comes again soon (too early for one).
The arrivals list's day buttons reach both."""

from solibook.booking.selectors import ItemSpec
from solibook.core.tenancy import business_scope
from solibook.demo.catalogue import clock
from solibook.demo.catalogue_data import BATIGNOLLES, MARAIS
from solibook.demo.till import book_at_desk

SERVICE = "blowdry"
# One per journey language.
NO_SHOW_CLIENTS = [("Hugo Lefèvre", "+33611230011"), ("Ольга Петрова", "+33611230012")]


def add_no_show_visits(maker, places: dict) -> None:
    """Run inside `make_visits`, before the everyday visits fill the calendars."""
    candidates = [
        places[name]
        for name in (BATIGNOLLES, MARAIS)
        if name in places and SERVICE in places[name].catalogue.services
    ]
    if not candidates:
        return
    place = candidates[0]
    specs = [ItemSpec(service_id=place.catalogue.services[SERVICE].pk)]
    for n, (name, phone) in enumerate(NO_SHOW_CLIENTS):
        for offset, past in ((-1, True), (1, False)):
            with business_scope(place.business):
                start = maker._nearest(place, specs, offset, clock(f"{10 + 2 * n}:00"), past=past)
                if start is None:
                    maker.missed.append(f"no-show visit {name}: no free time")
                    continue
                book_at_desk(maker, place, specs, start, name, phone)
