"""Back-office pages: checkout, payments, refunds, gift cards, packages and
memberships, settings. Thin: a form, one service call (the same functions the
API calls). Every query runs in the business's scope: another business's ids
are 404."""

from functools import wraps

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solibook.accounts.access import backoffice_view
from solibook.accounts.roles import Capability
from solibook.booking.models import Appointment, AppointmentItem
from solibook.catalog.models import Location, Master, Service
from solibook.core.ids import is_db_id
from solibook.core.money import Money
from solibook.core.refusals import refusals
from solibook.finance import accounts, ledger, selectors, services
from solibook.finance.forms import (
    CheckoutForm,
    DeskDepositForm,
    MembershipPlanForm,
    MembershipStartForm,
    PackagePlanForm,
    ProductForm,
    RefundLinesForm,
    SettingsForm,
)
from solibook.finance.models import (
    Checkout,
    ClientMembership,
    ClientPackage,
    MembershipPlan,
    PackagePlan,
    Payment,
    Product,
    Refund,
)
from solibook.finance.receipts import receipt_pdf, receipt_rows
from solibook.finance.services import DiscountIn, LineIn, TenderIn, TipIn
from solibook.finance.services.settings import settings_update
from solibook.finance.views.giftcards import remember_sale
from solibook.referrals.selectors import desk_rewards

TAKE = Capability.TAKE_PAYMENTS
MANAGE = Capability.MANAGE_PAYMENTS
VIEW = Capability.VIEW_FINANCE


