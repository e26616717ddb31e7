"""Booking at the front desk (calendar walk-in and phone bookings, the office
API): the client is a card of the business, never a platform account.

The desk names one of its own client cards (`client_card_id`), or gives a new
client's name with a phone and/or e-mail, from which the card is found or
created in this business (`clients.services.client_card_for_desk`). No user
account is ever looked up: the answer is the same whether or not someone with
that phone or e-mail has signed up, and the visit carries only the card's
contacts. The card and the visit are written in one transaction: a refused
booking leaves no new card behind.
"""

from datetime import datetime

from django.db import transaction

from solibook.booking.models import Appointment, Source
from solibook.booking.selectors import ItemSpec
from solibook.booking.services.placing import appointment_create
from solibook.booking.services.recurring import SeriesReport, appointment_series_create
from solibook.clients.models import Client
from solibook.clients.services import client_card_for_desk
from solibook.core.validators import normalise_name


def _attendee(card: Client, name: str) -> dict:
    """The visit's client: the card (and the account the client linked to it
    by booking this salon themselves), with the card's contacts only."""
    return {
        "account": card.user,
        "client_card": card,
        "client_name": card.full_name or normalise_name(name or ""),
        "client_phone": str(card.phone or ""),
        "client_email": card.email,
    }


def appointment_create_at_desk(
    *,
    business,
    location_id: int,
    specs: list[ItemSpec],
    start: datetime,
    actor=None,
    client_card_id: int | None = None,
    client_name: str = "",
    client_phone: str = "",
    client_email: str = "",
    notes: str = "",
    hold: bool = False,
    now: datetime | None = None,
) -> Appointment:
    with transaction.atomic():
        card = client_card_for_desk(
            business=business,
            client_card_id=client_card_id,
            name=client_name,
            phone=client_phone,
            email=client_email,
        )
        return appointment_create(
            business=business,
            location_id=location_id,
            specs=specs,
            start=start,
            source=Source.BACK_OFFICE,
            actor=actor,
            notes=notes,
            hold=hold,
            now=now,
            **_attendee(card, client_name),
        )


def appointment_series_create_at_desk(
    *,
    business,
    location_id: int,
    specs: list[ItemSpec],
    first_start: datetime,
    interval_weeks: int,
    occurrences: int,
    actor=None,
    client_card_id: int | None = None,
    client_name: str = "",
    client_phone: str = "",
    client_email: str = "",
    notes: str = "",
    now: datetime | None = None,
) -> SeriesReport:
    with transaction.atomic():
        card = client_card_for_desk(
            business=business,
            client_card_id=client_card_id,
            name=client_name,
            phone=client_phone,
            email=client_email,
        )
        return appointment_series_create(
            business=business,
            location_id=location_id,
            specs=specs,
            first_start=first_start,
            interval_weeks=interval_weeks,
            occurrences=occurrences,
            source=Source.BACK_OFFICE,
            actor=actor,
            notes=notes,
            now=now,
            **_attendee(card, client_name),
        )
