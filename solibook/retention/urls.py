from django.urls import path

from solibook.retention.views import office

app_name = "retention"

P = "office/<slug:business_slug>/retention/"

urlpatterns = [
    path(P, office.retention_home, name="home"),
    path(f"{P}segment/", office.segment_detail, name="segment"),
]
