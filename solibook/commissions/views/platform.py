"""The operator's pages: commission disputes, accepted or rejected with a reason."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solibook.accounts.access import platform_view
from solibook.accounts.roles import PlatformCapability
from solibook.commissions import selectors, services
from solibook.commissions.forms import DecisionForm
from solibook.commissions.models import Dispute
from solibook.core.refusals import refusals


@platform_view(capability=PlatformCapability.VIEW_PLATFORM_FINANCE)
def disputes(request):
    status = request.GET.get("status", Dispute.Status.OPEN)
    disputes = selectors.disputes_for_platform(status=status)
    for dispute in disputes:  # one form per dispute, with ids of its own
        dispute.form = DecisionForm(auto_id=f"dispute{dispute.pk}_%s")
    return render(
        request,
        "commissions/platform/disputes.html",
        {"disputes": disputes, "status": status, "statuses": Dispute.Status.choices},
    )


@platform_view(capability=PlatformCapability.MANAGE_PLATFORM_FINANCE)
@require_POST
def decide(request, dispute_id: int):
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision and give its reason."))
        return redirect("commissions:platform_disputes")
    with refusals(request=request, not_found_404=True) as refused:
        services.dispute_decide(
            dispute_id=dispute_id,
            accept=form.cleaned_data["decision"] == "accept",
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )
    if not refused:
        messages.success(request, _("The decision is recorded and the salon can see it."))
    return redirect("commissions:platform_disputes")
