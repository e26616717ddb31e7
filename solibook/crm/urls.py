from django.urls import path

from solibook.crm import (
    calendar_views,
    catalog_views,
    client_views,
    settings_views,
    staff_views,
    views,
)

app_name = "crm"

urlpatterns = [
    path("", views.office_home, name="home"),
    path("new/", views.business_new, name="business_new"),
    path("<slug:business_slug>/", views.dashboard, name="dashboard"),
    path("<slug:business_slug>/locations/", views.location_list, name="location_list"),
    path("<slug:business_slug>/locations/new/", views.location_new, name="location_new"),
    path(
        "<slug:business_slug>/locations/<int:location_id>/",
        views.location_edit,
        name="location_edit",
    ),
    path("<slug:business_slug>/team/", views.team, name="team"),
    path("<slug:business_slug>/team/<int:member_id>/role/", views.member_role, name="member_role"),
    path("<slug:business_slug>/audit/", views.audit, name="audit"),
    # The calendar (crm/calendar_views.py).
    path("<slug:business_slug>/calendar/", calendar_views.calendar, name="calendar"),
    # Client cards, segments, import/export (crm/client_views.py).
    path("<slug:business_slug>/clients/", client_views.client_list, name="client_list"),
    path("<slug:business_slug>/clients/new/", client_views.client_new, name="client_new"),
    path("<slug:business_slug>/clients/export/", client_views.client_export, name="client_export"),
    path(
        "<slug:business_slug>/clients/<int:client_id>/",
        client_views.client_detail,
        name="client_detail",
    ),
    path(
        "<slug:business_slug>/clients/<int:client_id>/edit/",
        client_views.client_edit,
        name="client_edit",
    ),
    path(
        "<slug:business_slug>/clients/<int:client_id>/notes/",
        client_views.client_note,
        name="client_note",
    ),
    path(
        "<slug:business_slug>/clients/<int:client_id>/consents/",
        client_views.client_consent,
        name="client_consent",
    ),
    path(
        "<slug:business_slug>/clients/<int:client_id>/patch-tests/",
        client_views.client_patch_test,
        name="client_patch_test",
    ),
    path(
        "<slug:business_slug>/clients/<int:client_id>/consultations/",
        client_views.client_consultation,
        name="client_consultation",
    ),
    path(
        "<slug:business_slug>/clients/<int:client_id>/merge/",
        client_views.client_merge,
        name="client_merge",
    ),
    path(
        "<slug:business_slug>/clients/<int:client_id>/erase/",
        client_views.client_erase,
        name="client_erase",
    ),
    path("<slug:business_slug>/segments/", client_views.segment_list, name="segment_list"),
    path(
        "<slug:business_slug>/segments/<int:segment_id>/",
        client_views.segment_detail,
        name="segment_detail",
    ),
    path(
        "<slug:business_slug>/segments/<int:segment_id>/delete/",
        client_views.segment_delete,
        name="segment_delete",
    ),
    path("<slug:business_slug>/clients/import/", client_views.import_upload, name="import_upload"),
    path(
        "<slug:business_slug>/clients/import/<int:job_id>/",
        client_views.import_detail,
        name="import_detail",
    ),
    path(
        "<slug:business_slug>/clients/import/<int:job_id>/progress/",
        client_views.import_progress,
        name="import_progress",
    ),
    # Staff performance, per-salon customisation.
    path(
        "<slug:business_slug>/staff/performance/",
        staff_views.staff_performance_page,
        name="staff_performance",
    ),
    path("<slug:business_slug>/settings/branding/", settings_views.branding, name="branding"),
    path(
        "<slug:business_slug>/settings/client-fields/",
        settings_views.client_fields,
        name="client_fields",
    ),
    path(
        "<slug:business_slug>/settings/client-fields/<int:field_id>/delete/",
        settings_views.client_field_delete,
        name="client_field_delete",
    ),
    path(
        "<slug:business_slug>/settings/consultation-forms/",
        settings_views.consultation_forms,
        name="consultation_forms",
    ),
    # The catalogue (crm/catalog_views.py).
    path(
        "<slug:business_slug>/settings/", catalog_views.business_settings, name="business_settings"
    ),
    path("<slug:business_slug>/services/", catalog_views.service_list, name="service_list"),
    path("<slug:business_slug>/services/new/", catalog_views.service_new, name="service_new"),
    path(
        "<slug:business_slug>/services/<int:service_id>/",
        catalog_views.service_edit,
        name="service_edit",
    ),
    path("<slug:business_slug>/masters/", catalog_views.master_list, name="master_list"),
    path("<slug:business_slug>/masters/new/", catalog_views.master_new, name="master_new"),
    path(
        "<slug:business_slug>/masters/<int:master_id>/",
        catalog_views.master_edit,
        name="master_edit",
    ),
    path(
        "<slug:business_slug>/masters/<int:master_id>/time-off/",
        catalog_views.master_time_off,
        name="master_time_off",
    ),
    path(
        "<slug:business_slug>/masters/<int:master_id>/time-off/day/",
        catalog_views.master_override,
        name="master_override",
    ),
    path(
        "<slug:business_slug>/masters/<int:master_id>/time-off/<int:time_off_id>/delete/",
        catalog_views.time_off_remove,
        name="time_off_remove",
    ),
    path("<slug:business_slug>/resources/", catalog_views.resource_list, name="resource_list"),
    path("<slug:business_slug>/resources/new/", catalog_views.resource_new, name="resource_new"),
    path(
        "<slug:business_slug>/resources/<int:resource_id>/",
        catalog_views.resource_edit,
        name="resource_edit",
    ),
    path(
        "<slug:business_slug>/resources/types/new/",
        catalog_views.resource_type_new,
        name="resource_type_new",
    ),
    path(
        "<slug:business_slug>/resources/types/<int:resource_type_id>/",
        catalog_views.resource_type_edit,
        name="resource_type_edit",
    ),
    path("<slug:business_slug>/schedule/", catalog_views.schedule_home, name="schedule_home"),
    path(
        "<slug:business_slug>/locations/<int:location_id>/schedule/",
        catalog_views.schedule,
        name="schedule",
    ),
    path("<slug:business_slug>/hours/", catalog_views.hours_home, name="hours_home"),
    path(
        "<slug:business_slug>/locations/<int:location_id>/hours/",
        catalog_views.opening_hours,
        name="opening_hours",
    ),
    path(
        "<slug:business_slug>/locations/<int:location_id>/closures/",
        catalog_views.closure_new,
        name="closure_new",
    ),
    path(
        "<slug:business_slug>/locations/<int:location_id>/closures/<int:closure_id>/delete/",
        catalog_views.closure_delete,
        name="closure_delete",
    ),
    path(
        "<slug:business_slug>/locations/<int:location_id>/holidays/",
        catalog_views.holidays,
        name="holidays",
    ),
]
