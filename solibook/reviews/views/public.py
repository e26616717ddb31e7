"""The public report form: anyone asks the moderators to check a review."""

from django.http import Http404
from django.shortcuts import render
from django_scopes import scopes_disabled

from solibook.core.refusals import refusals
from solibook.reviews.forms import ReportForm
from solibook.reviews.models import Review, ReviewStatus
from solibook.reviews.services import review_report


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
            with refusals(form) as refused:
                review_report(review_id=review.pk, reporter=request.user, **form.cleaned_data)
            if not refused:
                return render(request, "reviews/reported.html", {"review": review})
            status = refused.status
        else:
            status = 400
    return render(request, "reviews/report.html", {"review": review, "form": form}, status=status)
