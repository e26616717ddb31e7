import time

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from solibook.accounts import services, twofactor
from solibook.accounts.access import memberships_of
from solibook.accounts.forms import (
    EmailAuthenticationForm,
    OTPCodeForm,
    ProfileForm,
    SignUpForm,
    StyledPasswordResetForm,
    StyledSetPasswordForm,
)
from solibook.accounts.models import User
from solibook.core.refusals import refusals

PENDING_LOGIN_KEY = "pending_2fa_login"
PENDING_LOGIN_SECONDS = 300


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


class LoginView(auth_views.LoginView):
    """Password first. A user with an authenticator then gives a code
    (`otp_verify`) before the session is logged in. Django's login() rotates
    the session key (no session fixation); the verify step rotates it again."""

    template_name = "accounts/public/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if twofactor.has_totp(user):
            self.request.session.cycle_key()
            self.request.session[PENDING_LOGIN_KEY] = {
                "user": user.pk,
                "backend": user.backend,
                "at": int(time.time()),
                "next": self.get_success_url(),
            }
            return redirect("accounts:otp_verify")
        response = super().form_valid(form)
        services.login_record(user=user, via="page", ip=client_ip(self.request))
        return response


def _pending_login_user(request):
    pending = request.session.get(PENDING_LOGIN_KEY)
    if not pending or time.time() - pending.get("at", 0) > PENDING_LOGIN_SECONDS:
        request.session.pop(PENDING_LOGIN_KEY, None)
        return None, None
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    return user, pending


def _safe_next(request, url: str | None, default: str) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return default


def otp_verify(request):
    """The second step: at login (password already checked), or for a signed-in
    user whose session has not passed it yet (enrolled elsewhere)."""
    if request.user.is_authenticated:
        user, pending = request.user, None
        if twofactor.is_verified(user):
            return redirect(
                _safe_next(request, request.GET.get("next"), resolve_url("accounts:home"))
            )
        if not twofactor.has_totp(user):
            return redirect("accounts:otp_setup")
    else:
        user, pending = _pending_login_user(request)
        if user is None:
            messages.info(request, _("Please log in again."))
            return redirect("accounts:login")
    form = OTPCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = twofactor.check_code(user=user, code=form.cleaned_data["code"])
        if device is None:
            form.add_error("code", _("This code is not valid."))
        else:
            if pending is not None:
                request.session.pop(PENDING_LOGIN_KEY, None)
                login(request, user, backend=pending["backend"])
                services.login_record(user=user, via="page", ip=client_ip(request), two_factor=True)
            else:
                request.session.cycle_key()
            otp_login(request, device)
            default = pending["next"] if pending else resolve_url("accounts:home")
            return redirect(
                _safe_next(
                    request, request.GET.get("next") or default, resolve_url("accounts:home")
                )
            )
    return render(request, "accounts/public/otp_verify.html", {"form": form})


@login_required
def otp_setup(request):
    """Scan a QR code, confirm with a code, get recovery codes (shown once)."""
    user = request.user
    if twofactor.has_totp(user) and not twofactor.is_verified(user):
        return redirect(
            f"{resolve_url('accounts:otp_verify')}?next={resolve_url('accounts:otp_setup')}"
        )
    device = twofactor.pending_totp(user=user)
    form = OTPCodeForm(request.POST or None)
    if request.method == "POST" and device is not None and form.is_valid():
        with refusals(form) as refused:
            codes = twofactor.totp_enrol_confirm(user=user, code=form.cleaned_data["code"])
        if not refused:
            device.refresh_from_db()
            request.session.cycle_key()
            otp_login(request, device)
            return render(
                request,
                "accounts/public/recovery_codes.html",
                {"codes": codes, "next": _safe_next(request, request.GET.get("next"), "")},
            )
    if device is None or request.method == "GET":
        device = twofactor.totp_enrol_start(user=user)
    context = {
        "form": form,
        "qr": twofactor.totp_qr_svg(device),
        "secret": twofactor.totp_secret(device),
        "required": twofactor.required_for_user(user),
        "enrolled": twofactor.has_totp(user),
    }
    return render(request, "accounts/public/otp_setup.html", context)


@login_required
@require_POST
def recovery_codes(request):
    if not twofactor.is_verified(request.user):
        return redirect(
            f"{resolve_url('accounts:otp_verify')}?next={resolve_url('accounts:security')}"
        )
    with refusals(request=request) as refused:
        codes = twofactor.recovery_codes_regenerate(user=request.user)
    if refused:
        return redirect("accounts:security")
    return render(request, "accounts/public/recovery_codes.html", {"codes": codes, "next": ""})


@login_required
def security(request):
    user = request.user
    context = {
        "enrolled": twofactor.has_totp(user),
        "verified": twofactor.is_verified(user),
        "required": twofactor.required_for_user(user),
        "codes_left": twofactor.recovery_codes_left(user),
    }
    return render(request, "accounts/public/security.html", context)


@login_required
@require_POST
def logout_everywhere(request):
    services.user_logout_everywhere(user=request.user)
    logout(request)
    messages.success(
        request, _("You are logged out on every device, and your app tokens are revoked.")
    )
    return redirect("accounts:login")


class LogoutView(auth_views.LogoutView):
    pass


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/public/password_reset.html"
    form_class = StyledPasswordResetForm
    email_template_name = "accounts/email/password_reset.txt"
    html_email_template_name = "accounts/email/password_reset.html"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/public/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/public/password_reset_confirm.html"
    form_class = StyledSetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/public/password_reset_complete.html"


def signup(request):
    if request.user.is_authenticated:
        return redirect("accounts:home")
    form = SignUpForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        with refusals(form) as refused:
            user = services.user_register(
                **{**form.cleaned_data, "phone": form.cleaned_data["phone"] or ""},
                base_url=request.build_absolute_uri("/")[:-1],
            )
        if not refused:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request, _("Welcome! We sent you a link to confirm your e-mail address.")
            )
            return redirect("accounts:home")
    return render(request, "accounts/public/signup.html", {"form": form})


def verify_email(request, token: str):
    with refusals() as refused:
        services.user_verify_email(token=token)
    if refused:
        return render(
            request, "accounts/public/verify_email.html", {"error": refused.message}, status=400
        )
    return render(request, "accounts/public/verify_email.html", {"error": None})


@login_required
@require_POST
def resend_verification(request):
    if not request.user.email_verified:
        services.email_verification_send(
            user=request.user, base_url=request.build_absolute_uri("/")[:-1]
        )
    messages.info(
        request, _("We sent a new confirmation link to %(email)s.") % {"email": request.user.email}
    )
    return redirect("accounts:home")


@login_required
def home(request):
    return render(
        request, "accounts/public/home.html", {"memberships": memberships_of(request.user)}
    )


@login_required
def profile(request):
    user = request.user
    initial = {
        "full_name": user.full_name,
        "phone": user.phone,
        "language": user.language,
        "time_zone": user.time_zone,
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with refusals(form) as refused:
            services.user_update_profile(
                user=user, **{**form.cleaned_data, "phone": form.cleaned_data["phone"] or ""}
            )
        if not refused:
            messages.success(request, _("Your profile is saved."))
            return redirect("accounts:profile")
    return render(request, "accounts/public/profile.html", {"form": form})
