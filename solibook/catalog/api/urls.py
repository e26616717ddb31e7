from django.urls import path

from solibook.catalog.api.views import (
    businesses,
    locations,
    onboarding,
    pictures,
    schedules,
    settings,
)
from solibook.catalog.api.views import offerings as catalog

app_name = "catalog_api"

B = "businesses/<id:business_id>/"

urlpatterns = [
    path("businesses/", businesses.BusinessListApi.as_view(), name="business_list"),
    path(
        "businesses/<id:business_id>/",
        businesses.BusinessDetailApi.as_view(),
        name="business_detail",
    ),
    path(
        "businesses/<id:business_id>/locations/",
        businesses.LocationListApi.as_view(),
        name="location_list",
    ),
    path(
        "businesses/<id:business_id>/locations/<id:location_id>/",
        businesses.LocationDetailApi.as_view(),
        name="location_detail",
    ),
    path(
        "businesses/<id:business_id>/members/",
        businesses.MemberListApi.as_view(),
        name="member_list",
    ),
    path(
        "businesses/<id:business_id>/members/<id:member_id>/",
        businesses.MemberDetailApi.as_view(),
        name="member_detail",
    ),
    # Self-serve onboarding: the wizard's steps, then the request for approval.
    path("onboarding/", onboarding.OnboardingStartApi.as_view(), name="onboarding_start"),
    path(f"{B}onboarding/", onboarding.OnboardingApi.as_view(), name="onboarding"),
    path(
        f"{B}onboarding/services/",
        onboarding.OnboardingServicesApi.as_view(),
        name="onboarding_services",
    ),
    path(f"{B}onboarding/team/", onboarding.OnboardingTeamApi.as_view(), name="onboarding_team"),
    path(f"{B}onboarding/plan/", onboarding.OnboardingPlanApi.as_view(), name="onboarding_plan"),
    path(
        f"{B}onboarding/submit/",
        onboarding.OnboardingSubmitApi.as_view(),
        name="onboarding_submit",
    ),
    # The catalogue: categories, services, masters, resources, schedules, hours.
    path("categories/", catalog.CategoryListApi.as_view(), name="category_list"),
    path(f"{B}settings/", catalog.BusinessSettingsApi.as_view(), name="business_settings"),
    path(f"{B}services/", catalog.ServiceListApi.as_view(), name="service_list"),
    path(
        f"{B}services/<id:service_id>/", catalog.ServiceDetailApi.as_view(), name="service_detail"
    ),
    path(f"{B}masters/", catalog.MasterListApi.as_view(), name="master_list"),
    path(f"{B}masters/<id:master_id>/", catalog.MasterDetailApi.as_view(), name="master_detail"),
    path(f"{B}resource-types/", catalog.ResourceTypeListApi.as_view(), name="resource_type_list"),
    path(
        f"{B}resource-types/<id:resource_type_id>/",
        catalog.ResourceTypeDetailApi.as_view(),
        name="resource_type_detail",
    ),
    path(f"{B}resources/", catalog.ResourceListApi.as_view(), name="resource_list"),
    path(
        f"{B}resources/<id:resource_id>/",
        catalog.ResourceDetailApi.as_view(),
        name="resource_detail",
    ),
    path(
        f"{B}masters/<id:master_id>/weekly-schedule/",
        schedules.WeeklyScheduleApi.as_view(),
        name="weekly_schedule",
    ),
    path(
        f"{B}masters/<id:master_id>/date-overrides/",
        schedules.DateOverrideListApi.as_view(),
        name="date_override_list",
    ),
    path(
        f"{B}masters/<id:master_id>/time-off/",
        schedules.TimeOffListApi.as_view(),
        name="time_off_list",
    ),
    path(
        f"{B}time-off/<id:time_off_id>/",
        schedules.TimeOffDetailApi.as_view(),
        name="time_off_detail",
    ),
    path(
        f"{B}locations/<id:location_id>/opening-hours/",
        locations.OpeningHoursApi.as_view(),
        name="opening_hours",
    ),
    path(
        f"{B}locations/<id:location_id>/closures/",
        locations.ClosureListApi.as_view(),
        name="closure_list",
    ),
    path(
        f"{B}closures/<id:closure_id>/",
        locations.ClosureDetailApi.as_view(),
        name="closure_detail",
    ),
    path(
        f"{B}locations/<id:location_id>/holidays/",
        locations.HolidaysApi.as_view(),
        name="holidays",
    ),
    path(f"{B}branding/", settings.BrandingApi.as_view(), name="branding"),
    # Pictures: a location's gallery, cover and panoramas; a master's avatar and portfolio.
    path(
        f"{B}locations/<id:location_id>/pictures/",
        pictures.LocationPictureListApi.as_view(),
        name="location_picture_list",
    ),
    path(
        f"{B}location-pictures/<id:photo_id>/",
        pictures.LocationPictureDetailApi.as_view(),
        name="location_picture_detail",
    ),
    path(
        f"{B}masters/<id:master_id>/pictures/",
        pictures.MasterPictureListApi.as_view(),
        name="master_picture_list",
    ),
    path(
        f"{B}master-pictures/<id:photo_id>/",
        pictures.MasterPictureDetailApi.as_view(),
        name="master_picture_detail",
    ),
]
