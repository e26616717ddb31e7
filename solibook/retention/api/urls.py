from django.urls import path

from solibook.retention.api import views

app_name = "retention_api"

P = "businesses/<id:business_id>/retention/"

urlpatterns = [
    path(f"{P}segments/", views.SegmentListApi.as_view(), name="segment_list"),
    path(f"{P}segment-clients/", views.SegmentClientsApi.as_view(), name="segment_clients"),
    path(f"{P}at-risk/", views.AtRiskApi.as_view(), name="at_risk"),
    path(f"{P}clients/<id:client_id>/", views.ClientRetentionApi.as_view(), name="client"),
]
