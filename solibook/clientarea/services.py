"""The client's side of booking and of their account.

The booking wizard (pages) and the booking-draft API call the same
functions: `booking_hold` holds a slot through `booking.services`, guests
verify a contact with a one-time code (`draft_send_code`, `draft_verify`),
and `draft_confirm` confirms the hold, records the off-peak price and spends
a promo code in one transaction. Availability is never computed here: it is
`booking.services.slots_available`.
"""

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from solibook.booking import services as booking
from solibook.booking.manage_link import (
    BadManageLink,
    manage_appointment_id,
    manage_link_expired,
)
from solibook.booking.models import Appointment, Source, Status
from solibook.booking.policies import cancellation_policy
from solibook.booking.selectors import ItemSpec
from solibook.catalog.models import Business, Location, Master
from solibook.clientarea.models import BookingDraft, Favourite
from solibook.clients.services import client_card_for_booking
from solibook.core.errors import Conflict, NotFound, ValidationFailed, refuse
from solibook.core.ids import is_db_id
from solibook.core.tenancy import business_scope
from solibook.core.validators import clean_name
from solibook.finance.selectors import visit_total
from solibook.notifications.providers import OutgoingMessage, provider_for
from solibook.offers.models import Redemption
from solibook.offers.selectors import OffPeakPricer
from solibook.offers.services import (
    client_key_for,
    offpeak_apply,
    promo_quote,
    promo_redeem,
    redemptions_release,
    service_prices_of,
)

log = logging.getLogger("solibook.clientarea")

WIZARD_HOLD_MINUTES = 15
CODE_MINUTES = 10
MAX_CODES = 5
RESEND_SECONDS = 30
MAX_ATTEMPTS = 5
DAYS_SHOWN = 7


# --- reading the salon ------------------------------------------------------------


def public_business(slug: str) -> Business:
    business = Business.objects.filter(slug=slug, is_listed=True).first()
    if business is None:
        raise NotFound(_("No such salon."))
    return business


def public_locations(*, business: Business) -> list[Location]:
    with scopes_disabled():
        return list(Location.objects.filter(business=business).order_by("name", "id"))


def public_location(*, business: Business, location_id: int | None) -> Location:
    with scopes_disabled():
        locations = Location.objects.filter(business=business).order_by("name", "id")
        location = (
            locations.filter(pk=location_id).first()
            if location_id and is_db_id(location_id)
            else locations.first()
        )
    if location is None:
        raise NotFound(_("No such location."))
    return location


# --- slots with offers --------------------------------------------------------------


@dataclass
class PricedSlot:
    start: datetime  # local
    end: datetime
    master_names: list[str]
    price_amount: int
    offpeak_percent: int
    discounted_amount: int
    currency: str
    # Who serves each item, in order: holding the slot with exactly these
    # masters charges exactly the price shown (the engine's choice for "any"
    # could change between showing and holding).
    master_ids: list[int] = field(default_factory=list)

    @property
    def duration_minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    @property
    def pin(self) -> str:
        """The slot's masters as its button sends them ("12.15")."""
        return ".".join(str(m) for m in self.master_ids)

    def as_dict(self) -> dict:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "masters": self.master_names,
            "duration_minutes": self.duration_minutes,
            "price_amount": self.price_amount,
            "offpeak_percent": self.offpeak_percent,
            "discounted_amount": self.discounted_amount,
            "currency": self.currency,
        }


