"""The salon's back-office pages: its commission lines (with their evidence
and a dispute button) and its boosts (buy, pause, figures)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solibook.accounts.access import backoffice_view
from solibook.accounts.roles import Capability
from solibook.commissions import promotion, selectors, services
from solibook.commissions.forms import BoostForm, DisputeForm
from solibook.commissions.models import LineStatus
from solibook.core.refusals import refusals


@backoffice_view(Capability.VIEW_FINANCE)
def lines(request):
    business = request.business
    status = request.GET.get("status", "")
    shown = list(selectors.lines_of(business=business, status=status)[:200])
    for line in shown:  # one form per line, with ids of its own
        line.dispute_form = DisputeForm(auto_id=f"line{line.pk}_%s")
    return render(
        request,
        "commissions/office/lines.html",
        {
            "lines": shown,
            "totals": selectors.totals_of(business=business),
            "statuses": LineStatus.choices,
            "status": status,
            "disputable": (LineStatus.PENDING, LineStatus.INVOICED),
            "section": "finance",
        },
    )


@backoffice_view(Capability.MANAGE_BUSINESS)
@require_POST
def dispute(request, line_id: int):
    form = DisputeForm(request.POST)
    if form.is_valid():
        with refusals(request=request, not_found_404=True) as refused:
            services.dispute_open(
                business=request.business,
                line_id=line_id,
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        if not refused:
            messages.success(request, _("Your dispute is sent. The platform will answer it."))
    else:
        messages.error(request, _("Say why this line is wrong."))
    return redirect("commissions:office", business_slug=request.business.slug)


@backoffice_view(Capability.MANAGE_BUSINESS)
def boosts(request):
    business = request.business
    form = BoostForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            with refusals(form, fields={"price_amount": "price"}) as refused:
                promotion.promotion_buy(
                    business=business, actor=request.user, **form.service_arguments(business)
                )
            if not refused:
                messages.success(request, _("Your boost is running."))
                return redirect("commissions:office_boosts", business_slug=business.slug)
            status = refused.status
        else:
            status = 400
    return render(
        request,
        "commissions/office/boosts.html",
        {
            "boosts": selectors.boosts_of(business=business, today=timezone.now().date()),
            "form": form,
        },
        status=status,
    )


@backoffice_view(Capability.MANAGE_BUSINESS)
@require_POST
def boost_active(request, promotion_id: int):
    with refusals(as_404=True):
        promotion.promotion_set_active(
            business=request.business,
            promotion_id=promotion_id,
            is_active=request.POST.get("active") == "1",
            actor=request.user,
        )
    return redirect("commissions:office_boosts", business_slug=request.business.slug)
