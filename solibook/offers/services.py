"""Every write to offers: off-peak rules, promo codes and their redemptions.

A promo code is spent inside the caller's transaction (the booking's
confirmation), so a refused code leaves nothing half-written. The total
limit is a conditional `UPDATE ... WHERE redeemed_count < max_redemptions`:
PostgreSQL re-checks the condition on the locked row, so concurrent
redemptions of the last use cannot both succeed (and a check constraint
backs it). Once per client is a partial unique index on (promo, client_key).

A code tied to a service discounts that service's price in the visit only:
callers give the visit's prices per service (`service_prices`), and a visit
without the service is refused.
"""

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from solibook.catalog.models import Location
from solibook.core.audit import audit_log
from solibook.core.errors import NotFound, refuse
from solibook.offers.models import OffPeakRule, PromoCode, Redemption
from solibook.offers.selectors import OffPeakPricer

CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{2,31}$")


def normalise_code(code: str) -> str:
    return (code or "").strip().upper()


def client_key_for(*, account=None, email: str = "", phone: str = "") -> str:
    """Who "once per client" means: the account, else the verified e-mail or phone."""
    if account is not None and getattr(account, "is_authenticated", False):
        return f"user:{account.pk}"
    if email:
        return f"email:{email.strip().lower()}"
    if phone:
        return f"phone:{phone.strip()}"
    return ""


# --- off-peak rules ---------------------------------------------------------------


def offpeak_rule_create(
    *,
    business,
    weekdays: list[int],
    start: time,
    end: time,
    discount_percent: int,
    location_id: int | None = None,
    name: str = "",
    valid_from: date | None = None,
    valid_until: date | None = None,
    actor=None,
) -> OffPeakRule:
    days = sorted(set(weekdays or []))
    if not days or any(
        not isinstance(d, int) or isinstance(d, bool) or not 0 <= d <= 6 for d in days
    ):
        refuse(_("Choose at least one day."), "weekdays")
    if end <= start:
        refuse(_("The end must be after the start."), "end")
    if not isinstance(discount_percent, int) or not 1 <= discount_percent <= 90:
        refuse(_("A discount is from 1 to 90 percent."), "discount_percent")
    if valid_from and valid_until and valid_until < valid_from:
        refuse(_("The end date must not be before the start date."), "valid_until")
    if (
        location_id is not None
        and not Location.objects.filter(business=business, pk=location_id).exists()
    ):
        raise NotFound(_("No such location."), fields={"location_id": [_("No such location.")]})
    with transaction.atomic():
        rule = OffPeakRule.objects.create(
            business=business,
            location_id=location_id,
            name=name.strip()[:120],
            weekdays=days,
            start=start,
            end=end,
            discount_percent=discount_percent,
            valid_from=valid_from,
            valid_until=valid_until,
        )
        audit_log(
            action="offers.offpeak_created",
            actor=actor,
            business=business,
            obj=rule,
            data={"percent": discount_percent},
        )
    return rule


def offpeak_rule_delete(*, business, rule_id: int, actor=None) -> None:
    with transaction.atomic():
        rule = OffPeakRule.objects.filter(business=business, pk=rule_id).first()
        if rule is None:
            raise NotFound(_("No such offer."))
        audit_log(action="offers.offpeak_deleted", actor=actor, business=business, obj=rule)
        rule.delete()


# --- promo codes -------------------------------------------------------------------


