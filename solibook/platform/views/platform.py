"""The platform operator's area: onboarded businesses at a glance."""

from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import render
from django_scopes import scopes_disabled

from solibook.accounts.access import platform_view
from solibook.accounts.models import Membership, User
from solibook.catalog.models import Business, Location
from solibook.core.models import AuditEvent


def _counts_by_business(model) -> dict[int, int]:
    return dict(
        model.objects.values_list("business_id")
        .annotate(n=Count("id"))
        .values_list("business_id", "n")
    )


@platform_view
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


@platform_view
def audit(request):
    """Every sensitive action on the platform: logins of team members,
    exports, erasures, role changes, two-factor changes; filter by action
    prefix (`privacy.`, `auth.`, `membership.`) or business."""
    events = AuditEvent.objects.select_related("actor", "business").order_by("-created_at", "-id")
    action = request.GET.get("action", "").strip()[:64]
    if action:
        events = events.filter(action__startswith=action)
    business = request.GET.get("business", "").strip()
    if business.isdigit() and len(business) < 19:
        events = events.filter(business_id=int(business))
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "platform/platform/audit.html",
        {"page": page, "action": action, "business": business},
    )