def wizard_slots(
    *,
    business,
    location: Location,
    specs: list[ItemSpec],
    day: date,
    days: int = DAYS_SHOWN,
    now: datetime | None = None,
) -> dict[date, list[PricedSlot]]:
    """Bookable starts per local day from `day`, priced with off-peak rules."""
    with business_scope(business):
        loaded, slots = booking.slots_available(
            business=business,
            location_id=location.pk,
            specs=specs,
            start_date=day,
            days=days,
            online=True,
            now=now,
        )
    zone = ZoneInfo(location.time_zone)
    pricer = OffPeakPricer(
        business_id=business.pk,
        location_id=location.pk,
        day_from=day,
        day_to=day + timedelta(days=days),
    )
    by_day: dict[date, list[PricedSlot]] = {day + timedelta(days=i): [] for i in range(days)}
    for slot in slots:
        as_dict = booking.slot_as_dict(loaded, slot)
        start = datetime.fromisoformat(as_dict["start"]).astimezone(zone)
        priced = pricer.price(start, as_dict["price_amount"])
        entry = PricedSlot(
            start=start,
            end=datetime.fromisoformat(as_dict["end"]).astimezone(zone),
            master_names=list(dict.fromkeys(i["master_name"] for i in as_dict["items"])),
            price_amount=as_dict["price_amount"],
            offpeak_percent=priced.percent if priced else 0,
            discounted_amount=priced.price_amount if priced else as_dict["price_amount"],
            currency=business.currency,
            master_ids=[i["master_id"] for i in as_dict["items"]],
        )
        by_day.setdefault(start.date(), []).append(entry)
    return by_day


# --- holding and confirming -----------------------------------------------------------


def booking_hold(
    *,
    business,
    location_id: int,
    specs: list[ItemSpec],
    start: datetime,
    user=None,
    source: str = Source.MARKETPLACE,
    now: datetime | None = None,
) -> BookingDraft:
    """Hold the slot while the client confirms. A slot taken meanwhile is a
    Conflict carrying the nearest alternatives (from the booking engine).
    `source` is the entry point's (the wizard page, the drafts API), never input."""
    if not specs:
        refuse(_("Choose at least one service."), "services")
    account = user if user is not None and user.is_authenticated else None
    with business_scope(business), transaction.atomic():
        appointment = booking.appointment_create(
            business=business,
            location_id=location_id,
            specs=specs,
            start=start,
            source=source,
            actor=account,
            account=account,
            hold=True,
            hold_minutes=WIZARD_HOLD_MINUTES,
            now=now,
        )
        return BookingDraft.objects.create(
            token=secrets.token_urlsafe(32),
            business=business,
            appointment=appointment,
            user=account,
        )


def draft_get(token: str) -> BookingDraft:
    draft = (
        BookingDraft.objects.select_related("business", "appointment").filter(token=token).first()
        if token and len(token) <= 64
        else None
    )
    if draft is None:
        raise NotFound(_("This booking was not found. Please choose a time again."))
    return draft


@dataclass
class DraftSummary:
    draft: BookingDraft
    appointment: Appointment
    location: Location
    start: datetime
    end: datetime
    lines: list[dict]
    price_amount: int
    offpeak_percent: int
    offpeak_amount: int
    promo_amount: int
    total_amount: int
    currency: str
    policy: dict
    free_until: datetime
    expires_at: datetime | None
    expired: bool

    @property
    def duration_minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    @property
    def timed_lines(self) -> list[dict]:
        """The lines with their local start as a time, for pages (each service
        of a chained visit starts when its master takes over)."""
        return [
            {**line, "start_local": datetime.fromisoformat(line["start"])} for line in self.lines
        ]

    def as_dict(self) -> dict:
        return {
            "token": self.draft.token,
            "appointment_id": self.appointment.pk,
            "status": self.appointment.status,
            "business_id": self.draft.business_id,
            "business_name": self.draft.business.name,
            "location_id": self.location.pk,
            "location_name": self.location.name,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "duration_minutes": self.duration_minutes,
            "items": self.lines,
            "price_amount": self.price_amount,
            "offpeak_percent": self.offpeak_percent,
            "offpeak_amount": self.offpeak_amount,
            "promo_amount": self.promo_amount,
            "total_amount": self.total_amount,
            "currency": self.currency,
            "cancellation_policy": self.policy,
            "hold_expires_at": self.expires_at.isoformat() if self.expires_at else None,
            "expired": self.expired,
            "identified": draft_identified(self.draft),
            "contact_channel": self.draft.channel,
            "contact_verified": bool(self.draft.verified_at),
        }