def reader(view):
    """Read pages: the front desk (take_payments) and the accountant (view_finance)."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        if not (request.access.can(TAKE) or request.access.can(VIEW)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return backoffice_view(Capability.VIEW_BACK_OFFICE)(checked)


def _obj(queryset, pk):
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def _minor(value, currency) -> int:
    return Money.from_decimal(value, currency).amount


# --- overview --------------------------------------------------------------------


@reader
def home(request):
    business = request.business
    currency = business.currency
    can_view = request.access.can(VIEW)
    balances = []
    if can_view:
        rows = ledger.balances(business=business, currency=currency)
        labels = selectors.account_labels(list(rows))
        for code in sorted(rows, key=lambda code: labels[code]):
            amount = rows[code]
            balances.append(
                {
                    "account": labels[code],
                    "amount": -amount if accounts.is_credit_natured(code) else amount,
                }
            )
    awaiting = Appointment.objects.filter(status="awaiting_deposit").order_by("hold_expires_at")[
        :20
    ]
    visits = selectors.till_visits(now=timezone.now())
    return render(
        request,
        "finance/office/home.html",
        {
            "balances": balances,
            "can_view": can_view,
            "checkouts": Checkout.objects.order_by("-created_at", "-id")[:20],
            "awaiting": awaiting,
            "till_groups": [
                (visits.today, _("Today"), "today"),
                (visits.upcoming, _("Upcoming"), "upcoming"),
                (visits.earlier, _("Earlier, not checked out"), "earlier"),
            ],
            "currency": currency,
        },
    )


# --- checkout ----------------------------------------------------------------------


def _checkout_form(request, appointment):
    business = request.business
    account = appointment.account if appointment else None
    tip_masters = (
        list(
            Master.objects.filter(
                pk__in=AppointmentItem.objects.filter(appointment=appointment).values("master_id")
            )
        )
        if appointment
        else []
    )
    if not tip_masters:
        tip_masters = list(Master.objects.filter(is_active=True).order_by("display_name")[:6])
    kwargs = {
        "currency": business.currency,
        "locations": Location.objects.order_by("name"),
        "products": Product.objects.filter(is_active=True).order_by("name"),
        "masters": Master.objects.filter(is_active=True).order_by("display_name"),
        "package_plans": PackagePlan.objects.filter(is_active=True).order_by("name")
        if account
        else [],
        "client_packages": ClientPackage.objects.filter(account=account).select_related("plan")
        if account
        else [],
        "online_payments": Payment.objects.filter(
            appointment=appointment, tender="online", state__in=["authorized", "captured"]
        )
        if appointment
        else [],
        "tip_masters": tip_masters,
        # The visit's client card: its points, wallet credit and vouchers are tenders here.
        "rewards": desk_rewards(
            client=appointment.client_card if appointment else None, now=timezone.now()
        ),
    }
    initial = {
        "appointment": appointment.pk if appointment else None,
        "location": appointment.location_id if appointment else None,
    }
    return CheckoutForm(request.POST or None, initial=initial, **kwargs)


def _arguments(form: CheckoutForm, appointment) -> dict:
    data = form.cleaned_data
    lines = []
    if appointment is not None:
        for item in AppointmentItem.objects.filter(appointment=appointment).order_by("position"):
            lines.append(
                LineIn(
                    "service",
                    appointment_item_id=item.pk,
                    client_package_id=data.get("use_package"),
                )
            )
    for product, quantity, seller in form.product_rows:
        if data.get(product):
            lines.append(
                LineIn(
                    "product",
                    product_id=data[product],
                    quantity=data.get(quantity) or 1,
                    master_id=data.get(seller),
                )
            )
    if data.get("gift_card_amount"):
        lines.append(
            LineIn(
                "gift_card",
                amount=data["gift_card_amount"],
                recipient_name=data.get("gift_card_recipient", ""),
            )
        )
    if data.get("package_plan"):
        lines.append(LineIn("package", package_plan_id=data["package_plan"]))
    discount = None
    if data.get("discount_kind"):
        discount = DiscountIn(
            data["discount_kind"],
            value=data.get("discount_value") or 0,
            reason=data.get("discount_reason", ""),
            code=data.get("promo_code", ""),
        )
    tips = [TipIn(master_id, data[name]) for name, master_id in form.tip_fields if data.get(name)]
    return {
        "location_id": data["location"],
        "appointment_id": appointment.pk if appointment else None,
        "account_id": appointment.account_id if appointment else None,
        "lines": lines,
        "tips": tips,
        "discount": discount,
    }


def _tenders(form: CheckoutForm) -> list[TenderIn]:
    data = form.cleaned_data
    tenders = []
    if data.get("pay_online"):
        tenders.append(
            TenderIn("online", data["pay_online"], {"payment_id": data.get("online_payment")})
        )
    if data.get("pay_gift_card"):
        tenders.append(
            TenderIn("gift_card", data["pay_gift_card"], {"code": data.get("gift_card_code", "")})
        )
    if data.get("pay_client_credit"):
        tenders.append(TenderIn("client_credit", data["pay_client_credit"]))
    if data.get("pay_points") and form.rewards is not None:
        points = data["pay_points"]
        tenders.append(
            TenderIn("loyalty_points", points * form.rewards.point_value, {"points": points})
        )
    if data.get("pay_wallet"):
        tenders.append(TenderIn("wallet_credit", data["pay_wallet"]))
    if data.get("pay_voucher"):
        tenders.append(
            TenderIn("referral_voucher", data["pay_voucher"], {"voucher_id": data.get("voucher")})
        )
    if data.get("pay_wellness"):
        tenders.append(TenderIn("wellness_budget", data["pay_wellness"]))
    if data.get("pay_card"):
        tenders.append(TenderIn("card", data["pay_card"]))
    if data.get("pay_cash"):
        tenders.append(TenderIn("cash", data["pay_cash"]))
    return tenders


@backoffice_view(TAKE)
def checkout_new(request):
    """Step 1 (`action=quote`): the price to show the client. Step 2
    (`action=complete`): charge exactly that price (a changed price is refused)."""
    appointment_id = request.POST.get("appointment") or request.GET.get("appointment")
    appointment = None
    if appointment_id:
        if not is_db_id(appointment_id):
            raise Http404
        appointment = _obj(Appointment.objects.select_related("account"), int(appointment_id))
    form = _checkout_form(request, appointment)
    quote = None
    refusal, done = "", None
    if request.method == "GET" and appointment is not None:
        # Opened from a visit: the till shows its services, masters and the
        # price the client was quoted straight away (or why it cannot be paid).
        with refusals() as refused:
            quote = services.checkout_quote(
                business=request.business,
                location_id=appointment.location_id,
                appointment_id=appointment.pk,
                account_id=appointment.account_id,
            )
            form.initial["shown_total"] = quote.total
        if refused:
            refusal = refused.message
            done = Checkout.objects.filter(appointment=appointment).first()
    if request.method == "POST" and form.is_valid():
        with refusals(form) as refused:
            arguments = _arguments(form, appointment)
            quote = services.checkout_quote(business=request.business, **arguments)
            if request.POST.get("action") == "complete":
                # Capture an authorised deposit first (a provider call, outside the checkout's transaction).
                payment_id = form.cleaned_data.get("online_payment")
                if form.cleaned_data.get("pay_online") and payment_id:
                    deposit = _obj(Payment.objects, payment_id)
                    if deposit.state == Payment.State.AUTHORIZED:
                        services.payment_capture(business=request.business, payment_id=deposit.pk)
                checkout = services.checkout_complete(
                    business=request.business,
                    actor=request.user,
                    shown_total=form.cleaned_data.get("shown_total") or 0,
                    currency=request.business.currency,
                    tenders=_tenders(form),
                    language=form.cleaned_data.get("language", ""),
                    **arguments,
                )
                remember_sale(request, checkout)  # gift card codes: shown once, on the sale page
                messages.success(
                    request, _("Paid: receipt %(number)s.") % {"number": checkout.number}
                )
                return redirect("finance:checkout_detail", request.business.slug, checkout.pk)
        if refused.code == "price_changed":
            quote = None
    if quote is not None:
        form.data = form.data.copy()
        form.data["shown_total"] = str(quote.total)
    return render(
        request,
        "finance/office/checkout.html",
        {
            "form": form,
            "quote": quote,
            "appointment": appointment,
            "currency": request.business.currency,
            "refusal": refusal,
            "done": done,
        },
    )


@reader
def checkout_detail(request, checkout_id: int):
    checkout = _obj(Checkout.objects.select_related("location", "business"), checkout_id)
    payments = list(checkout.payments.order_by("id"))
    can_refund = request.access.can(MANAGE)
    return render(
        request,
        "finance/office/checkout_detail.html",
        {
            "checkout": checkout,
            "lines": checkout.lines.order_by("position"),
            "payments": payments,
            "refunds": Refund.objects.filter(payment__checkout=checkout).order_by("-created_at"),
            "can_refund": can_refund,
        },
    )


def _refund_order(payments) -> list[dict]:
    """The checkout's tenders in the order a refund by line pays them back."""
    rows = []
    for payment in sorted(payments, key=lambda p: (services.refund_order_key(p.tender), p.pk)):
        if payment.state == Payment.State.CAPTURED:
            rows.append(
                {
                    "label": selectors.tender_label(payment.tender),
                    "left": payment.amount_captured
                    - payment.amount_refunded
                    - payment.amount_applied,
                    "currency": payment.currency,
                }
            )
    return rows


