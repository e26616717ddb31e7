"""Paid promotion (services): a salon buys a boost, the marketplace shows it
first (labelled "Promoted"), and each new client booked from the promoted
placement is charged once. With a daily budget the day's spend never goes
over the budget, whatever the number of concurrent bookings: the spend moves
only through one conditional UPDATE (`spent + price <= budget`), which
PostgreSQL re-checks under the row lock after a concurrent update commits.
"""

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from solibook.booking.models import Appointment
from solibook.catalog.models import Category
from solibook.commissions.models import PromotionCharge, Touch, TouchKind
from solibook.commissions.services import book_charge
from solibook.core.audit import audit_log
from solibook.core.errors import NotFound, ValidationFailed
from solibook.marketplace.cities import city_key
from solibook.marketplace.models import Promotion, PromotionDay

MAX_PRICE = 100_000_00  # minor units
MAX_DAYS = 366


def promotion_buy(
    *,
    business,
    mode: str,
    city: str,
    category_id: int | None,
    price_amount: int,
    daily_budget: int = 0,
    starts_on: date,
    ends_on: date,
    actor=None,
    today: date | None = None,
) -> Promotion:
    today = today or timezone.now().date()
    fields: dict[str, list[str]] = {}
    if mode not in Promotion.Mode.values:
        fields["mode"] = [_("Choose how the boost is paid.")]
    if not isinstance(price_amount, int) or not 0 < price_amount <= MAX_PRICE:
        fields["price_amount"] = [_("Enter a price per new client above zero.")]
    if mode == Promotion.Mode.DAILY_BUDGET and (
        not isinstance(daily_budget, int)
        or daily_budget <= 0
        or daily_budget > MAX_PRICE * 100
        or (isinstance(price_amount, int) and daily_budget < price_amount)
    ):
        fields["daily_budget"] = [_("The daily budget must cover at least one new client.")]
    if starts_on < today:
        fields["starts_on"] = [_("The boost cannot start in the past.")]
    if ends_on < starts_on:
        fields["ends_on"] = [_("The end must be on or after the start.")]
    elif (ends_on - starts_on).days > MAX_DAYS:
        fields["ends_on"] = [_("A boost lasts a year at most.")]
    category = None
    if category_id is not None:
        category = Category.objects.filter(pk=category_id).first()
        if category is None:
            fields["category"] = [_("Choose a category from the list.")]
    if fields:
        raise ValidationFailed(_("Please correct the boost."), fields=fields)
    promotion = Promotion.objects.create(
        business=business,
        city_slug=city_key(city) if city else "",
        category=category,
        mode=mode,
        price_amount=price_amount,
        daily_budget=daily_budget if mode == Promotion.Mode.DAILY_BUDGET else 0,
        currency=business.currency,
        starts_on=starts_on,
        ends_on=ends_on,
        is_active=True,
    )
    audit_log(action="promotion.bought", actor=actor, business=business, obj=promotion)
    return promotion


def promotion_set_active(*, business, promotion_id: int, is_active: bool, actor=None) -> Promotion:
    promotion = Promotion.objects.filter(business=business, pk=promotion_id).first()
    if promotion is None:
        raise NotFound(_("This boost was not found."))
    promotion.is_active = bool(is_active)
    promotion.save(update_fields=["is_active"])
    audit_log(
        action="promotion.resumed" if is_active else "promotion.paused",
        actor=actor,
        business=business,
        obj=promotion,
    )
    return promotion


def _day_row(promotion_id: int, day: date) -> PromotionDay:
    try:
        with transaction.atomic():
            row, _created = PromotionDay.objects.get_or_create(promotion_id=promotion_id, day=day)
    except IntegrityError:  # created by a concurrent booking meanwhile
        row = PromotionDay.objects.get(promotion_id=promotion_id, day=day)
    return row


def promotion_charge(*, appointment: Appointment, now: datetime | None = None):
    """Charge the boost for a booking whose first touch was its promoted
    placement: once per booking, within the day's budget. Returns the charge,
    or None (not promoted, free placement, budget spent)."""
    now = now or timezone.now()
    with scopes_disabled():
        touch = (
            Touch.objects.filter(appointment=appointment, kind=TouchKind.PROMOTED)
            .select_related("promotion")
            .first()
        )
        promotion = touch.promotion if touch else None
        if promotion is None or promotion.price_amount <= 0 or not promotion.currency:
            return None
        if PromotionCharge.objects.filter(appointment=appointment).exists():
            return PromotionCharge.objects.get(appointment=appointment)
        day = now.date()
        row = _day_row(promotion.pk, day)
        with transaction.atomic():
            spend = PromotionDay.objects.filter(pk=row.pk)
            if promotion.mode == Promotion.Mode.DAILY_BUDGET:
                # The cap: this UPDATE is the only writer of `spent`; concurrent
                # bookings queue on the row lock and re-check the condition.
                spend = spend.filter(spent__lte=promotion.daily_budget - promotion.price_amount)
            if not spend.update(
                spent=F("spent") + promotion.price_amount, bookings=F("bookings") + 1
            ):
                return None
            charge = PromotionCharge.objects.create(
                business_id=appointment.business_id,
                promotion=promotion,
                appointment=appointment,
                day=day,
                amount=promotion.price_amount,
                currency=promotion.currency,
                created_at=now,
            )
            book_charge(
                business=appointment.business,
                amount=charge.amount,
                currency=charge.currency,
                charge_kind="promotion",
                description=_("Boost: new client from a promoted placement, %(day)s")
                % {"day": day.isoformat()},
                source=charge.source_key,
            )
    return charge


def promotion_charge_reverse(*, appointment: Appointment) -> PromotionCharge | None:
    """A cancelled booking is not a new client: its boost charge is credited
    and the day's budget given back."""
    with scopes_disabled(), transaction.atomic():
        charge = (
            PromotionCharge.objects.select_for_update()
            .filter(appointment=appointment, status=PromotionCharge.Status.CHARGED)
            .first()
        )
        if charge is None:
            return None
        charge.status = PromotionCharge.Status.REVERSED
        charge.save(update_fields=["status"])
        PromotionDay.objects.filter(promotion_id=charge.promotion_id, day=charge.day).update(
            spent=F("spent") - charge.amount, bookings=F("bookings") - 1
        )
        book_charge(
            business=appointment.business,
            amount=-charge.amount,
            currency=charge.currency,
            charge_kind="promotion",
            description=_("Boost credited: the booking was cancelled"),
            source=f"{charge.source_key}:reversed",
            reverses=charge.source_key,
        )
    return charge