def promo_code_create(
    *,
    business,
    code: str,
    discount_percent: int | None = None,
    discount_amount: int | None = None,
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
    max_redemptions: int | None = None,
    once_per_client: bool = True,
    min_price_amount: int = 0,
    description: str = "",
    service_id: int | None = None,
    actor=None,
) -> PromoCode:
    normalised = normalise_code(code)
    if not CODE_RE.match(normalised):
        refuse(_("A code is 3 to 32 letters, digits, - or _."), "code")
    if (discount_percent is None) == (discount_amount is None):
        refuse(_("Give either a percentage or an amount."), "discount_percent")
    if discount_percent is not None and not 1 <= discount_percent <= 100:
        refuse(_("A discount is from 1 to 100 percent."), "discount_percent")
    if discount_amount is not None and discount_amount < 1:
        refuse(_("The amount must be positive."), "discount_amount")
    if max_redemptions is not None and max_redemptions < 1:
        refuse(_("The limit must be at least 1."), "max_redemptions")
    if valid_from and valid_until and valid_until <= valid_from:
        refuse(_("The end must be after the start."), "valid_until")
    for field, value in (("valid_from", valid_from), ("valid_until", valid_until)):
        if value is not None and value.tzinfo is None:
            refuse(_("The time needs a time zone."), field)
    service = _own_service(business, service_id)
    try:
        with transaction.atomic():
            promo = PromoCode.objects.create(
                business=business,
                code=normalised,
                description=description.strip()[:200],
                discount_percent=discount_percent,
                discount_amount=discount_amount,
                currency=business.currency,
                valid_from=valid_from,
                valid_until=valid_until,
                max_redemptions=max_redemptions,
                once_per_client=once_per_client,
                min_price_amount=max(0, min_price_amount),
                service=service,
            )
            audit_log(
                action="offers.promo_created",
                actor=actor,
                business=business,
                obj=promo,
                data={"code": normalised},
            )
    except IntegrityError:
        refuse(_("This code already exists."), "code", code="duplicate")
    return promo


def _own_service(business, service_id: int | None):
    """The salon's own service for a code tied to one (another salon's id: refused)."""
    if service_id is None:
        return None
    from solibook.catalog.models import Service

    service = Service.objects.filter(business=business, pk=service_id).first()
    if service is None:
        refuse(_("Choose one of the salon's services."), "service_id", code="not_found")
    return service


ISSUED_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at the desk


def promo_codes_issue(
    *,
    business,
    count: int,
    prefix: str,
    issued_by: str,
    discount_percent: int | None = None,
    discount_amount: int | None = None,
    valid_until: datetime | None = None,
    min_price_amount: int = 0,
    description: str = "",
    service_id: int | None = None,
) -> list[PromoCode]:
    """`count` new codes, each good for one use by one client (a campaign's
    recipients): `PREFIX-XXXXXX` with 30 random bits, a total limit of 1 (spent
    with the same conditional UPDATE as any code, so two spends at once: one wins)."""
    prefix = re.sub(r"[^A-Z0-9]", "", normalise_code(prefix))[:12] or "OFFER"
    if (discount_percent is None) == (discount_amount is None):
        refuse(_("Give either a percentage or an amount."), "discount_percent")
    if discount_percent is not None and not 1 <= discount_percent <= 100:
        refuse(_("A discount is from 1 to 100 percent."), "discount_percent")
    if discount_amount is not None and discount_amount < 1:
        refuse(_("The amount must be positive."), "discount_amount")
    service = _own_service(business, service_id)
    if count <= 0:
        return []
    issued: list[PromoCode] = []
    while len(issued) < count:
        wanted = count - len(issued)
        codes = {
            f"{prefix}-{''.join(secrets.choice(ISSUED_ALPHABET) for _i in range(6))}"
            for _n in range(wanted)
        }
        with scopes_disabled():
            taken = set(
                PromoCode.objects.filter(business=business, code__in=codes).values_list(
                    "code", flat=True
                )
            )
        rows = [
            PromoCode(
                business=business,
                code=code,
                description=description[:200],
                discount_percent=discount_percent,
                discount_amount=discount_amount,
                currency=business.currency,
                valid_until=valid_until,
                max_redemptions=1,
                once_per_client=True,
                min_price_amount=max(0, min_price_amount),
                issued_by=issued_by[:40],
                service=service,
            )
            for code in sorted(codes - taken)
        ]
        # A code drawn by a concurrent issue in between is skipped and drawn again.
        created = PromoCode.objects.bulk_create(rows, ignore_conflicts=True)
        with scopes_disabled():
            issued += list(
                PromoCode.objects.filter(
                    business=business, code__in=[r.code for r in created], issued_by=issued_by[:40]
                )
            )
    return issued[:count]


