"""The platform staff's review moderation queue."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solibook.accounts.access import platform_view
from solibook.accounts.roles import PlatformCapability
from solibook.core.refusals import refusals
from solibook.reviews.services import moderation_queue, review_moderate


@platform_view(capability=PlatformCapability.MODERATE_REVIEWS)
def moderation(request):
    return render(request, "reviews/platform/moderation.html", {"queue": moderation_queue()})


@platform_view(capability=PlatformCapability.MODERATE_REVIEWS)
@require_POST
def moderate(request, review_id: int):
    with refusals(request=request, not_found_404=True) as refused:
        review_moderate(
            review_id=review_id,
            action=request.POST.get("action", ""),
            actor=request.user,
            note=request.POST.get("note", ""),
        )
    if not refused:
        messages.success(request, _("Done."))
    return redirect("reviews:moderation")