def draft_summary(
    draft: BookingDraft, *, promo_code: str = "", now: datetime | None = None
) -> DraftSummary:
    """What the client is about to confirm: items, total, duration, policy."""
    now = now or timezone.now()
    with scopes_disabled():
        appointment = (
            Appointment.objects.select_related("business")
            .prefetch_related("items__service", "items__master")
            .get(pk=draft.appointment_id)
        )
        location = Location.objects.get(pk=appointment.location_id)
        zone = ZoneInfo(location.time_zone)
        start = appointment.starts_at.astimezone(zone)
        lines = [
            {
                "service": item.service.name,
                "master": item.master.display_name,
                "start": item.starts_at.astimezone(zone).isoformat(),
                "price_amount": item.price_amount,
            }
            for item in appointment.items.all()
        ]
        # Before confirming, a held visit (or one held for its deposit) shows
        # the discounts it would get; afterwards, the ones it got.
        if appointment.status == Status.HOLD or (
            appointment.status == Status.AWAITING_DEPOSIT and not draft.confirmed_at
        ):
            priced = OffPeakPricer(
                business_id=appointment.business_id,
                location_id=location.pk,
                day_from=start.date(),
                day_to=start.date(),
            ).price(start, appointment.price_amount)
            offpeak_amount, percent = (priced.discount_amount, priced.percent) if priced else (0, 0)
            promo_amount = 0
            if promo_code:
                key = client_key_for(
                    account=draft.user,
                    email=draft.destination if draft.channel == "email" else "",
                    phone=draft.destination if draft.channel == "sms" else "",
                )
                quote = promo_quote(
                    business_id=appointment.business_id,
                    code=promo_code,
                    price_amount=appointment.price_amount - offpeak_amount,
                    currency=appointment.currency,
                    client_key=key,
                    service_prices=service_prices_of(appointment),
                    now=now,
                )
                promo_amount = quote.discount_amount
        else:
            redemptions = list(
                Redemption.objects.filter(appointment=appointment, is_active=True).select_related(
                    "rule"
                )
            )
            offpeak = next((r for r in redemptions if r.kind == Redemption.Kind.OFF_PEAK), None)
            offpeak_amount = offpeak.discount_amount if offpeak else 0
            percent = offpeak.rule.discount_percent if offpeak and offpeak.rule else 0
            promo_amount = sum(
                r.discount_amount for r in redemptions if r.kind == Redemption.Kind.PROMO
            )
    policy = cancellation_policy(business=appointment.business, starts_at=appointment.starts_at)
    expired = appointment.status == Status.EXPIRED or (
        appointment.status == Status.HOLD and appointment.hold_expires_at <= now
    )
    return DraftSummary(
        draft=draft,
        appointment=appointment,
        location=location,
        start=start,
        end=appointment.ends_at.astimezone(zone),
        lines=lines,
        price_amount=appointment.price_amount,
        offpeak_percent=percent,
        offpeak_amount=offpeak_amount,
        promo_amount=promo_amount,
        total_amount=max(0, appointment.price_amount - offpeak_amount - promo_amount),
        currency=appointment.currency,
        policy=policy.as_dict(price_amount=appointment.price_amount, at=now),
        free_until=policy.free_until.astimezone(zone),
        expires_at=appointment.hold_expires_at,
        expired=expired,
    )


def draft_identified(draft: BookingDraft) -> bool:
    return draft.user_id is not None or draft.verified_at is not None


def _code_hash(token: str, code: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"{token}:{code}".encode(), hashlib.sha256
    ).hexdigest()


