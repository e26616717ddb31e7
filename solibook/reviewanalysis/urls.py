"""Back-office pages of review analysis."""

from django.urls import path

from solibook.reviewanalysis.views import office

app_name = "reviewanalysis"

urlpatterns = [
    path("office/<slug:business_slug>/reviews/analysis/", office.overview, name="overview"),
    path(
        "office/<slug:business_slug>/reviews/analysis/masters/<id:master_id>/",
        office.master_page,
        name="master",
    ),
]
