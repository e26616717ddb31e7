from django.urls import path

from solibook.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("login/verify/", views.otp_verify, name="otp_verify"),
    path("security/", views.security, name="security"),
    path("security/two-factor/", views.otp_setup, name="otp_setup"),
    path("security/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("security/logout-everywhere/", views.logout_everywhere, name="logout_everywhere"),
    path("signup/", views.signup, name="signup"),
    path("profile/", views.profile, name="profile"),
    path("verify/<str:token>/", views.verify_email, name="verify_email"),
    path("verify-again/", views.resend_verification, name="resend_verification"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
