"""The signed-in client's referral pages: their links, the partner's dashboard and
campaigns, joining a salon's partner programme."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_scopes import scopes_disabled

from solibook.booking.models import Appointment
from solibook.catalog.models import Business
from solibook.core.refusals import refusals
from solibook.core.tenancy import business_scope
from solibook.referrals import selectors, services
from solibook.referrals.forms import (
    CampaignForm,
    PartnerSignupForm,
)
from solibook.referrals.models import (
    Partner,
    ReferralCode,
    ReferralProgramme,
)
from solibook.referrals.views.public import request_signals, share_links, with_device


def _businesses_of(user) -> list[Business]:
    with scopes_disabled():
        ids = set(Appointment.objects.filter(account=user).values_list("business_id", flat=True))
        ids |= {
            c.business_id for c in ReferralCode.objects.filter(owner=user, partner__isnull=True)
        }
        active = set(
            ReferralProgramme.objects.filter(business_id__in=ids, is_active=True).values_list(
                "business_id", flat=True
            )
        )
        return list(Business.objects.filter(pk__in=active).order_by("name"))


@login_required
def my_referrals(request):
    """My codes and links per salon, with share buttons; my referred friends and rewards."""
    if request.method == "POST":
        business = next(
            (
                b
                for b in _businesses_of(request.user)
                if str(b.pk) == request.POST.get("business", "")
            ),
            None,
        )
        if business is None:
            messages.error(request, _("This salon has no referral programme."))
        else:
            with business_scope(business):
                services.code_personal(business=business, owner=request.user)
        return redirect("referrals:mine")
    services.owner_seen(user=request.user, **request_signals(request))
    language = getattr(request, "LANGUAGE_CODE", "en")
    codes = []
    for code in selectors.codes_of(user=request.user):
        url = request.build_absolute_uri(reverse("referrals:landing", kwargs={"code": code.code}))
        text = _("Book at %(salon)s with my code %(code)s") % {
            "salon": code.business.name,
            "code": code.code,
        }
        codes.append({"code": code, "url": url, "text": text, "shares": share_links(url, text)})
    now = timezone.now()
    rewards = [(r, r.state(now)) for r in selectors.rewards_of(user=request.user)]
    have = {c["code"].business_id for c in codes}
    context = {
        "codes": codes,
        "referrals": selectors.referrals_made(user=request.user),
        "rewards": rewards,
        "vouchers": selectors.vouchers_of(user=request.user),
        "can_join": [b for b in _businesses_of(request.user) if b.pk not in have],
        "language": language,
        "now": now,
    }
    return with_device(request, render(request, "referrals/client/mine.html", context))


@login_required
def partner_home(request):
    """The partner's dashboard at every salon they work with."""
    dashboards = []
    for partner in selectors.partnerships_of(user=request.user):
        with business_scope(partner.business):
            dash = selectors.partner_dashboard(partner=partner)
            links = [
                (
                    c,
                    request.build_absolute_uri(
                        reverse("referrals:landing", kwargs={"code": c.code.code})
                    )
                    if c.code
                    else "",
                )
                for c in dash.campaigns
            ]
            dashboards.append({"dash": dash, "links": links})
    return render(
        request,
        "referrals/client/partner_home.html",
        {"dashboards": dashboards, "campaign_form": CampaignForm()},
    )


@login_required
def partner_join(request, salon_slug: str):
    with scopes_disabled():
        business = Business.objects.filter(slug=salon_slug).first()
    if business is None:
        raise Http404
    form = PartnerSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals(form) as refused, business_scope(business):
            services.partner_signup(business=business, user=request.user, **form.cleaned_data)
        if not refused:
            messages.success(request, _("Thank you: the salon will review your application."))
            return redirect("referrals:partner_home")
    return render(
        request, "referrals/client/partner_join.html", {"form": form, "business": business}
    )


@login_required
@require_POST
def partner_campaign(request, partner_id: int):
    with scopes_disabled():
        partner = (
            Partner.objects.select_related("business")
            .filter(pk=partner_id, user=request.user)
            .first()
        )
    if partner is None:
        raise Http404
    form = CampaignForm(request.POST)
    if form.is_valid():
        with refusals(request=request) as refused, business_scope(partner.business):
            services.campaign_create(
                business=partner.business, partner=partner, name=form.cleaned_data["name"]
            )
        if not refused:
            messages.success(request, _("Campaign created with its own link and code."))
    else:
        messages.error(request, _("Name the campaign."))
    return redirect("referrals:partner_home")