def _new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def _code_matches(code_hash: str, key: str, code: str) -> bool:
    """`code` as typed (spaces allowed) against the hash kept for `key`."""
    code = (code or "").strip().replace(" ", "")
    return (
        code.isdigit() and len(code) == 6 and hmac.compare_digest(code_hash, _code_hash(key, code))
    )


def _normalise_destination(channel: str, destination: str, region: str) -> str:
    value = (destination or "").strip()
    if channel == BookingDraft.Channel.EMAIL:
        try:
            validate_email(value)
        except DjangoValidationError:
            refuse(_("Enter a valid e-mail address."), "destination")
        return value.lower()
    if channel == BookingDraft.Channel.SMS:
        try:
            number = phonenumbers.parse(value, region or None)
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            refuse(_("Enter a valid phone number, with its country code."), "destination")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    refuse(_("Choose e-mail or SMS."), "channel")


def _send_code(channel: str, destination: str, code: str, business_name: str) -> None:
    text = _(
        "Your %(site)s code for %(salon)s is %(code)s. It is valid for %(minutes)s minutes."
    ) % {
        "site": getattr(settings, "SITE_NAME", "Solibook"),
        "salon": business_name,
        "code": code,
        "minutes": CODE_MINUTES,
    }
    try:
        if channel == BookingDraft.Channel.EMAIL:
            send_mail(_("Your booking code"), text, None, [destination])
        else:
            provider_for("sms").send(
                OutgoingMessage(channel="sms", to=destination, subject="", text=text)
            )
    except Exception:  # the client may ask again; never a 500 for a provider's trouble
        log.exception("booking code not sent", extra={"channel": channel})


@dataclass(frozen=True)
class PhoneCode:
    """A code sent to `phone` (E.164); only its hash is kept, bound to the
    caller's key and the phone."""

    phone: str
    code_hash: str

    def matches(self, *, key: str, code: str) -> bool:
        return _code_matches(self.code_hash, f"{key}:{self.phone}", code)


def phone_code_send(*, key: str, phone: str, business: Business) -> PhoneCode:
    """A six-digit code by SMS (after commit) to prove a phone without a booking
    draft (the assistant shows a guest their visits). The caller keeps the
    result, counts attempts and sends; the wizard's limits apply (`CODE_MINUTES`,
    `MAX_ATTEMPTS`, `MAX_CODES`, `RESEND_SECONDS`)."""
    sms = BookingDraft.Channel.SMS
    phone = _normalise_destination(sms, phone, business.country)
    code = _new_code()
    name = business.name
    transaction.on_commit(lambda: _send_code(sms, phone, code, name))
    return PhoneCode(phone=phone, code_hash=_code_hash(f"{key}:{phone}", code))


def draft_send_code(
    *, token: str, channel: str, destination: str, name: str, now: datetime | None = None
) -> BookingDraft:
    """A guest gives a name and an e-mail or phone; a six-digit code goes there."""
    now = now or timezone.now()
    name = clean_name(name, field="name")
    if len(name) > 150:
        refuse(_("Enter your name."), "name")
    with transaction.atomic():
        draft = draft_get(token)
        draft = BookingDraft.objects.select_for_update().get(pk=draft.pk)
        destination = _normalise_destination(channel, destination, draft.business.country)
        if draft.confirmed_at:
            raise Conflict(_("This booking is already confirmed."), code="already_confirmed")
        if draft.codes_sent >= MAX_CODES:
            raise Conflict(
                _("Too many codes were sent. Please start again."), code="too_many_codes"
            )
        if draft.code_sent_at and (now - draft.code_sent_at).total_seconds() < RESEND_SECONDS:
            raise Conflict(
                _("A code was just sent. Please wait a moment before asking again."),
                code="code_recently_sent",
            )
        code = _new_code()
        draft.guest_name, draft.channel, draft.destination = name, channel, destination
        draft.code_hash, draft.code_sent_at, draft.codes_sent, draft.attempts, draft.verified_at = (
            _code_hash(draft.token, code),
            now,
            draft.codes_sent + 1,
            0,
            None,
        )
        draft.save()
        business_name = draft.business.name
        transaction.on_commit(lambda: _send_code(channel, destination, code, business_name))
    return draft


