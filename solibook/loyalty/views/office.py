"""The salon's loyalty back-office pages: programme settings, tiers, challenges
and the staff leaderboard."""

from datetime import timedelta

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solibook.accounts.access import backoffice_view
from solibook.accounts.roles import Capability
from solibook.core.refusals import refusals
from solibook.loyalty import selectors, services
from solibook.loyalty.forms import ChallengeForm, ProgrammeForm, TierForm
from solibook.loyalty.models import Challenge, Tier


@backoffice_view(Capability.MANAGE_BUSINESS)
def office_programme(request):
    business = request.business
    programme = selectors.programme_for(business=business)
    form = ProgrammeForm(
        request.POST if request.POST.get("form") == "programme" else None, instance=programme
    )
    tier_form = TierForm(request.POST if request.POST.get("form") == "tier" else None)
    challenge_form = ChallengeForm(
        request.POST if request.POST.get("form") == "challenge" else None
    )
    if request.method == "POST":
        bound = next((f for f in (form, tier_form, challenge_form) if f.is_bound), form)
        with refusals(bound):
            if form.is_bound and form.is_valid():
                values = {
                    f: form.cleaned_data[f] for f in form.Meta.fields if f != "excluded_categories"
                }
                services.programme_update(
                    business=business,
                    actor=request.user,
                    excluded_category_ids=[c.pk for c in form.cleaned_data["excluded_categories"]],
                    **values,
                )
                messages.success(request, _("Loyalty programme saved."))
                return redirect("loyalty:office", business_slug=business.slug)
            if tier_form.is_bound and tier_form.is_valid():
                services.tier_save(business=business, actor=request.user, **tier_form.cleaned_data)
                messages.success(request, _("Tier added."))
                return redirect("loyalty:office", business_slug=business.slug)
            if challenge_form.is_bound and challenge_form.is_valid():
                services.challenge_save(
                    business=business, actor=request.user, **challenge_form.cleaned_data
                )
                messages.success(request, _("Challenge added."))
                return redirect("loyalty:office", business_slug=business.slug)
    context = {
        "form": form,
        "tier_form": tier_form,
        "challenge_form": challenge_form,
        "tiers": Tier.objects.filter(business=business),
        "challenges": Challenge.objects.filter(business=business),
        "top_clients": selectors.top_clients(business=business),
    }
    return render(request, "loyalty/office/programme.html", context)


@backoffice_view(Capability.MANAGE_BUSINESS)
@require_POST
def office_tier_delete(request, tier_id: int):
    with refusals(as_404=True):
        services.tier_delete(business=request.business, tier_id=tier_id, actor=request.user)
    messages.success(request, _("Tier removed."))
    return redirect("loyalty:office", business_slug=request.business.slug)


@backoffice_view()
def office_leaderboard(request):
    programme = selectors.programme_for(business=request.business)
    now = timezone.now()
    rows = (
        selectors.staff_leaderboard(
            business=request.business, since=now - timedelta(days=90), until=now
        )
        if programme.leaderboard_enabled
        else []
    )
    return render(
        request,
        "loyalty/office/leaderboard.html",
        {"enabled": programme.leaderboard_enabled, "rows": rows},
    )
