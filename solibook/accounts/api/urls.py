from django.urls import path

from solibook.accounts.api import views as accounts

app_name = "accounts_api"

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
]
