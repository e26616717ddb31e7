"""Back-office pages for a salon's reviews (reply) and offers (off-peak,
promo codes); the platform staff's moderation queue; the public report form."""

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_scopes import scopes_disabled

from solibook.accounts.access import backoffice_view
from solibook.accounts.roles import Capability
from solibook.catalog.models import Weekday
from solibook.clientarea.forms import ReplyForm, ReportForm
from solibook.clientarea.office_forms import OffPeakForm, PromoForm
from solibook.core.errors import DomainError
from solibook.core.forms import form_error_from_domain
from solibook.offers.models import OffPeakRule, PromoCode
from solibook.offers.services import (
    offpeak_rule_create,
    offpeak_rule_delete,
    promo_code_create,
    promo_code_set_active,
)
from solibook.reviews.models import Review, ReviewStatus
from solibook.reviews.selectors import rating_summary
from solibook.reviews.services import moderation_queue, review_moderate, review_reply, review_report


@backoffice_view(Capability.VIEW_BACK_OFFICE)
def reviews(request):
    business = request.business
    items = list(
        Review.objects.filter(business=business)
        .select_related("location")
        .order_by("-created_at", "-id")[:200]
    )
    return render(
        request,
        "clientarea/office/reviews.html",
        {
            "reviews": items,
            "summary": rating_summary([business.pk])[business.pk],
            "form": ReplyForm(),
            "can_reply": "manage_business" in request.access.capabilities,
        },
    )


@backoffice_view(Capability.MANAGE_BUSINESS)
@require_POST
def review_reply_view(request, review_id: int):
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            review_reply(
                business=request.business,
                review_id=review_id,
                text=form.cleaned_data["reply_text"],
                actor=request.user,
            )
        except DomainError as exc:
            if exc.status_code == 404:
                raise Http404 from exc
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Your reply is published."))
    else:
        messages.error(request, _("At most 2000 characters."))
    return redirect("client:office_reviews", business_slug=request.business.slug)


@backoffice_view(Capability.MANAGE_BUSINESS)
def offers(request):
    business = request.business
    offpeak_form = OffPeakForm(
        request.POST if request.POST.get("form") == "offpeak" else None, business=business
    )
    promo_form = PromoForm(request.POST if request.POST.get("form") == "promo" else None)
    status = 200
    if request.method == "POST":
        form = offpeak_form if request.POST.get("form") == "offpeak" else promo_form
        if form.is_valid():
            try:
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
            except DomainError as exc:
                form_error_from_domain(form, exc)
                status = exc.status_code
            else:
                messages.success(request, _("The offer is saved."))
                return redirect("client:office_offers", business_slug=business.slug)
        else:
            status = 400
    rules = list(OffPeakRule.objects.filter(business=business).select_related("location"))
    for rule in rules:
        rule.days_label = ", ".join(str(Weekday(d).label) for d in rule.weekdays if 0 <= d <= 6)
    return render(
        request,
        "clientarea/office/offers.html",
        {
            "rules": rules,
            "promos": list(PromoCode.objects.filter(business=business)),
            "offpeak_form": offpeak_form,
            "promo_form": promo_form,
        },
        status=status,
    )


@backoffice_view(Capability.MANAGE_BUSINESS)
@require_POST
def offpeak_delete(request, rule_id: int):
    try:
        offpeak_rule_delete(business=request.business, rule_id=rule_id, actor=request.user)
    except DomainError as exc:
        raise Http404 from exc
    messages.success(request, _("The offer is removed."))
    return redirect("client:office_offers", business_slug=request.business.slug)


@backoffice_view(Capability.MANAGE_BUSINESS)
@require_POST
def promo_toggle(request, promo_id: int):
    try:
        promo_code_set_active(
            business=request.business,
            promo_id=promo_id,
            is_active=request.POST.get("active") == "1",
            actor=request.user,
        )
    except DomainError as exc:
        raise Http404 from exc
    return redirect("client:office_offers", business_slug=request.business.slug)


def report(request, review_id: int):
    """Anyone reports a review to the moderators."""
    with scopes_disabled():
        review = (
            Review.objects.filter(pk=review_id, status=ReviewStatus.PUBLISHED)
            .select_related("business")
            .first()
        )
    if review is None:
        raise Http404
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                review_report(review_id=review.pk, reporter=request.user, **form.cleaned_data)
            except DomainError as exc:
                form_error_from_domain(form, exc)
                status = exc.status_code
            else:
                return render(request, "clientarea/reviews/reported.html", {"review": review})
        else:
            status = 400
    return render(
        request, "clientarea/reviews/report.html", {"review": review, "form": form}, status=status
    )


@staff_member_required
def moderation(request):
    return render(request, "clientarea/platform/moderation.html", {"queue": moderation_queue()})


@staff_member_required
@require_POST
def moderate(request, review_id: int):
    try:
        review_moderate(
            review_id=review_id,
            action=request.POST.get("action", ""),
            actor=request.user,
            note=request.POST.get("note", ""),
        )
    except DomainError as exc:
        if exc.status_code == 404:
            raise Http404 from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Done."))
    return redirect("client:moderation")