def draft_verify(*, token: str, code: str, now: datetime | None = None) -> BookingDraft:
    now = now or timezone.now()
    with transaction.atomic():
        draft = BookingDraft.objects.select_for_update().filter(pk=draft_get(token).pk).get()
        if not draft.code_hash:
            refuse(_("Ask for a code first."), "code", code="no_code")
        if draft.verified_at:
            return draft
        if draft.attempts >= MAX_ATTEMPTS:
            raise Conflict(_("Too many wrong codes. Ask for a new code."), code="too_many_attempts")
        if draft.code_sent_at + timedelta(minutes=CODE_MINUTES) < now:
            refuse(_("This code has expired. Ask for a new code."), "code", code="code_expired")
        draft.attempts += 1
        if not _code_matches(draft.code_hash, draft.token, code):
            draft.save(update_fields=["attempts"])
            wrong = True  # the failed attempt must count: commit it, then refuse
        else:
            wrong = False
            draft.verified_at = now
            draft.save(update_fields=["attempts", "verified_at"])
    if wrong:
        refuse(_("This code is not right."), "code", code="wrong_code")
    return draft


def draft_attach_user(*, token: str, user) -> BookingDraft:
    """The client signed in (or up) after holding: the visit becomes theirs."""
    with transaction.atomic():
        draft = BookingDraft.objects.select_for_update().get(pk=draft_get(token).pk)
        if draft.user_id and draft.user_id != user.pk:
            raise NotFound(_("This booking was not found. Please choose a time again."))
        draft.user = user
        draft.save(update_fields=["user"])
    return draft


def _alternatives_for(appointment: Appointment, now: datetime) -> list[dict]:
    """Nearest free times for the same services, when a hold ran out."""
    with scopes_disabled():
        items = list(appointment.items.order_by("position"))
        location = Location.objects.get(pk=appointment.location_id)
    specs = [ItemSpec(service_id=i.service_id, variant_id=i.variant_id) for i in items]
    day = appointment.starts_at.astimezone(ZoneInfo(location.time_zone)).date()
    try:
        by_day = wizard_slots(
            business=appointment.business, location=location, specs=specs, day=day, days=2, now=now
        )
    except ValidationFailed:
        return []
    slots = [s for day_slots in by_day.values() for s in day_slots]
    return [
        s.as_dict()
        for s in sorted(
            slots, key=lambda s: abs((s.start - appointment.starts_at).total_seconds())
        )[:3]
    ]


