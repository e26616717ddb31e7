"""Client cards, segments, import and export."""

from django.urls import path

from solibook.clients.api import views as clients

app_name = "clients_api"

B = "businesses/<id:business_id>/"

urlpatterns = [
    path(f"{B}clients/", clients.ClientListApi.as_view(), name="client_list"),
    path(f"{B}clients/merge/", clients.ClientMergeApi.as_view(), name="client_merge"),
    path(f"{B}clients/export/", clients.ClientExportApi.as_view(), name="client_export"),
    path(f"{B}clients/<id:client_id>/", clients.ClientDetailApi.as_view(), name="client_detail"),
    path(
        f"{B}clients/<id:client_id>/erase/", clients.ClientEraseApi.as_view(), name="client_erase"
    ),
    path(
        f"{B}clients/<id:client_id>/notes/",
        clients.ClientNoteListApi.as_view(),
        name="client_notes",
    ),
    path(
        f"{B}clients/<id:client_id>/consents/",
        clients.ClientConsentListApi.as_view(),
        name="client_consents",
    ),
    path(
        f"{B}clients/<id:client_id>/patch-tests/",
        clients.ClientPatchTestApi.as_view(),
        name="client_patch_tests",
    ),
    path(
        f"{B}clients/<id:client_id>/consultations/",
        clients.ClientConsultationApi.as_view(),
        name="client_consultations",
    ),
    path(
        f"{B}consultation-forms/",
        clients.ConsultationFormListApi.as_view(),
        name="consultation_forms",
    ),
    path(f"{B}client-fields/", clients.CustomFieldListApi.as_view(), name="custom_fields"),
    path(
        f"{B}client-fields/<id:field_id>/",
        clients.CustomFieldDetailApi.as_view(),
        name="custom_field_detail",
    ),
    path(f"{B}segments/", clients.SegmentListApi.as_view(), name="segment_list"),
    path(
        f"{B}segments/<id:segment_id>/", clients.SegmentDetailApi.as_view(), name="segment_detail"
    ),
    path(
        f"{B}segments/<id:segment_id>/clients/",
        clients.SegmentClientsApi.as_view(),
        name="segment_clients",
    ),
    path(f"{B}client-imports/", clients.ImportListApi.as_view(), name="import_list"),
    path(
        f"{B}client-imports/<id:job_id>/", clients.ImportDetailApi.as_view(), name="import_detail"
    ),
    path(
        f"{B}client-imports/<id:job_id>/preview/",
        clients.ImportPreviewApi.as_view(),
        name="import_preview",
    ),
    path(
        f"{B}client-imports/<id:job_id>/start/",
        clients.ImportStartApi.as_view(),
        name="import_start",
    ),
]
