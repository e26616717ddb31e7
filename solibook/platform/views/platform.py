"""The operator console: salons (approval, health), the platform's figures,
the promotion inventory, support's consented visits and the audit log. Each
page asks its platform capability (`accounts.access.platform_view`)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_scopes import scopes_disabled

from solibook.accounts.access import IMPERSONATION_KEY, platform_view
from solibook.accounts.models import PlatformRoleGrant, User
from solibook.accounts.roles import PlatformCapability, PlatformRole
from solibook.billing.selectors import amount_due, invoices_of
from solibook.catalog.models import Approval, Business
from solibook.core.models import AuditEvent
from solibook.core.refusals import refusals
from solibook.platform import selectors, services

CAN = PlatformCapability


def _role_names(user) -> str:
    if user.is_superuser:
        return str(PlatformRole.OPERATOR.label)
    roles = list(PlatformRoleGrant.objects.filter(user=user).values_list("role", flat=True))
    return ", ".join(str(PlatformRole(r).label) for r in roles) or str(PlatformRole.OPERATOR.label)


@platform_view
def home(request):
    with scopes_disabled():  # the operator sees every tenant
        context = {
            "pending_count": Business.objects.filter(approval_status=Approval.PENDING).count(),
            "business_count": Business.objects.count(),
            "live_count": Business.objects.filter(
                approval_status=Approval.APPROVED, is_listed=True
            ).count(),
            "user_count": User.objects.count(),
            "role_names": _role_names(request.user),
            "impersonating": request.session.get(IMPERSONATION_KEY),
        }
    return render(request, "platform/platform/home.html", context)


@platform_view(capability=CAN.VIEW_SALONS)
def salons(request):
    status = request.GET.get("status", "")
    query = request.GET.get("q", "").strip()[:100]
    rows = selectors.salons(status=status, query=query)
    return render(
        request,
        "platform/platform/salons.html",
        {"salons": rows, "status": status, "query": query, "statuses": Approval.choices},
    )


def _salon_or_404(salon_id: int) -> Business:
    business = selectors.salon(salon_id)
    if business is None:
        raise Http404
    return business


@platform_view(capability=CAN.VIEW_SALONS)
def salon(request, salon_id: int):
    business = _salon_or_404(salon_id)
    until = business.support_access_until
    invoices = []
    if CAN.VIEW_PLATFORM_FINANCE in request.platform_capabilities:
        invoices = [(i, amount_due(i)) for i in invoices_of(business)][-12:]
    return render(
        request,
        "platform/platform/salon.html",
        {
            "salon": business,
            "locations": selectors.salon_locations(business),
            "support_open": bool(until and until > timezone.now()),
            "invoices": list(reversed(invoices)),
        },
    )


@platform_view(capability=CAN.MANAGE_SALONS)
@require_POST
def salon_approve(request, salon_id: int):
    with refusals(request=request, not_found_404=True) as refused:
        business = services.salon_approve(actor=request.user, business_id=salon_id)
    if not refused:
        messages.success(request, _("%(salon)s is approved and online.") % {"salon": business.name})
    return redirect("platform:salon", salon_id=salon_id)


@platform_view(capability=CAN.MANAGE_SALONS)
@require_POST
def salon_reject(request, salon_id: int):
    with refusals(request=request, not_found_404=True) as refused:
        business = services.salon_reject(
            actor=request.user, business_id=salon_id, note=request.POST.get("note", "")
        )
    if not refused:
        messages.success(
            request, _("%(salon)s is sent back with your note.") % {"salon": business.name}
        )
    return redirect("platform:salon", salon_id=salon_id)


@platform_view(capability=CAN.MANAGE_PLATFORM_FINANCE)
@require_POST
def salon_invoice(request, salon_id: int):
    """Finance issues the salon's invoice of its charges so far (the monthly run's door)."""
    with refusals(request=request, not_found_404=True) as refused:
        invoice = services.salon_invoice_now(actor=request.user, business_id=salon_id)
    if not refused:
        messages.success(
            request,
            _("Invoice %(number)s is issued to %(salon)s.")
            % {"number": invoice.number, "salon": invoice.business.name},
        )
    return redirect("platform:salon", salon_id=salon_id)


@platform_view(capability=CAN.IMPERSONATE)
@require_POST
def support_request(request, salon_id: int):
    """Support asks the salon to let it in, saying why (the owner sees it on its
    support access page)."""
    with refusals(request=request, not_found_404=True) as refused:
        business = services.support_access_request(
            actor=request.user, business_id=salon_id, reason=request.POST.get("reason", "")
        )
    if not refused:
        messages.success(
            request, _("%(salon)s is asked to let support in.") % {"salon": business.name}
        )
    return redirect("platform:salon", salon_id=salon_id)


@platform_view(capability=CAN.IMPERSONATE)
@require_POST
def impersonate(request, salon_id: int):
    """Support enters the salon's back office (its consent checked, audited)."""
    with refusals(request=request, not_found_404=True) as refused:
        business = services.impersonation_start(actor=request.user, business_id=salon_id)
    if refused:
        return redirect("platform:salon", salon_id=salon_id)
    request.session[IMPERSONATION_KEY] = {"slug": business.slug, "business_id": business.pk}
    return redirect("catalog:dashboard", business_slug=business.slug)