def promo_code_set_active(*, business, promo_id: int, is_active: bool, actor=None) -> PromoCode:
    with transaction.atomic():
        promo = PromoCode.objects.select_for_update().filter(business=business, pk=promo_id).first()
        if promo is None:
            raise NotFound(_("No such promo code."))
        promo.is_active = is_active
        promo.save(update_fields=["is_active"])
        audit_log(
            action="offers.promo_active" if is_active else "offers.promo_inactive",
            actor=actor,
            business=business,
            obj=promo,
        )
    return promo


@dataclass(frozen=True, slots=True)
class PromoQuote:
    promo: PromoCode
    discount_amount: int


def _promo_discount(promo: PromoCode, price_amount: int) -> int:
    if promo.discount_percent is not None:
        return price_amount * promo.discount_percent // 100
    return min(promo.discount_amount or 0, price_amount)


def service_prices_of(appointment) -> dict[int, int]:
    """What each service of a visit costs in it (minor units), for codes tied to one."""
    prices: dict[int, int] = {}
    for item in appointment.items.all():  # the caller's prefetched items, when it has them
        prices[item.service_id] = prices.get(item.service_id, 0) + (item.price_amount or 0)
    return prices


def promo_quote(
    *,
    business_id: int,
    code: str,
    price_amount: int,
    currency: str,
    client_key: str = "",
    service_prices: dict[int, int] | None = None,
    now: datetime | None = None,
) -> PromoQuote:
    """Check a code against a visit's price without spending it. A code tied to
    a service discounts that service's part of `service_prices` only (never
    more than `price_amount`, the visit's price after other discounts)."""
    now = now or timezone.now()
    normalised = normalise_code(code)
    with scopes_disabled():
        promo = (
            PromoCode.objects.filter(
                business_id=business_id, code=normalised, is_active=True
            ).first()
            if CODE_RE.match(normalised)
            else None
        )
    if promo is None:
        refuse(_("This promo code is not valid here."), "promo_code", code="promo_unknown")
    if promo.currency != currency:
        refuse(_("This promo code is not valid here."), "promo_code", code="promo_currency")
    if promo.valid_from and now < promo.valid_from:
        refuse(_("This promo code is not valid yet."), "promo_code", code="promo_not_yet")
    if promo.valid_until and now >= promo.valid_until:
        refuse(_("This promo code has expired."), "promo_code", code="promo_expired")
    if promo.max_redemptions is not None and promo.redeemed_count >= promo.max_redemptions:
        refuse(_("This promo code has been used up."), "promo_code", code="promo_used_up")
    if price_amount < promo.min_price_amount:
        refuse(
            _("This visit is below the promo code's minimum price."),
            "promo_code",
            code="promo_minimum",
        )
    if promo.once_per_client and client_key:
        with scopes_disabled():
            if Redemption.objects.filter(
                promo=promo, client_key=client_key, is_active=True
            ).exists():
                refuse(
                    _("You have already used this promo code."),
                    "promo_code",
                    code="promo_already_used",
                )
    base = price_amount
    if promo.service_id is not None:
        base = min(price_amount, (service_prices or {}).get(promo.service_id, 0))
        if base <= 0:
            with scopes_disabled():
                service_name = promo.service.name
            refuse(
                _("This promo code is for %(service)s only.") % {"service": service_name},
                "promo_code",
                code="promo_other_service",
            )
    return PromoQuote(promo=promo, discount_amount=_promo_discount(promo, base))


