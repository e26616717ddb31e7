"""Back-office pages of retention: the salon's RFM segments with their counts, the clients
at risk with the reasons, and one segment's clients. Needs `manage_clients`."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from solibook.accounts.access import backoffice_view
from solibook.accounts.roles import Capability
from solibook.retention import selectors


@backoffice_view(Capability.MANAGE_CLIENTS)
def retention_home(request):
    found = selectors.overview(business=request.business, now=timezone.now())
    return render(request, "retention/office/home.html", {"overview": found})


@backoffice_view(Capability.MANAGE_CLIENTS)
def segment_detail(request):
    code = request.GET.get("code", "")
    if code not in selectors.SEGMENTS:
        raise Http404
    now = timezone.now()
    scores = selectors.rfm(business=request.business, now=now)
    risks = selectors.churn_risk(business=request.business, now=now)
    cards = selectors.segment_clients(business=request.business, code=code, now=now)
    rows = sorted(cards, key=lambda c: (-scores[c.pk].spend, c.pk))
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "retention/office/segment.html",
        {
            "code": code,
            "label": selectors.SEGMENTS[code],
            "description": selectors.SEGMENT_HELP[code],
            "page": page,
            "rows": [(c, scores[c.pk], risks.get(c.pk)) for c in page.object_list],
        },
    )