def draft_confirm(
    *,
    token: str,
    user=None,
    promo_code: str = "",
    language: str | None = None,
    now: datetime | None = None,
) -> Appointment:
    """Confirm the held visit: attendee, hold → confirmed, off-peak price and
    promo code, all in one transaction (a refused code changes nothing). A
    guest's messages go out in `language` (default: the active one, the
    pages' or the API request's)."""
    now = now or timezone.now()
    user = user if user is not None and user.is_authenticated else None
    draft = draft_get(token)
    if draft.user_id and (user is None or user.pk != draft.user_id):
        raise NotFound(_("This booking was not found. Please choose a time again."))
    if user is None and draft.verified_at is None:
        raise ValidationFailed(
            _("Sign in, or verify your e-mail or phone, to confirm."), code="not_identified"
        )
    business = draft.business
    try:
        with business_scope(business), transaction.atomic():
            draft = BookingDraft.objects.select_for_update().get(pk=draft.pk)
            if draft.confirmed_at:
                return Appointment.objects.get(pk=draft.appointment_id)
            appointment = Appointment.objects.select_for_update().get(pk=draft.appointment_id)
            # Who comes: the account, or the guest's verified contact. Only
            # the attendee of the hold changes here; times stay the engine's.
            if user is not None:
                appointment.account = user
                appointment.client_name = user.full_name
                appointment.client_email = user.email
                appointment.client_phone = str(user.phone) if user.phone else ""
            else:
                appointment.client_name = draft.guest_name
                appointment.client_email = (
                    draft.destination if draft.channel == BookingDraft.Channel.EMAIL else ""
                )
                appointment.client_phone = (
                    draft.destination if draft.channel == BookingDraft.Channel.SMS else ""
                )
                # The guest's messages (confirmation, reminders) in the pages' language.
                appointment.client_language = (language or translation.get_language() or "")[:8]
            if appointment.client_card_id is None:
                # The hold was made before anyone was known: the salon's client
                # list gets the person now, as a desk booking would give it.
                appointment.client_card = client_card_for_booking(
                    business=business,
                    user=user,
                    name=appointment.client_name,
                    phone=appointment.client_phone,
                    email=appointment.client_email,
                    source=appointment.source,
                )
            appointment.save(
                update_fields=[
                    "account",
                    "client_name",
                    "client_email",
                    "client_phone",
                    "client_language",
                    "client_card",
                    "updated_at",
                ]
            )
            if appointment.status == Status.AWAITING_DEPOSIT:
                # Confirmed by its deposit (the payment step, finance); who
                # comes and the discounts are settled now, while the hold runs.
                if appointment.hold_expires_at is None or appointment.hold_expires_at <= now:
                    raise Conflict(
                        _("This hold has expired. Please choose a time again."),
                        code="hold_expired",
                    )
                confirmed = appointment
            else:
                confirmed = booking.appointment_confirm(
                    business=business, appointment_id=appointment.pk, actor=user, now=now
                )
            offpeak = offpeak_apply(appointment=confirmed, account=user)
            if promo_code.strip():
                key = client_key_for(
                    account=user, email=appointment.client_email, phone=appointment.client_phone
                )
                promo_redeem(
                    appointment=confirmed,
                    code=promo_code,
                    price_amount=confirmed.price_amount
                    - (offpeak.discount_amount if offpeak else 0),
                    account=user,
                    client_key=key,
                    now=now,
                )
            if confirmed.status == Status.AWAITING_DEPOSIT and visit_total(confirmed) == 0:
                # The discounts took the whole price: nothing to pay, no payment step.
                confirmed = booking.appointment_deposit_waive(
                    business=business, appointment_id=confirmed.pk, actor=user, now=now
                )
            draft.confirmed_at = now
            draft.user = user
            draft.save(update_fields=["confirmed_at", "user"])
            return confirmed
    except Conflict as exc:
        if exc.code == "hold_expired":
            with scopes_disabled():
                appointment = Appointment.objects.select_related("business").get(
                    pk=draft.appointment_id
                )
            raise Conflict(
                exc.message,
                code=exc.code,
                extra={"alternatives": _alternatives_for(appointment, now)},
            ) from exc
        raise


# --- the account ----------------------------------------------------------------------


def _own_appointment(user, appointment_id: int) -> Appointment:
    with scopes_disabled():
        appointment = (
            Appointment.objects.select_related("business")
            .filter(pk=appointment_id, account=user)
            .first()
            if is_db_id(appointment_id)
            else None
        )
    if appointment is None:
        raise NotFound(_("No such visit."))
    return appointment


def _client_cancel(
    appointment: Appointment, *, actor, reason: str, now: datetime | None
) -> Appointment:
    """The one way a client's visit is cancelled, whatever page or API route
    asked: the booking engine applies the salon's policy (late or not, the fee),
    writes the event (audit, outbox → notifications, finance settles the
    deposit, the waitlist is offered the time), and a promo use comes back."""
    with business_scope(appointment.business), transaction.atomic():
        cancelled = booking.appointment_cancel(
            business=appointment.business,
            appointment_id=appointment.pk,
            actor=actor,
            by_client=True,
            reason=reason,
            now=now,
        )
        redemptions_release(appointment=cancelled)
    return cancelled


