"""The employee's pages: joining with the invitation, the budget's balance and
history in the client account, and the booking's payment step with the budget."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from solibook.booking.models import Appointment
from solibook.core.money import format_money
from solibook.core.refusals import refusals
from solibook.core.tenancy import business_scope
from solibook.corporate import selectors, services
from solibook.corporate.forms import PayForm, major
from solibook.finance import selectors as finance_selectors


@login_required
def join(request, token: str):
    error, status = "", 200
    if request.method == "POST":
        with refusals() as refused:
            employee = services.invitation_accept(token=token, user=request.user)
        if not refused:
            messages.success(
                request,
                _("Welcome: %(company)s's wellness budget is yours.")
                % {"company": employee.company.name},
            )
            return redirect("corporate:wellness")
        error, status = refused.message, refused.status
    return render(request, "corporate/client/join.html", {"error": error}, status=status)


@login_required
def wellness(request):
    employee = selectors.employee_of(request.user)
    return render(
        request,
        "corporate/client/wellness.html",
        {
            "tab": "wellness",
            "employee": employee,
            "balance": selectors.balance_of(employee) if employee else 0,
            "history": selectors.history_of(employee) if employee else [],
            "admin_of": selectors.companies_of_admin(request.user),
        },
    )


def _next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return default


@login_required
def visit_pay(request, appointment_id: int):
    """The booking's payment step for an employee: part or all of the visit from the
    budget; the rest by card (online, when the salon takes it) or at the salon."""
    employee = services.active_employee_of(request.user)
    with scopes_disabled():
        appointment = (
            Appointment.objects.select_related("business", "location")
            .filter(pk=appointment_id, account=request.user)
            .first()
        )
    if appointment is None or employee is None:
        from django.http import Http404

        raise Http404
    done = _next(request, reverse("clientarea:visits"))
    with business_scope(appointment.business):
        due = finance_selectors.amount_due(appointment=appointment)
        items = list(appointment.items.select_related("service", "master"))
    balance = selectors.balance_of(employee)
    left = max(due.total - due.paid, 0)
    form = PayForm(
        request.POST or None,
        currency=employee.company.currency,
        initial={"amount": major(min(balance, left), employee.company.currency)},
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        with refusals(form) as refused:
            services.visit_pay_with_budget(
                account=request.user,
                appointment_id=appointment.pk,
                amount=form.cleaned_data["amount"],
                now=timezone.now(),
            )
        if not refused:
            paid = format_money(
                form.cleaned_data["amount"], employee.company.currency, request.LANGUAGE_CODE
            )
            messages.success(
                request, _("%(amount)s paid from your wellness budget.") % {"amount": paid}
            )
            return redirect(f"{reverse('corporate:visit_paid', args=[appointment.pk])}?next={done}")
        status = refused.status
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "corporate/client/pay.html",
        {
            "appointment": appointment,
            "items": items,
            "employee": employee,
            "balance": balance,
            "left": left,
            "currency": employee.company.currency,
            "form": form,
            "next": done,
        },
        status=status,
    )


@login_required
def visit_paid(request, appointment_id: int):
    """After the budget: what is left, and the card for it."""
    with scopes_disabled():
        appointment = (
            Appointment.objects.select_related("business")
            .filter(pk=appointment_id, account=request.user)
            .first()
        )
    if appointment is None:
        from django.http import Http404

        raise Http404
    with business_scope(appointment.business):
        due = finance_selectors.amount_due(appointment=appointment)
    employee = selectors.employee_of(request.user)
    return render(
        request,
        "corporate/client/paid.html",
        {
            "appointment": appointment,
            "due": due,
            "left": max(due.total - due.paid, 0),
            "balance": selectors.balance_of(employee) if employee else 0,
            "next": _next(request, reverse("clientarea:visits")),
        },
    )
