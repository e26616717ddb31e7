"""The platform staff's referral pages: partners and salon invites."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_scopes import scopes_disabled

from solibook.accounts.access import platform_view
from solibook.accounts.roles import PlatformCapability
from solibook.core.refusals import refusals
from solibook.core.tenancy import business_scope
from solibook.referrals import services
from solibook.referrals.models import (
    Partner,
    PartnerStatus,
    Referral,
    ReferralStatus,
    SalonInvite,
)


@platform_view(capability=PlatformCapability.MANAGE_PLATFORM_FINANCE)
def platform_home(request):
    with scopes_disabled():
        partners = list(
            Partner.objects.select_related("business", "user").filter(status=PartnerStatus.PENDING)[
                :200
            ]
        )
        invites = list(SalonInvite.objects.select_related("inviter", "invitee")[:200])
        held = Referral.objects.filter(status=ReferralStatus.HELD).count()
        return render(
            request,
            "referrals/platform/home.html",
            {"partners": partners, "invites": invites, "held": held},
        )


@platform_view(capability=PlatformCapability.MANAGE_PLATFORM_FINANCE)
@require_POST
def platform_partner_decide(request, partner_id: int):
    with scopes_disabled():
        partner = Partner.objects.select_related("business").filter(pk=partner_id).first()
    if partner is None:
        raise Http404
    with business_scope(partner.business):
        services.partner_decide(
            business=partner.business,
            partner_id=partner.pk,
            approve=request.POST.get("decision") == "approve",
            actor=request.user,
        )
    messages.success(request, _("Decision recorded."))
    return redirect("referrals:platform")


@platform_view(capability=PlatformCapability.MANAGE_PLATFORM_FINANCE)
@require_POST
def platform_invite_live(request, invite_id: int):
    with refusals(request=request, not_found_404=True) as refused:
        services.salon_went_live(invite_id=invite_id, actor=request.user)
    if not refused:
        messages.success(request, _("Subscription credit given to both salons."))
    return redirect("referrals:platform")
