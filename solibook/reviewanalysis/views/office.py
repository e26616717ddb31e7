"""Back-office pages of review analysis: the salon's and each master's strengths and
weaknesses with quotes, the monthly trend, alerts on runs of bad reviews."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from solibook.accounts.access import backoffice_view
from solibook.accounts.roles import Capability
from solibook.catalog.models import Master
from solibook.reviewanalysis.presentation import aspect_label, chart_data, language_label
from solibook.reviewanalysis.selectors import summary


def _context(request, data, master=None) -> dict:
    for figure in data.aspects:
        figure.label = aspect_label(figure.aspect)
    for row in data.masters:
        row["strength_label"] = aspect_label(row["strength"]) if row["strength"] else ""
        row["weakness_label"] = aspect_label(row["weakness"]) if row["weakness"] else ""
    return {
        "summary": data,
        "master": master,
        "chart": chart_data(data),
        "language_counts": [
            (language_label(code), n) for code, n in sorted(data.languages.items())
        ],
    }


@backoffice_view(Capability.MANAGE_BUSINESS)
def overview(request):
    data = summary(business=request.business, now=timezone.now())
    return render(request, "reviewanalysis/office/overview.html", _context(request, data))


@backoffice_view(Capability.MANAGE_BUSINESS)
def master_page(request, master_id):
    master = Master.objects.filter(pk=master_id).first()
    if master is None:
        raise Http404
    data = summary(business=request.business, now=timezone.now(), master=master)
    return render(request, "reviewanalysis/office/overview.html", _context(request, data, master))
