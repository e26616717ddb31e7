from django.urls import path

from solibook.api.views import accounts, businesses

app_name = "api"

urlpatterns = [
    path("auth/token/", accounts.TokenObtainApi.as_view(), name="token_obtain"),
    path("auth/token/refresh/", accounts.TokenRefreshApi.as_view(), name="token_refresh"),
    path("auth/token/verify/", accounts.TokenVerifyApi.as_view(), name="token_verify"),
    path("auth/register/", accounts.RegisterApi.as_view(), name="register"),
    path("me/", accounts.MeApi.as_view(), name="me"),
    path("businesses/", businesses.BusinessListApi.as_view(), name="business_list"),
    path("businesses/<int:business_id>/", businesses.BusinessDetailApi.as_view(), name="business_detail"),
    path("businesses/<int:business_id>/locations/", businesses.LocationListApi.as_view(), name="location_list"),
    path(
        "businesses/<int:business_id>/locations/<int:location_id>/",
        businesses.LocationDetailApi.as_view(),
        name="location_detail",
    ),
    path("businesses/<int:business_id>/members/", businesses.MemberListApi.as_view(), name="member_list"),
    path(
        "businesses/<int:business_id>/members/<int:member_id>/",
        businesses.MemberDetailApi.as_view(),
        name="member_detail",
    ),
]
