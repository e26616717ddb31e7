from django.urls import path

from solibook.crm import calendar_views, catalog_views, views

app_name = "crm"

urlpatterns = [
    path("", views.office_home, name="home"),
    path("new/", views.business_new, name="business_new"),
    path("<slug:business_slug>/", views.dashboard, name="dashboard"),
    path("<slug:business_slug>/locations/", views.location_list, name="location_list"),
    path("<slug:business_slug>/locations/new/", views.location_new, name="location_new"),
    path("<slug:business_slug>/locations/<int:location_id>/", views.location_edit, name="location_edit"),
    path("<slug:business_slug>/team/", views.team, name="team"),
    path("<slug:business_slug>/team/<int:member_id>/role/", views.member_role, name="member_role"),
    path("<slug:business_slug>/audit/", views.audit, name="audit"),
    # The calendar (crm/calendar_views.py).
    path("<slug:business_slug>/calendar/", calendar_views.calendar, name="calendar"),
    # The catalogue (crm/catalog_views.py).
    path("<slug:business_slug>/settings/", catalog_views.business_settings, name="business_settings"),
    path("<slug:business_slug>/services/", catalog_views.service_list, name="service_list"),
    path("<slug:business_slug>/services/new/", catalog_views.service_new, name="service_new"),
    path("<slug:business_slug>/services/<int:service_id>/", catalog_views.service_edit, name="service_edit"),
    path("<slug:business_slug>/masters/", catalog_views.master_list, name="master_list"),
    path("<slug:business_slug>/masters/new/", catalog_views.master_new, name="master_new"),
    path("<slug:business_slug>/masters/<int:master_id>/", catalog_views.master_edit, name="master_edit"),
    path("<slug:business_slug>/masters/<int:master_id>/time-off/", catalog_views.master_time_off, name="master_time_off"),
    path("<slug:business_slug>/masters/<int:master_id>/time-off/day/", catalog_views.master_override, name="master_override"),
    path(
        "<slug:business_slug>/masters/<int:master_id>/time-off/<int:time_off_id>/delete/",
        catalog_views.time_off_remove, name="time_off_remove",
    ),
    path("<slug:business_slug>/resources/", catalog_views.resource_list, name="resource_list"),
    path("<slug:business_slug>/resources/new/", catalog_views.resource_new, name="resource_new"),
    path("<slug:business_slug>/resources/<int:resource_id>/", catalog_views.resource_edit, name="resource_edit"),
    path("<slug:business_slug>/resources/types/new/", catalog_views.resource_type_new, name="resource_type_new"),
    path("<slug:business_slug>/resources/types/<int:resource_type_id>/", catalog_views.resource_type_edit, name="resource_type_edit"),
    path("<slug:business_slug>/schedule/", catalog_views.schedule_home, name="schedule_home"),
    path("<slug:business_slug>/locations/<int:location_id>/schedule/", catalog_views.schedule, name="schedule"),
    path("<slug:business_slug>/hours/", catalog_views.hours_home, name="hours_home"),
    path("<slug:business_slug>/locations/<int:location_id>/hours/", catalog_views.opening_hours, name="opening_hours"),
    path("<slug:business_slug>/locations/<int:location_id>/closures/", catalog_views.closure_new, name="closure_new"),
    path(
        "<slug:business_slug>/locations/<int:location_id>/closures/<int:closure_id>/delete/",
        catalog_views.closure_delete, name="closure_delete",
    ),
    path("<slug:business_slug>/locations/<int:location_id>/holidays/", catalog_views.holidays, name="holidays"),
]