@platform_view
@require_POST
def impersonate_stop(request):
    entry = request.session.pop(IMPERSONATION_KEY, None)
    if entry:
        with refusals(request=request):
            services.impersonation_end(actor=request.user, business_id=entry.get("business_id"))
        messages.success(request, _("You left the salon's back office."))
        return redirect("platform:salon", salon_id=entry.get("business_id"))
    return redirect("platform:home")


def _month_label(month) -> str:
    return date_format(month, "YEAR_MONTH_FORMAT")


@platform_view(capability=CAN.VIEW_PLATFORM_FINANCE)
def figures(request):
    currencies = selectors.figure_currencies()
    currency = request.GET.get("currency", "")
    if currency not in currencies:
        currency = currencies[0]
    data = selectors.figures(currency=currency)
    take_rate = data.take_rate
    rows = [
        {
            "label": _month_label(month),
            "bookings": data.bookings[i],
            "marketplace": data.marketplace_bookings[i],
            "gross": data.gross[i],
            "revenue": data.platform_revenue[i],
            "take_rate": take_rate[i],
            "joined": data.salons_joined[i],
            "lost": data.salons_lost[i],
        }
        for i, month in enumerate(data.months)
    ]
    chart = {
        "currency": currency,
        "labels": [r["label"] for r in rows],
        "gross": data.gross,
        "revenue": data.platform_revenue,
        "take_rate": take_rate,
        "bookings": data.bookings,
        "marketplace": data.marketplace_bookings,
        "joined": data.salons_joined,
        "lost": data.salons_lost,
    }
    return render(
        request,
        "platform/platform/figures.html",
        {
            "figures": data,
            "totals": data.totals,
            "rows": list(reversed(rows)),
            "chart": chart,
            "currencies": currencies,
        },
    )


@platform_view(capability=CAN.MANAGE_PROMOTIONS)
def promotions(request):
    rows = selectors.promotion_inventory(today=timezone.now().date())
    return render(request, "platform/platform/promotions.html", {"promotions": rows})


@platform_view(capability=CAN.VIEW_PLATFORM_AUDIT)
def audit(request):
    """Every sensitive action on the platform: logins of team members,
    exports, erasures, role changes, two-factor changes; filter by action
    prefix (`privacy.`, `auth.`, `membership.`) or business."""
    events = AuditEvent.objects.select_related("actor", "business").order_by("-created_at", "-id")
    action = request.GET.get("action", "").strip()[:64]
    if action:
        events = events.filter(action__startswith=action)
    business = request.GET.get("business", "").strip()
    if business.isdigit() and len(business) < 19:
        events = events.filter(business_id=int(business))
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "platform/platform/audit.html",
        {"page": page, "action": action, "business": business},
    )