@backoffice_view(MANAGE)
def checkout_refund(request, checkout_id: int):
    """A refund by line: the units of each line and the tips chosen, nothing else."""
    checkout = _obj(Checkout.objects.select_related("location"), checkout_id)
    lines = [
        line
        for line in checkout.lines.order_by("position")
        if services.line_refundable(line) and line.refunded_quantity < line.quantity
    ]
    tips = [
        tip
        for tip in checkout.tips.select_related("master").order_by("id")
        if tip.refunded_amount < tip.amount
    ]
    form = RefundLinesForm(request.POST or None, lines=lines, tips=tips)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            chosen, tip_ids = form.chosen()
            names = [f"line_{line_id}" for line_id, _units in chosen]

            def field(key: str) -> str:
                head, _dot, rest = key.partition(".")
                index = rest.split(".")[0]
                if head == "lines" and index.isdigit() and int(index) < len(names):
                    return names[int(index)]
                return key

            with refusals(form, fields=field) as refused:
                made = services.refund_by_lines(
                    business=request.business,
                    checkout_id=checkout.pk,
                    lines=[services.RefundLineIn(line_id, units) for line_id, units in chosen],
                    tip_ids=tip_ids,
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                    actor=request.user,
                )
                messages.success(
                    request,
                    _("Refunded %(amount)s.")
                    % {"amount": Money(made.amount, made.currency).format(get_language() or "en")},
                )
                return redirect("finance:checkout_detail", request.business.slug, checkout.pk)
            status = refused.status
        else:
            status = 400
    return render(
        request,
        "finance/office/checkout_refund.html",
        {
            "checkout": checkout,
            "form": form,
            "line_rows": [(form[name], line) for name, line in form.line_fields],
            "tip_rows": [(form[name], tip) for name, tip in form.tip_fields],
            "order": _refund_order(checkout.payments.all()),
        },
        status=status,
    )


