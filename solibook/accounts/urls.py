from django.urls import path

from solibook.accounts.views import public

app_name = "accounts"

urlpatterns = [
    path("accounts/", public.home, name="home"),
    path("accounts/login/", public.LoginView.as_view(), name="login"),
    path("accounts/logout/", public.LogoutView.as_view(), name="logout"),
    path("accounts/login/verify/", public.otp_verify, name="otp_verify"),
    path("accounts/security/", public.security, name="security"),
    path("accounts/security/two-factor/", public.otp_setup, name="otp_setup"),
    path("accounts/security/recovery-codes/", public.recovery_codes, name="recovery_codes"),
    path(
        "accounts/security/logout-everywhere/", public.logout_everywhere, name="logout_everywhere"
    ),
    path("accounts/signup/", public.signup, name="signup"),
    path("accounts/profile/", public.profile, name="profile"),
    path("accounts/verify/<str:token>/", public.verify_email, name="verify_email"),
    path("accounts/verify-again/", public.resend_verification, name="resend_verification"),
    path("accounts/password-reset/", public.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password-reset/sent/",
        public.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password-reset/<uidb64>/<token>/",
        public.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password-reset/done/",
        public.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
