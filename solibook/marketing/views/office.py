"""Back-office pages of marketing (owners and managers: `manage_business`).
Thin: a form, one service call; every query in the business's scope, so
another salon's ids are 404."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solibook.accounts.access import backoffice_view
from solibook.accounts.roles import Capability
from solibook.catalog.models import Service
from solibook.clients.models import Segment
from solibook.core.refusals import refusals
from solibook.marketing import selectors, sending, services, templating
from solibook.marketing.forms import CampaignForm, JourneyForm, SettingsForm
from solibook.marketing.models import Campaign, CampaignTemplate, JourneyKind

MANAGE = Capability.MANAGE_BUSINESS


def _rfm_choices():
    if services.retention is None:
        return []
    return [(code, str(label)) for code, label in services.retention.SEGMENTS.items()]


def _campaign(pk: int) -> Campaign:
    campaign = Campaign.objects.select_related("segment").filter(pk=pk).first()
    if campaign is None:
        raise Http404
    return campaign


def _url(request, name: str, *args) -> str:
    return reverse(f"marketing:{name}", args=[request.business.slug, *args])


@backoffice_view(MANAGE)
def campaign_list(request):
    campaigns = list(Campaign.objects.select_related("segment")[:200])
    return render(
        request,
        "marketing/office/campaign_list.html",
        {"campaigns": campaigns, "prefs": sending.settings_of(request.business)},
    )


def _initial(campaign: Campaign | None, prefs) -> dict:
    if campaign is None:
        return {
            "holdout_percent": prefs.holdout_percent,
            "window_days": prefs.window_days,
            "offer_days": 30,
            "channels": ["email"],
            "audience": Campaign.Audience.SEGMENT,
        }
    initial = {
        "name": campaign.name,
        "audience": campaign.audience,
        "segment_id": campaign.segment_id,
        "rfm_code": campaign.rfm_code,
        "channels": campaign.channels,
        "offer": campaign.offer,
        "discount_percent": campaign.discount_percent,
        "service_id": campaign.service_id,
        "offer_days": campaign.offer_days,
        "holdout_percent": campaign.holdout_percent,
        "window_days": campaign.window_days,
        "scheduled_at": campaign.scheduled_at,
    }
    for template in CampaignTemplate.objects.filter(campaign=campaign):
        initial[f"subject_{template.language}"] = template.subject
        initial[f"body_{template.language}"] = template.body
    return initial


@backoffice_view(MANAGE)
def campaign_edit(request, campaign_id: int | None = None):
    business = request.business
    campaign = _campaign(campaign_id) if campaign_id else None
    if campaign is not None and campaign.status != Campaign.Status.DRAFT:
        return redirect(_url(request, "campaign_detail", campaign.pk))
    form = CampaignForm(
        request.POST or None,
        initial=_initial(campaign, sending.settings_of(business)),
        segments=Segment.objects.order_by("name"),
        rfm=_rfm_choices(),
        services=Service.objects.filter(is_active=True).order_by("name"),
    )
    if request.method == "POST" and form.is_valid():
        with refusals(form, fields={"audience_kind": "audience"}) as refused:
            campaign = services.campaign_save(
                business=business, actor=request.user, campaign=campaign, **form.service_values()
            )
        if not refused and campaign is not None:
            messages.success(request, _("Campaign saved: check the audience, then send."))
            return redirect(_url(request, "campaign_detail", campaign.pk))
    return render(
        request,
        "marketing/office/campaign_form.html",
        {
            "form": form,
            "campaign": campaign,
            "languages": settings.LANGUAGES,
            "variables": templating.VARIABLES,
        },
        status=400 if request.method == "POST" else 200,
    )


@backoffice_view(MANAGE)
def campaign_detail(request, campaign_id: int):
    business = request.business
    campaign = _campaign(campaign_id)
    context = {
        "campaign": campaign,
        "previews": selectors.campaign_previews(campaign=campaign, business=business),
    }
    if campaign.status == Campaign.Status.DRAFT:
        context["estimate"] = services.audience_estimate(business=business, campaign=campaign)
    else:
        context["report"] = selectors.campaign_report(campaign=campaign)
        context["holdout_size"] = campaign.recipients.filter(group="holdout").count()
    return render(request, "marketing/office/campaign_detail.html", context)


@require_POST
@backoffice_view(MANAGE)
def campaign_send(request, campaign_id: int):
    campaign = _campaign(campaign_id)
    with refusals(request=request) as refused:
        campaign = services.campaign_send(
            business=request.business, actor=request.user, campaign_id=campaign.pk
        )
    if not refused:
        if campaign.status == Campaign.Status.SCHEDULED:
            messages.success(request, _("Campaign scheduled."))
        else:
            messages.success(request, _("Campaign sending: messages are on their way."))
    return redirect(_url(request, "campaign_detail", campaign.pk))


@require_POST
@backoffice_view(MANAGE)
def campaign_cancel(request, campaign_id: int):
    campaign = _campaign(campaign_id)
    with refusals(request=request) as refused:
        services.campaign_cancel(
            business=request.business, actor=request.user, campaign_id=campaign.pk
        )
    if not refused:
        messages.success(request, _("Campaign stopped: nothing more will be sent."))
    return redirect(_url(request, "campaign_detail", campaign.pk))


@backoffice_view(MANAGE)
def journey_list(request):
    business = request.business
    prefs = sending.settings_of(business)
    rows = selectors.journeys_overview(business=business, window_days=prefs.window_days)
    for row in rows:
        journey = row["journey"] or services.journey_of(business, row["kind"])
        row["journey"] = journey
        row["form"] = JourneyForm(
            prefix=row["kind"],
            initial={
                "enabled": journey.enabled,
                "channels": journey.channels,
                "holdout_percent": journey.holdout_percent,
                "discount_percent": journey.discount_percent,
                "days": journey.days,
            },
        )
    return render(
        request, "marketing/office/journeys.html", {"rows": rows, "window_days": prefs.window_days}
    )


@require_POST
@backoffice_view(MANAGE)
def journey_update(request, kind: str):
    if kind not in JourneyKind.values:
        raise Http404
    form = JourneyForm(request.POST, prefix=kind)
    if form.is_valid():
        with refusals(request=request) as refused:
            journey = services.journey_update(
                business=request.business, actor=request.user, kind=kind, **form.cleaned_data
            )
        if not refused:
            messages.success(
                request,
                (_("%(journey)s is on.") if journey.enabled else _("%(journey)s is off."))
                % {"journey": journey.get_kind_display()},
            )
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))
    return redirect(_url(request, "journeys"))


@backoffice_view(MANAGE)
def settings_page(request):
    business = request.business
    prefs = sending.settings_of(business)
    initial = {
        "quiet_start": prefs.quiet_start,
        "quiet_end": prefs.quiet_end,
        "holdout_percent": prefs.holdout_percent,
        "window_days": prefs.window_days,
        **{f"throttle_{c}": prefs.rate(c) for c in ("email", "sms", "whatsapp", "push")},
    }
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusals(form) as refused:
            services.settings_update(
                business=business,
                actor=request.user,
                quiet_start=data["quiet_start"],
                quiet_end=data["quiet_end"],
                holdout_percent=data["holdout_percent"],
                window_days=data["window_days"],
                throttle={c: data[f"throttle_{c}"] for c in ("email", "sms", "whatsapp", "push")},
            )
        if not refused:
            messages.success(request, _("Marketing settings saved."))
            return redirect(_url(request, "settings"))
    return render(
        request,
        "marketing/office/settings.html",
        {"form": form, "now": timezone.now()},
        status=400 if request.method == "POST" else 200,
    )