@reader
def receipt(request, checkout_id: int):
    checkout = _obj(Checkout.objects.select_related("location", "business"), checkout_id)
    return render(
        request, "finance/office/receipt.html", {"r": receipt_rows(checkout), "checkout": checkout}
    )


@reader
def receipt_pdf_view(request, checkout_id: int):
    checkout = _obj(Checkout.objects.select_related("location", "business"), checkout_id)
    response = HttpResponse(receipt_pdf(checkout), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="receipt-{checkout.number}.pdf"'
    return response


# --- payments, refunds, deposits ------------------------------------------------------


@reader
def payment_list(request):
    payments = list(
        Payment.objects.select_related("appointment").order_by("-created_at", "-id")[:100]
    )
    refunds = list(Refund.objects.select_related("payment").order_by("-created_at", "-id")[:50])
    return render(
        request,
        "finance/office/payments.html",
        {
            "payments": payments,
            "refunds": refunds,
            "can_manage": request.access.can(MANAGE),
        },
    )


@require_POST
@backoffice_view(TAKE)
def payment_capture(request, payment_id: int):
    payment = _obj(Payment.objects, payment_id)
    with refusals(request=request):
        services.payment_capture(business=request.business, payment_id=payment.pk)
        messages.success(request, _("Captured."))
    return redirect("finance:payments", request.business.slug)


@require_POST
@backoffice_view(MANAGE)
def payment_release(request, payment_id: int):
    payment = _obj(Payment.objects, payment_id)
    with refusals(request=request):
        services.payment_release(business=request.business, payment_id=payment.pk)
        messages.success(request, _("Released: nothing was charged."))
    return redirect("finance:payments", request.business.slug)


@require_POST
@backoffice_view(TAKE)
def desk_deposit(request, appointment_id: int):
    appointment = _obj(Appointment.objects, appointment_id)
    form = DeskDepositForm(request.POST)
    if form.is_valid():
        with refusals(request=request):
            services.deposit_record_at_desk(
                business=request.business,
                appointment_id=appointment.pk,
                tender=form.cleaned_data["tender"],
                actor=request.user,
            )
            messages.success(request, _("Deposit recorded: the visit is confirmed."))
    return redirect("finance:home", request.business.slug)


# --- gift cards, packages, memberships, products ------------------------------------------


def _catalogue_context(request, **forms):
    business = request.business
    context = {
        "products": Product.objects.order_by("name"),
        "package_plans": PackagePlan.objects.select_related("service").order_by("name"),
        "membership_plans": MembershipPlan.objects.order_by("name"),
        "memberships": ClientMembership.objects.select_related("plan", "account").order_by(
            "-created_at"
        )[:100],
        "product_form": ProductForm(),
        "package_form": PackagePlanForm(
            services=Service.objects.filter(is_active=True).order_by("name")
        ),
        "membership_plan_form": MembershipPlanForm(),
        "membership_form": MembershipStartForm(plans=MembershipPlan.objects.filter(is_active=True)),
        "can_manage": request.access.can(MANAGE),
        "currency": business.currency,
    }
    context.update(forms)
    return context


@reader
def catalogue(request):
    return render(request, "finance/office/catalogue.html", _catalogue_context(request))


@require_POST
@backoffice_view(MANAGE)
def catalogue_add(request, kind: str):
    business, currency = request.business, request.business.currency
    with refusals(request=request):
        try:
            if kind == "product":
                form: forms.Form = ProductForm(request.POST)  # one per kind below
                if form.is_valid():
                    d = form.cleaned_data
                    services.product_create(
                        business=business,
                        name=d["name"],
                        price_amount=_minor(d["price"], currency),
                        currency=currency,
                        sku=d["sku"],
                        tax_rate=int(d["tax_rate"] * 100) if d["tax_rate"] is not None else None,
                        actor=request.user,
                    )
                    return redirect("finance:catalogue", business.slug)
                return render(
                    request,
                    "finance/office/catalogue.html",
                    _catalogue_context(request, product_form=form),
                    status=400,
                )
            if kind == "package":
                form = PackagePlanForm(
                    request.POST, services=Service.objects.filter(is_active=True)
                )
                if form.is_valid():
                    d = form.cleaned_data
                    services.package_plan_create(
                        business=business,
                        name=d["name"],
                        service_id=d["service"],
                        visits=d["visits"],
                        price_amount=_minor(d["price"], currency),
                        currency=currency,
                        validity_days=d["validity_days"],
                        actor=request.user,
                    )
                    return redirect("finance:catalogue", business.slug)
                return render(
                    request,
                    "finance/office/catalogue.html",
                    _catalogue_context(request, package_form=form),
                    status=400,
                )
            if kind == "membership_plan":
                form = MembershipPlanForm(request.POST)
                if form.is_valid():
                    d = form.cleaned_data
                    services.membership_plan_create(
                        business=business,
                        name=d["name"],
                        price_amount=_minor(d["price"], currency),
                        currency=currency,
                        discount_percent=d["discount_percent"],
                        actor=request.user,
                    )
                    return redirect("finance:catalogue", business.slug)
                return render(
                    request,
                    "finance/office/catalogue.html",
                    _catalogue_context(request, membership_plan_form=form),
                    status=400,
                )
            if kind == "membership":
                form = MembershipStartForm(
                    request.POST, plans=MembershipPlan.objects.filter(is_active=True)
                )
                if form.is_valid():
                    d = form.cleaned_data
                    services.membership_start(
                        business=business,
                        plan_id=d["plan"],
                        account_id=d["account"],
                        tender=d["tender"],
                        actor=request.user,
                    )
                    return redirect("finance:catalogue", business.slug)
                return render(
                    request,
                    "finance/office/catalogue.html",
                    _catalogue_context(request, membership_form=form),
                    status=400,
                )
        except ValueError:
            messages.error(
                request, _("Too many decimals for %(currency)s.") % {"currency": currency}
            )
    if kind not in ("product", "package", "membership_plan", "membership"):
        raise Http404
    return redirect("finance:catalogue", business.slug)


@require_POST
@backoffice_view(MANAGE)
def membership_cancel(request, membership_id: int):
    membership = _obj(ClientMembership.objects, membership_id)
    services.membership_cancel(
        business=request.business, membership_id=membership.pk, actor=request.user
    )
    messages.success(request, _("Membership cancelled."))
    return redirect("finance:catalogue", request.business.slug)


@backoffice_view(MANAGE)
def settings_page(request):
    row = services.finance_settings(request.business)
    initial = {
        name: getattr(row, name)
        for name in (
            "prices_include_tax",
            "vat_registered",
            "online_provider",
            "stripe_account_id",
            "receipt_footer",
        )
    }
    initial["service_tax_rate"] = (
        row.service_tax_rate / 100 if row.service_tax_rate is not None else None
    )
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        d["service_tax_rate"] = (
            int(d["service_tax_rate"] * 100) if d["service_tax_rate"] is not None else None
        )
        with refusals(form):
            settings_update(business=request.business, actor=request.user, **d)
            messages.success(request, _("Saved."))
            return redirect("finance:settings", request.business.slug)
    return render(request, "finance/office/settings.html", {"form": form})
