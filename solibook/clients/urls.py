"""Back-office pages of the client cards: list, card, segments, import, settings."""

from django.urls import path

from solibook.clients.views import office

app_name = "clients"

urlpatterns = [
    path("office/<slug:business_slug>/clients/", office.client_list, name="client_list"),
    path("office/<slug:business_slug>/clients/new/", office.client_new, name="client_new"),
    path("office/<slug:business_slug>/clients/export/", office.client_export, name="client_export"),
    path(
        "office/<slug:business_slug>/clients/<id:client_id>/",
        office.client_detail,
        name="client_detail",
    ),
    path(
        "office/<slug:business_slug>/clients/<id:client_id>/edit/",
        office.client_edit,
        name="client_edit",
    ),
    path(
        "office/<slug:business_slug>/clients/<id:client_id>/notes/",
        office.client_note,
        name="client_note",
    ),
    path(
        "office/<slug:business_slug>/clients/<id:client_id>/consents/",
        office.client_consent,
        name="client_consent",
    ),
    path(
        "office/<slug:business_slug>/clients/<id:client_id>/patch-tests/",
        office.client_patch_test,
        name="client_patch_test",
    ),
    path(
        "office/<slug:business_slug>/clients/<id:client_id>/consultations/",
        office.client_consultation,
        name="client_consultation",
    ),
    path(
        "office/<slug:business_slug>/clients/<id:client_id>/merge/",
        office.client_merge,
        name="client_merge",
    ),
    path(
        "office/<slug:business_slug>/clients/<id:client_id>/erase/",
        office.client_erase,
        name="client_erase",
    ),
    path("office/<slug:business_slug>/segments/", office.segment_list, name="segment_list"),
    path(
        "office/<slug:business_slug>/segments/<id:segment_id>/",
        office.segment_detail,
        name="segment_detail",
    ),
    path(
        "office/<slug:business_slug>/segments/<id:segment_id>/delete/",
        office.segment_delete,
        name="segment_delete",
    ),
    path("office/<slug:business_slug>/clients/import/", office.import_upload, name="import_upload"),
    path(
        "office/<slug:business_slug>/clients/import/<id:job_id>/",
        office.import_detail,
        name="import_detail",
    ),
    path(
        "office/<slug:business_slug>/clients/import/<id:job_id>/progress/",
        office.import_progress,
        name="import_progress",
    ),
    path(
        "office/<slug:business_slug>/settings/client-fields/",
        office.client_fields,
        name="client_fields",
    ),
    path(
        "office/<slug:business_slug>/settings/client-fields/<id:field_id>/delete/",
        office.client_field_delete,
        name="client_field_delete",
    ),
    path(
        "office/<slug:business_slug>/settings/consultation-forms/",
        office.consultation_forms,
        name="consultation_forms",
    ),
]
