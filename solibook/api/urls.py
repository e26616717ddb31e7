from django.urls import path

from solibook.api.views import accounts, businesses, catalog, catalog_locations, catalog_schedules

app_name = "api"

B = "businesses/<int:business_id>/"

urlpatterns = [
    path("auth/token/", accounts.TokenObtainApi.as_view(), name="token_obtain"),
    path("auth/token/refresh/", accounts.TokenRefreshApi.as_view(), name="token_refresh"),
    path("auth/token/verify/", accounts.TokenVerifyApi.as_view(), name="token_verify"),
    path("auth/register/", accounts.RegisterApi.as_view(), name="register"),
    path("me/", accounts.MeApi.as_view(), name="me"),
    path(
        "auth/logout-everywhere/", accounts.LogoutEverywhereApi.as_view(), name="logout_everywhere"
    ),
    path("me/two-factor/", accounts.TwoFactorApi.as_view(), name="two_factor"),
    path("me/two-factor/totp/", accounts.TotpSetupApi.as_view(), name="totp_setup"),
    path("me/two-factor/totp/confirm/", accounts.TotpConfirmApi.as_view(), name="totp_confirm"),
    path(
        "me/two-factor/recovery-codes/", accounts.RecoveryCodesApi.as_view(), name="recovery_codes"
    ),
    path("me/data/", accounts.MyDataApi.as_view(), name="my_data"),
    path("me/erase/", accounts.EraseMeApi.as_view(), name="erase_me"),
    path("businesses/", businesses.BusinessListApi.as_view(), name="business_list"),
    path(
        "businesses/<int:business_id>/",
        businesses.BusinessDetailApi.as_view(),
        name="business_detail",
    ),
    path(
        "businesses/<int:business_id>/locations/",
        businesses.LocationListApi.as_view(),
        name="location_list",
    ),
    path(
        "businesses/<int:business_id>/locations/<int:location_id>/",
        businesses.LocationDetailApi.as_view(),
        name="location_detail",
    ),
    path(
        "businesses/<int:business_id>/members/",
        businesses.MemberListApi.as_view(),
        name="member_list",
    ),
    path(
        "businesses/<int:business_id>/members/<int:member_id>/",
        businesses.MemberDetailApi.as_view(),
        name="member_detail",
    ),
    # The catalogue (views/catalog*.py).
    path("categories/", catalog.CategoryListApi.as_view(), name="category_list"),
    path(f"{B}settings/", catalog.BusinessSettingsApi.as_view(), name="business_settings"),
    path(f"{B}services/", catalog.ServiceListApi.as_view(), name="service_list"),
    path(
        f"{B}services/<int:service_id>/", catalog.ServiceDetailApi.as_view(), name="service_detail"
    ),
    path(f"{B}masters/", catalog.MasterListApi.as_view(), name="master_list"),
    path(f"{B}masters/<int:master_id>/", catalog.MasterDetailApi.as_view(), name="master_detail"),
    path(f"{B}resource-types/", catalog.ResourceTypeListApi.as_view(), name="resource_type_list"),
    path(
        f"{B}resource-types/<int:resource_type_id>/",
        catalog.ResourceTypeDetailApi.as_view(),
        name="resource_type_detail",
    ),
    path(f"{B}resources/", catalog.ResourceListApi.as_view(), name="resource_list"),
    path(
        f"{B}resources/<int:resource_id>/",
        catalog.ResourceDetailApi.as_view(),
        name="resource_detail",
    ),
    path(
        f"{B}masters/<int:master_id>/weekly-schedule/",
        catalog_schedules.WeeklyScheduleApi.as_view(),
        name="weekly_schedule",
    ),
    path(
        f"{B}masters/<int:master_id>/date-overrides/",
        catalog_schedules.DateOverrideListApi.as_view(),
        name="date_override_list",
    ),
    path(
        f"{B}masters/<int:master_id>/time-off/",
        catalog_schedules.TimeOffListApi.as_view(),
        name="time_off_list",
    ),
    path(
        f"{B}time-off/<int:time_off_id>/",
        catalog_schedules.TimeOffDetailApi.as_view(),
        name="time_off_detail",
    ),
    path(
        f"{B}locations/<int:location_id>/opening-hours/",
        catalog_locations.OpeningHoursApi.as_view(),
        name="opening_hours",
    ),
    path(
        f"{B}locations/<int:location_id>/closures/",
        catalog_locations.ClosureListApi.as_view(),
        name="closure_list",
    ),
    path(
        f"{B}closures/<int:closure_id>/",
        catalog_locations.ClosureDetailApi.as_view(),
        name="closure_detail",
    ),
    path(
        f"{B}locations/<int:location_id>/holidays/",
        catalog_locations.HolidaysApi.as_view(),
        name="holidays",
    ),
]
