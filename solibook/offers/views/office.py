"""Back-office pages of a salon's offers: off-peak discounts and promo codes."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solibook.accounts.access import backoffice_view
from solibook.accounts.roles import Capability
from solibook.catalog.models import Weekday
from solibook.core.refusals import refusals
from solibook.offers.forms import OffPeakForm, PromoForm
from solibook.offers.models import OffPeakRule, PromoCode
from solibook.offers.services import (
    offpeak_rule_create,
    offpeak_rule_delete,
    promo_code_create,
    promo_code_set_active,
)


@backoffice_view(Capability.MANAGE_BUSINESS)
def offers(request):
    business = request.business
    offpeak_form = OffPeakForm(
        request.POST if request.POST.get("form") == "offpeak" else None, business=business
    )
    promo_form = PromoForm(
        request.POST if request.POST.get("form") == "promo" else None, business=business
    )
    status = 200
    if request.method == "POST":
        form = offpeak_form if request.POST.get("form") == "offpeak" else promo_form
        if form.is_valid():
            with refusals(form) as refused:
                if form is offpeak_form:
                    data = offpeak_form.cleaned_data
                    offpeak_rule_create(
                        business=business,
                        weekdays=[int(d) for d in data["weekdays"]],
                        start=data["start"],
                        end=data["end"],
                        discount_percent=data["discount_percent"],
                        location_id=data["location"].pk if data["location"] else None,
                        name=data["name"],
                        valid_from=data["valid_from"],
                        valid_until=data["valid_until"],
                        actor=request.user,
                    )
                else:
                    promo_code_create(
                        business=business,
                        actor=request.user,
                        **promo_form.service_arguments(business),
                    )
            if not refused:
                messages.success(request, _("The offer is saved."))
                return redirect("offers:office", business_slug=business.slug)
            status = refused.status
        else:
            status = 400
    rules = list(OffPeakRule.objects.filter(business=business).select_related("location"))
    for rule in rules:
        rule.days_label = ", ".join(str(Weekday(d).label) for d in rule.weekdays if 0 <= d <= 6)
    return render(
        request,
        "offers/office/offers.html",
        {
            "rules": rules,
            "promos": list(
                PromoCode.objects.filter(business=business, issued_by="").select_related("service")
            ),
            "offpeak_form": offpeak_form,
            "promo_form": promo_form,
        },
        status=status,
    )


@backoffice_view(Capability.MANAGE_BUSINESS)
@require_POST
def offpeak_delete(request, rule_id: int):
    with refusals(as_404=True):
        offpeak_rule_delete(business=request.business, rule_id=rule_id, actor=request.user)
    messages.success(request, _("The offer is removed."))
    return redirect("offers:office", business_slug=request.business.slug)


@backoffice_view(Capability.MANAGE_BUSINESS)
@require_POST
def promo_toggle(request, promo_id: int):
    with refusals(as_404=True):
        promo_code_set_active(
            business=request.business,
            promo_id=promo_id,
            is_active=request.POST.get("active") == "1",
            actor=request.user,
        )
    return redirect("offers:office", business_slug=request.business.slug)
