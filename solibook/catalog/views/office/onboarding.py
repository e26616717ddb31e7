"""Self-serve onboarding: the wizard a new salon goes through, from its name
to its request for approval (catalog.services.onboarding does the writes)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solibook.accounts.access import backoffice_view
from solibook.accounts.roles import Capability
from solibook.billing import selectors as billing_selectors
from solibook.billing import services as billing_services
from solibook.billing.labels import plan_name
from solibook.catalog import services as catalog_services
from solibook.catalog.forms import (
    OnboardingServiceForm,
    OnboardingStartForm,
    OnboardingTeamForm,
    taxonomy_choices,
)
from solibook.catalog.models import Approval, Location, Master, Service
from solibook.core.forms import all_valid
from solibook.core.refusals import refusals

SERVICE_ROWS = 3

# The wizard's steps, in order: (key, URL name, label).
STEPS = [
    ("salon", "catalog:onboarding_start"),
    ("services", "catalog:onboarding_services"),
    ("team", "catalog:onboarding_team"),
    ("plan", "catalog:onboarding_plan"),
    ("submit", "catalog:onboarding"),
]


def _context(request, step: str, **extra) -> dict:
    business = getattr(request, "business", None)
    progress = catalog_services.onboarding_progress(business) if business else {}
    return {"step": step, "progress": progress, "steps": [s for s, _u in STEPS], **extra}


def _editable_or_overview(request):
    """Once submitted (or live), the wizard's steps show the overview instead."""
    if request.business.approval_status not in (Approval.DRAFT, Approval.REJECTED):
        return redirect("catalog:onboarding", business_slug=request.business.slug)
    return None


@login_required
def onboarding_start(request):
    """Step 1: the salon's name and address."""
    form = OnboardingStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals(form, fields={"time_zone": "country"}) as refused:
            business = catalog_services.onboarding_start(owner=request.user, **form.cleaned_data)
        if not refused:
            return redirect("catalog:onboarding_services", business_slug=business.slug)
    return render(
        request, "catalog/office/onboarding/start.html", _context(request, "salon", form=form)
    )


@backoffice_view(Capability.MANAGE_CATALOG)
def onboarding_services(request):
    """Step 2: services picked from the platform's taxonomy."""
    if (stop := _editable_or_overview(request)) is not None:
        return stop
    business = request.business
    choices = taxonomy_choices()
    rows = [
        OnboardingServiceForm(
            request.POST or None,
            prefix=f"s{i}",
            currency=business.currency,
            choices=choices,
        )
        for i in range(SERVICE_ROWS)
    ]
    status = 200
    if request.method == "POST" and all_valid(rows):
        picks = [
            {
                "category_id": row.cleaned_data["category"],
                "duration_minutes": row.cleaned_data["duration_minutes"],
                "price_amount": row.cleaned_data["price_amount"],
            }
            for row in rows
            if row.cleaned_data.get("category")
        ]
        with refusals(request=request) as refused:
            catalog_services.onboarding_services(actor=request.user, business=business, picks=picks)
        if not refused:
            return redirect("catalog:onboarding_team", business_slug=business.slug)
        status = refused.status
    existing = list(Service.objects.order_by("position", "name"))
    return render(
        request,
        "catalog/office/onboarding/services.html",
        _context(request, "services", rows=rows, existing=existing),
        status=status,
    )


@backoffice_view(Capability.MANAGE_CATALOG)
def onboarding_team(request):
    """Step 3: the people who take clients, and the opening hours."""
    if (stop := _editable_or_overview(request)) is not None:
        return stop
    business = request.business
    form = OnboardingTeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusals(form, fields={"names": "name_1"}) as refused:
            catalog_services.onboarding_team(
                actor=request.user,
                business=business,
                names=[data["name_1"], data["name_2"], data["name_3"]],
                weekdays=data["weekdays"],
                opens=data["opens"],
                closes=data["closes"],
            )
        if not refused:
            return redirect("catalog:onboarding_plan", business_slug=business.slug)
    existing = list(Master.objects.order_by("display_name"))
    return render(
        request,
        "catalog/office/onboarding/team.html",
        _context(request, "team", form=form, existing=existing),
    )


def _plans(business) -> list[dict]:
    """The plans on sale in the salon's currency, as the plan step shows them."""
    shown = []
    for plan in billing_selectors.plans():
        price = plan.price_in(business.currency)
        if price is None and plan.prices:
            continue  # not sold in this currency
        shown.append(
            {
                "code": plan.code,
                "label": plan_name(plan.code),
                "price": price or 0,
                "trial_days": plan.trial_days if price else 0,
                "commission": f"{plan.commission_rate_bp / 100:g}",
            }
        )
    return shown


@backoffice_view(Capability.MANAGE_BUSINESS)
def onboarding_plan(request):
    """Step 4: the plan (billing's subscription), then the overview."""
    if (stop := _editable_or_overview(request)) is not None:
        return stop
    business = request.business
    plans = _plans(business)
    current = billing_selectors.subscription_of(business)
    chosen = request.POST.get("plan") or (current.plan.code if current else "")
    if not chosen and plans:
        chosen = next((p["code"] for p in plans if p["trial_days"]), plans[0]["code"])
    status = 200
    if request.method == "POST":
        if chosen not in {p["code"] for p in plans}:
            messages.error(request, _("Choose a plan."))
            status = 400
        else:
            with refusals(request=request) as refused:
                billing_services.subscription_start(
                    business=business, plan_code=chosen, actor=request.user
                )
            if not refused:
                return redirect("catalog:onboarding", business_slug=business.slug)
            status = refused.status
    return render(
        request,
        "catalog/office/onboarding/plan.html",
        _context(request, "plan", plans=plans, chosen=chosen),
        status=status,
    )


@backoffice_view(Capability.MANAGE_BUSINESS)
def onboarding(request):
    """The overview: what is done, what is left, and the request for approval."""
    location = Location.objects.order_by("pk").first()
    return render(
        request,
        "catalog/office/onboarding/overview.html",
        _context(
            request,
            "submit",
            location=location,
            services=list(Service.objects.order_by("position", "name")),
            masters=list(Master.objects.order_by("display_name")),
            subscription=billing_selectors.subscription_of(request.business),
        ),
    )


@backoffice_view(Capability.MANAGE_BUSINESS)
@require_POST
def onboarding_submit(request):
    with refusals(request=request) as refused:
        catalog_services.onboarding_submit(actor=request.user, business=request.business)
    if not refused:
        messages.success(
            request,
            _(
                "Thank you! The platform checks your salon and puts it online, usually within a day."
            ),
        )
    return redirect("catalog:onboarding", business_slug=request.business.slug)
