"""Back-office pages of the catalogue: the business, its locations, team, branding,
services, masters, resources, schedules and opening hours."""

from django.urls import path

from solibook.catalog.views.office import business, catalogue, onboarding, pictures

app_name = "catalog"

urlpatterns = [
    path("office/", business.office_home, name="home"),
    path("office/new/", business.business_new, name="business_new"),
    path("office/start/", onboarding.onboarding_start, name="onboarding_start"),
    path("office/<slug:business_slug>/onboarding/", onboarding.onboarding, name="onboarding"),
    path(
        "office/<slug:business_slug>/onboarding/services/",
        onboarding.onboarding_services,
        name="onboarding_services",
    ),
    path(
        "office/<slug:business_slug>/onboarding/team/",
        onboarding.onboarding_team,
        name="onboarding_team",
    ),
    path(
        "office/<slug:business_slug>/onboarding/plan/",
        onboarding.onboarding_plan,
        name="onboarding_plan",
    ),
    path(
        "office/<slug:business_slug>/onboarding/submit/",
        onboarding.onboarding_submit,
        name="onboarding_submit",
    ),
    path("office/<slug:business_slug>/", business.dashboard, name="dashboard"),
    path("office/<slug:business_slug>/locations/", business.location_list, name="location_list"),
    path("office/<slug:business_slug>/locations/new/", business.location_new, name="location_new"),
    path(
        "office/<slug:business_slug>/locations/<id:location_id>/",
        business.location_edit,
        name="location_edit",
    ),
    path("office/<slug:business_slug>/team/", business.team, name="team"),
    path(
        "office/<slug:business_slug>/team/<id:member_id>/role/",
        business.member_role,
        name="member_role",
    ),
    path("office/<slug:business_slug>/audit/", business.audit, name="audit"),
    path("office/<slug:business_slug>/settings/branding/", business.branding, name="branding"),
    path(
        "office/<slug:business_slug>/settings/",
        catalogue.business_settings,
        name="business_settings",
    ),
    path("office/<slug:business_slug>/settings/pictures/", pictures.pictures_home, name="pictures"),
    path(
        "office/<slug:business_slug>/locations/<id:location_id>/pictures/",
        pictures.location_pictures,
        name="location_pictures",
    ),
    path(
        "office/<slug:business_slug>/locations/<id:location_id>/pictures/<id:photo_id>/",
        pictures.location_picture_edit,
        name="location_picture_edit",
    ),
    path(
        "office/<slug:business_slug>/locations/<id:location_id>/pictures/<id:photo_id>/delete/",
        pictures.location_picture_delete,
        name="location_picture_delete",
    ),
    path(
        "office/<slug:business_slug>/masters/<id:master_id>/pictures/",
        pictures.master_pictures,
        name="master_pictures",
    ),
    path(
        "office/<slug:business_slug>/masters/<id:master_id>/pictures/<id:photo_id>/",
        pictures.master_picture_edit,
        name="master_picture_edit",
    ),
    path(
        "office/<slug:business_slug>/masters/<id:master_id>/pictures/<id:photo_id>/delete/",
        pictures.master_picture_delete,
        name="master_picture_delete",
    ),
    path("office/<slug:business_slug>/services/", catalogue.service_list, name="service_list"),
    path("office/<slug:business_slug>/services/new/", catalogue.service_new, name="service_new"),
    path(
        "office/<slug:business_slug>/services/<id:service_id>/",
        catalogue.service_edit,
        name="service_edit",
    ),
    path("office/<slug:business_slug>/masters/", catalogue.master_list, name="master_list"),
    path("office/<slug:business_slug>/masters/new/", catalogue.master_new, name="master_new"),
    path(
        "office/<slug:business_slug>/masters/<id:master_id>/",
        catalogue.master_edit,
        name="master_edit",
    ),
    path(
        "office/<slug:business_slug>/masters/<id:master_id>/time-off/",
        catalogue.master_time_off,
        name="master_time_off",
    ),
    path(
        "office/<slug:business_slug>/masters/<id:master_id>/time-off/day/",
        catalogue.master_override,
        name="master_override",
    ),
    path(
        "office/<slug:business_slug>/masters/<id:master_id>/time-off/<id:time_off_id>/delete/",
        catalogue.time_off_remove,
        name="time_off_remove",
    ),
    path("office/<slug:business_slug>/resources/", catalogue.resource_list, name="resource_list"),
    path("office/<slug:business_slug>/resources/new/", catalogue.resource_new, name="resource_new"),
    path(
        "office/<slug:business_slug>/resources/<id:resource_id>/",
        catalogue.resource_edit,
        name="resource_edit",
    ),
    path(
        "office/<slug:business_slug>/resources/types/new/",
        catalogue.resource_type_new,
        name="resource_type_new",
    ),
    path(
        "office/<slug:business_slug>/resources/types/<id:resource_type_id>/",
        catalogue.resource_type_edit,
        name="resource_type_edit",
    ),
    path("office/<slug:business_slug>/schedule/", catalogue.schedule_home, name="schedule_home"),
    path(
        "office/<slug:business_slug>/locations/<id:location_id>/schedule/",
        catalogue.schedule,
        name="schedule",
    ),
    path("office/<slug:business_slug>/hours/", catalogue.hours_home, name="hours_home"),
    path(
        "office/<slug:business_slug>/locations/<id:location_id>/hours/",
        catalogue.opening_hours,
        name="opening_hours",
    ),
    path(
        "office/<slug:business_slug>/locations/<id:location_id>/closures/",
        catalogue.closure_new,
        name="closure_new",
    ),
    path(
        "office/<slug:business_slug>/locations/<id:location_id>/closures/<id:closure_id>/delete/",
        catalogue.closure_delete,
        name="closure_delete",
    ),
    path(
        "office/<slug:business_slug>/locations/<id:location_id>/holidays/",
        catalogue.holidays,
        name="holidays",
    ),
]
