"""Paying online: the wizard's payment step and "pay the balance" later.

After the confirm step, a visit under a deposit rule waits for its deposit
(`awaiting_deposit`): the payment page says the amount, whether it is a
deposit or the full price, and the refund rule, then sends the client to the
provider's page (Stripe Checkout, or our test-mode card page). Back from it,
`pay_return` reads where the payment stands: paid → the done page; declined
or abandoned → this page again (the hold still runs, then expires and frees
the time); paid after the hold ran out → kept if the time was free, else the
money goes back, and the page says which.

`pay_page` and `pay_return` take an appointment the caller has already
checked, so other entry points (the guest's signed manage link) reuse them
through `balance_views(access)`.
"""

from collections.abc import Callable
from contextlib import suppress
from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from solibook.booking.models import Appointment, Status
from solibook.clientarea import services
from solibook.clientarea.views.public import _again_url, _draft
from solibook.core.errors import DomainError, NotFound
from solibook.core.money import format_money
from solibook.core.refusals import refusals
from solibook.core.tenancy import business_scope
from solibook.finance import selectors as finance_selectors
from solibook.finance import services as finance
from solibook.finance.models import Payment

PAID = (Payment.State.AUTHORIZED, Payment.State.CAPTURED)


def refund_rule(*, due, appointment: Appointment, language: str, now: datetime) -> str:
    """The salon's cancellation policy for this payment, in words."""
    percent = int(due.policy.get("late_fee_percent") or 0)
    if not percent:
        return _("You can cancel at any time: the payment comes back in full.")
    fee = format_money(appointment.price_amount * percent // 100, due.currency, language)
    zone = ZoneInfo(appointment.location.time_zone)
    free_until = (
        datetime.fromisoformat(due.policy["free_until"])
        if due.policy.get("free_until")
        else appointment.starts_at
    )
    if free_until <= now:
        return _(
            "Cancelling now is late: if you cancel or do not come, %(percent)s%% of the price "
            "(%(fee)s) is kept and the rest comes back."
        ) % {"percent": percent, "fee": fee}
    until = timezone.localtime(free_until, zone)
    values = {
        "until": date_format(until, "j E, H:i"),
        "percent": percent,
        "fee": fee,
    }
    if due.purpose == "deposit":
        return (
            _(
                "Cancel before %(until)s and the deposit comes back in full. After that, or if "
                "you do not come, %(percent)s%% of the price (%(fee)s) is kept and the rest "
                "comes back."
            )
            % values
        )
    return (
        _(
            "Cancel before %(until)s and the payment comes back in full. After that, or if you "
            "do not come, %(percent)s%% of the price (%(fee)s) is kept and the rest comes back."
        )
        % values
    )


def _details(appointment: Appointment) -> dict:
    with scopes_disabled():
        location = appointment.location
        items = list(appointment.items.select_related("service", "master").order_by("position"))
    zone = ZoneInfo(location.time_zone)
    return {
        "appointment": appointment,
        "business": appointment.business,
        "location": location,
        "items": items,
        "start": appointment.starts_at.astimezone(zone),
        "end": appointment.ends_at.astimezone(zone),
        "zone": location.time_zone,
    }


def _latest(appointment: Appointment) -> Payment | None:
    return (
        Payment.objects.filter(
            business=appointment.business,
            appointment=appointment,
            purpose__in=[Payment.Purpose.DEPOSIT, Payment.Purpose.BALANCE],
        )
        .order_by("-created_at", "-id")
        .first()
    )


def pay_page(
    request,
    *,
    appointment: Appointment,
    purpose: str,
    return_url: str,
    done_url: str,
    back_url: str = "",
    again_url: str = "",
    context: dict | None = None,
):
    """GET: what is paid and the refund rule; POST: off to the provider's page.
    `return_url` is where the provider sends the client back (`pay_return`)."""
    now = timezone.now()
    error, status = "", 200
    with business_scope(appointment.business):
        appointment.refresh_from_db()
        latest = _latest(appointment)
        if purpose == "deposit" and appointment.status == Status.CONFIRMED:
            return redirect(done_url)  # paid already: the back button lands here
        if request.method == "POST":
            here = request.build_absolute_uri(request.path)
            with refusals() as refused:
                started = finance.online_checkout_start(
                    business=appointment.business,
                    appointment_id=appointment.pk,
                    purpose=purpose,
                    success_url=request.build_absolute_uri(return_url),
                    cancel_url=here,
                    language=request.LANGUAGE_CODE,
                    now=now,
                )
            if refused:
                error, status = refused.message, refused.status
            elif started.url:
                return redirect(started.url)
            else:
                return redirect(done_url)  # a second click after paying: nothing more
        due = finance_selectors.amount_due(appointment=appointment)
        paid_now = latest is not None and latest.state in PAID and latest.purpose == purpose
    expired = appointment.status == Status.EXPIRED or (
        appointment.status == Status.AWAITING_DEPOSIT
        and (appointment.hold_expires_at is None or appointment.hold_expires_at <= now)
    )
    if purpose == "deposit" and expired and not error:
        status = 409
    return render(
        request,
        "clientarea/pay/pay.html",
        {
            **_details(appointment),
            **(context or {}),
            "due": due,
            "purpose": purpose,
            "expired": expired,
            "latest": latest,
            "late": (latest.detail.get("late", "") if latest is not None else ""),
            "paid_now": paid_now,
            "refund_rule": refund_rule(
                due=due, appointment=appointment, language=request.LANGUAGE_CODE, now=now
            ),
            "error": error,
            "came_back": request.GET.get("unpaid") == "1",
            "back_url": back_url,
            "again_url": again_url,
            "done_url": done_url,
        },
        status=status,
    )


def pay_return(request, *, appointment: Appointment, pay_url: str, done_url: str):
    """Back from the provider's page: paid → `done_url`; otherwise the payment page."""
    with business_scope(appointment.business):
        payment = finance.online_payment_for(
            business=appointment.business,
            appointment_id=appointment.pk,
            payment_id=request.GET.get("payment"),
        )
        if payment is None:
            payment = _latest(appointment)
        if payment is not None:
            # The provider unreachable: the page says "not paid yet", the webhook will tell.
            with suppress(DomainError):
                payment = finance.online_checkout_return(
                    business=appointment.business, payment_id=payment.pk
                )
        if payment is not None and payment.state in PAID:
            return redirect(done_url)
    return redirect(f"{pay_url}?{urlencode({'unpaid': 1})}")


# --- the wizard ---------------------------------------------------------------


def book_pay(request, token: str):
    draft = _draft(request, token)
    if not draft.confirmed_at:
        return redirect("clientarea:book_confirm", token=token)
    with scopes_disabled():
        appointment = Appointment.objects.select_related("business").get(pk=draft.appointment_id)
    return pay_page(
        request,
        appointment=appointment,
        purpose="deposit",
        return_url=reverse("clientarea:book_pay_return", args=[token]),
        done_url=reverse("clientarea:book_done", args=[token]),
        again_url=_again_url(draft),
        context={"draft": draft, "step": 5 if not request.user.is_authenticated else 4},
    )


def book_pay_return(request, token: str):
    draft = _draft(request, token)
    with scopes_disabled():
        appointment = Appointment.objects.select_related("business").get(pk=draft.appointment_id)
    return pay_return(
        request,
        appointment=appointment,
        pay_url=reverse("clientarea:book_pay", args=[token]),
        done_url=reverse("clientarea:book_done", args=[token]),
    )


def deposit_state(appointment: Appointment) -> dict:
    """For the done page: what was paid online, and whether it came late."""
    with business_scope(appointment.business):
        latest = _latest(appointment)
        due = finance_selectors.amount_due(appointment=appointment)
    return {
        "paid_payment": latest if latest is not None and latest.state in PAID else None,
        "late": latest.detail.get("late", "") if latest is not None else "",
        "due": due,
    }


# --- the balance, later ------------------------------------------------------------


def balance_views(
    access: Callable[..., Appointment], *, pay_name: str, return_name: str, done: Callable
):
    """A pair of views (pay, return) for what a visit reached by
    `access(request, **kwargs)` still owes: its deposit while it is held, else
    the balance (`access` raises Http404 when the caller may not see it). `pay_name` / `return_name` are the URL names they are routed under
    (same kwargs); `done(request, appointment, **kwargs)` is where a paid
    client goes."""

    def pay(request, **kwargs):
        appointment = access(request, **kwargs)
        # A visit still held for its deposit (booked, not yet paid) pays that first.
        held = appointment.status in (Status.AWAITING_DEPOSIT, Status.EXPIRED)
        return pay_page(
            request,
            appointment=appointment,
            purpose="deposit" if held else "balance",
            return_url=reverse(return_name, kwargs=kwargs),
            done_url=done(request, appointment, **kwargs),
            back_url=done(request, appointment, **kwargs),
        )

    def back(request, **kwargs):
        appointment = access(request, **kwargs)
        return pay_return(
            request,
            appointment=appointment,
            pay_url=reverse(pay_name, kwargs=kwargs),
            done_url=f"{done(request, appointment, **kwargs)}?{urlencode({'paid': 1})}",
        )

    return pay, back


def _own_visit(request, appointment_id: int) -> Appointment:
    try:
        return services._own_appointment(request.user, appointment_id)
    except NotFound as exc:
        raise Http404 from exc


_visit_pay, _visit_pay_return = balance_views(
    _own_visit,
    pay_name="clientarea:visit_pay",
    return_name="clientarea:visit_pay_return",
    done=lambda request, appointment, **kwargs: reverse("clientarea:visits"),
)
visit_pay = login_required(_visit_pay)
visit_pay_return = login_required(_visit_pay_return)

__all__ = [
    "balance_views",
    "book_pay",
    "book_pay_return",
    "deposit_state",
    "pay_page",
    "pay_return",
    "refund_rule",
    "visit_pay",
    "visit_pay_return",
]
