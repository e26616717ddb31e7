from django.urls import path

from solibook.reviewanalysis.api import views

app_name = "reviewanalysis_api"

B = "businesses/<id:business_id>/"

urlpatterns = [
    path(f"{B}review-analysis/", views.ReviewAnalysisSummaryApi.as_view(), name="summary"),
    path(f"{B}review-analysis/reviews/", views.ReviewReadingsApi.as_view(), name="readings"),
]
