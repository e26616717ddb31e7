"""Back-office pages of partnerships (owners and managers: `manage_business`)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solibook.accounts.access import backoffice_view
from solibook.accounts.roles import Capability
from solibook.core.refusals import refusals
from solibook.partnerships import selectors, services
from solibook.partnerships.forms import LandingForm
from solibook.partnerships.models import Landing

MANAGE = Capability.MANAGE_BUSINESS


@backoffice_view(MANAGE)
def landing_list(request):
    form = LandingForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            with refusals(form) as refused:
                landing = services.landing_create(
                    business=request.business, actor=request.user, **form.cleaned_data
                )
            if not refused:
                messages.success(request, _("Landing page created."))
                return redirect(
                    "partnerships:landing_detail",
                    business_slug=request.business.slug,
                    landing_id=landing.pk,
                )
            status = refused.status
    return render(
        request,
        "partnerships/office/landing_list.html",
        {"form": form, "rows": selectors.landings_with_effect(business=request.business)},
        status=status,
    )


@backoffice_view(MANAGE)
def landing_detail(request, landing_id: int):
    landing = Landing.objects.select_related("promo", "link").filter(pk=landing_id).first()
    if landing is None:
        raise Http404
    effect = selectors.landing_effects([landing])[landing.pk]
    return render(
        request,
        "partnerships/office/landing_detail.html",
        {
            "landing": landing,
            "effect": effect,
            "running": selectors.is_running(landing),
            "link_url": request.build_absolute_uri(
                reverse("social:click", args=[landing.link.code])
            ),
            "page_url": request.build_absolute_uri(
                reverse("partnerships:public", args=[request.business.slug, landing.slug])
            ),
        },
    )


@require_POST
@backoffice_view(MANAGE)
def landing_active(request, landing_id: int):
    with refusals(request=request, not_found_404=True):
        services.landing_set_active(
            business=request.business,
            landing_id=landing_id,
            is_active=request.POST.get("is_active") == "1",
            actor=request.user,
        )
    return redirect(
        "partnerships:landing_detail", business_slug=request.business.slug, landing_id=landing_id
    )