def _client_reschedule(
    appointment: Appointment,
    *,
    actor,
    start: datetime,
    master_ids: list[int | None] | None,
    now: datetime | None,
) -> Appointment:
    """The one way a client's visit is moved: online rules (horizon, notice)."""
    with business_scope(appointment.business), transaction.atomic():
        return booking.appointment_reschedule(
            business=appointment.business,
            appointment_id=appointment.pk,
            start=start,
            actor=actor,
            online=True,
            master_ids=master_ids,
            now=now,
        )


def visit_cancel(
    *, user, appointment_id: int, reason: str = "", now: datetime | None = None
) -> Appointment:
    """The signed-in client cancels their visit (account page, both APIs)."""
    appointment = _own_appointment(user, appointment_id)
    return _client_cancel(appointment, actor=user, reason=reason, now=now)


def visit_reschedule(
    *,
    user,
    appointment_id: int,
    start: datetime,
    master_ids: list[int | None] | None = None,
    now: datetime | None = None,
) -> Appointment:
    """The signed-in client moves their visit (account page, both APIs)."""
    appointment = _own_appointment(user, appointment_id)
    return _client_reschedule(appointment, actor=user, start=start, master_ids=master_ids, now=now)


# --- the manage link (no account needed) ----------------------------------------------


def managed_appointment(token: str, *, now: datetime | None = None) -> Appointment:
    """The visit a manage link reaches. An altered or made-up token is NotFound
    (`bad_link`), a link past the visit's end is NotFound (`link_expired`):
    neither tells anything about the visit."""
    try:
        appointment_id = manage_appointment_id(token)
    except BadManageLink as exc:
        raise NotFound(
            _("This link is not valid. Please use the link from your confirmation."),
            code="bad_link",
        ) from exc
    with scopes_disabled():
        appointment = (
            Appointment.objects.select_related("business", "location")
            .filter(pk=appointment_id)
            .first()
        )
    if appointment is None or manage_link_expired(appointment, now):
        raise NotFound(_("This link has expired: the visit is over."), code="link_expired")
    return appointment


def manage_cancel(*, token: str, reason: str = "", now: datetime | None = None) -> Appointment:
    """A guest (or a client not signed in) cancels through the manage link."""
    appointment = managed_appointment(token, now=now)
    return _client_cancel(appointment, actor=appointment.account, reason=reason, now=now)


def manage_reschedule(*, token: str, start: datetime, now: datetime | None = None) -> Appointment:
    """A guest moves their visit through the manage link."""
    appointment = managed_appointment(token, now=now)
    return _client_reschedule(
        appointment, actor=appointment.account, start=start, master_ids=None, now=now
    )


def favourite_add(
    *, user, business_id: int | None = None, master_id: int | None = None
) -> Favourite:
    if (business_id is None) == (master_id is None):
        refuse(_("Choose a salon or a master."))
    with scopes_disabled():
        if (
            business_id is not None
            and not Business.objects.filter(pk=business_id, is_listed=True).exists()
        ):
            raise NotFound(_("No such salon."))
        if (
            master_id is not None
            and not Master.objects.filter(
                pk=master_id, is_active=True, business__is_listed=True
            ).exists()
        ):
            raise NotFound(_("No such master."))
    lookup = {"business_id": business_id} if business_id is not None else {"master_id": master_id}
    try:
        with transaction.atomic():
            return Favourite.objects.get_or_create(user=user, **lookup)[0]
    except IntegrityError:  # a double click raced itself
        return Favourite.objects.get(user=user, **lookup)


def favourite_remove(*, user, favourite_id: int) -> None:
    if not is_db_id(favourite_id):
        raise NotFound(_("No such favourite."))
    deleted, _rows = Favourite.objects.filter(user=user, pk=favourite_id).delete()
    if not deleted:
        raise NotFound(_("No such favourite."))