def promo_redeem(
    *,
    appointment,
    code: str,
    price_amount: int,
    account=None,
    client_key: str = "",
    service_prices: dict[int, int] | None = None,
    now: datetime | None = None,
) -> Redemption:
    """Spend a code on an appointment, in the caller's transaction. Raises
    ValidationFailed (nothing written) when expired, used up, used before, or
    tied to a service the visit does not have. `service_prices` default to the
    appointment's own (the till passes its lines')."""
    quote = promo_quote(
        business_id=appointment.business_id,
        code=code,
        price_amount=price_amount,
        currency=appointment.currency,
        client_key=client_key,
        service_prices=(
            service_prices if service_prices is not None else service_prices_of(appointment)
        ),
        now=now,
    )
    promo = quote.promo
    with scopes_disabled():
        try:
            with transaction.atomic():
                if promo.max_redemptions is not None:
                    # The race point: the condition is re-checked on the locked row.
                    spent = PromoCode.objects.filter(
                        pk=promo.pk, redeemed_count__lt=F("max_redemptions")
                    ).update(redeemed_count=F("redeemed_count") + 1)
                    if not spent:
                        refuse(
                            _("This promo code has been used up."),
                            "promo_code",
                            code="promo_used_up",
                        )
                else:
                    PromoCode.objects.filter(pk=promo.pk).update(
                        redeemed_count=F("redeemed_count") + 1
                    )
                return Redemption.objects.create(
                    business_id=appointment.business_id,
                    appointment=appointment,
                    kind=Redemption.Kind.PROMO,
                    promo=promo,
                    account=account if account is not None and account.is_authenticated else None,
                    client_key=client_key if promo.once_per_client else "",
                    discount_amount=quote.discount_amount,
                    currency=appointment.currency,
                )
        except IntegrityError:
            # The once-per-client index refused a concurrent second use.
            refuse(
                _("You have already used this promo code."), "promo_code", code="promo_already_used"
            )


def offpeak_apply(*, appointment, account=None) -> Redemption | None:
    """Record the off-peak discount of the appointment's start, if any."""
    with scopes_disabled():
        zone = ZoneInfo(Location.objects.get(pk=appointment.location_id).time_zone)
        local = appointment.starts_at.astimezone(zone)
        pricer = OffPeakPricer(
            business_id=appointment.business_id,
            location_id=appointment.location_id,
            day_from=local.date(),
            day_to=local.date(),
        )
        priced = pricer.price(local, appointment.price_amount)
        if priced is None or priced.discount_amount == 0:
            return None
        return Redemption.objects.create(
            business_id=appointment.business_id,
            appointment=appointment,
            kind=Redemption.Kind.OFF_PEAK,
            rule_id=priced.rule_id,
            account=account if account is not None and account.is_authenticated else None,
            discount_amount=priced.discount_amount,
            currency=appointment.currency,
        )


def redemptions_release(*, appointment) -> int:
    """A cancelled visit gives its promo use back (the counter goes down once)."""
    with scopes_disabled(), transaction.atomic():
        released = 0
        for redemption in Redemption.objects.select_for_update().filter(
            appointment=appointment, is_active=True
        ):
            redemption.is_active = False
            redemption.save(update_fields=["is_active"])
            if redemption.promo_id:
                PromoCode.objects.filter(pk=redemption.promo_id, redeemed_count__gt=0).update(
                    redeemed_count=F("redeemed_count") - 1
                )
            released += 1
        return released


def appointment_discounts(appointment_ids) -> dict[int, int]:
    """{appointment_id: total discount in minor units} of active redemptions."""
    ids = list(appointment_ids)
    if not ids:
        return {}
    with scopes_disabled():
        rows = (
            Redemption.objects.filter(appointment_id__in=ids, is_active=True)
            .values_list("appointment_id")
            .annotate(total=Sum("discount_amount"))
            .order_by()
        )
        return dict(rows)
