"""The platform operator's area: onboarded businesses at a glance."""

from django.contrib.admin.views.decorators import staff_member_required
from django.db.models import Count
from django.shortcuts import render
from django_scopes import scopes_disabled

from solibook.accounts.models import Membership, User
from solibook.catalog.models import Business, Location


def _counts_by_business(model) -> dict[int, int]:
    return dict(model.objects.values_list("business_id").annotate(n=Count("id")).values_list("business_id", "n"))


@staff_member_required
def home(request):
    with scopes_disabled():  # the operator sees every tenant
        businesses = list(Business.objects.order_by("-created_at")[:200])
        team_sizes = _counts_by_business(Membership)
        location_counts = _counts_by_business(Location)
    for business in businesses:
        business.team_size = team_sizes.get(business.pk, 0)
        business.location_count = location_counts.get(business.pk, 0)
    context = {
        "businesses": businesses,
        "business_count": Business.objects.count(),
        "user_count": User.objects.count(),
    }
    return render(request, "platform/home.html", context)
