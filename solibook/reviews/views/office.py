"""Back-office pages of a salon's reviews: the list and the public reply."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solibook.accounts.access import backoffice_view
from solibook.accounts.roles import Capability
from solibook.core.refusals import refusals
from solibook.reviews.forms import ReplyForm
from solibook.reviews.models import Review
from solibook.reviews.selectors import rating_summary
from solibook.reviews.services import review_reply


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
        "reviews/office/reviews.html",
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
        with refusals(request=request, not_found_404=True) as refused:
            review_reply(
                business=request.business,
                review_id=review_id,
                text=form.cleaned_data["reply_text"],
                actor=request.user,
            )
        if not refused:
            messages.success(request, _("Your reply is published."))
    else:
        messages.error(request, _("At most 2000 characters."))
    return redirect("reviews:office", business_slug=request.business.slug)
