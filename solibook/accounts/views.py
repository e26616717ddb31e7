from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solibook.accounts import services
from solibook.accounts.access import memberships_of
from solibook.accounts.forms import (
    EmailAuthenticationForm,
    ProfileForm,
    SignUpForm,
    StyledPasswordResetForm,
    StyledSetPasswordForm,
)
from solibook.core.errors import DomainError
from solibook.core.forms import form_error_from_domain


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = StyledPasswordResetForm
    email_template_name = "accounts/email/password_reset.txt"
    html_email_template_name = "accounts/email/password_reset.html"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = StyledSetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


def signup(request):
    if request.user.is_authenticated:
        return redirect("accounts:home")
    form = SignUpForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_register(
                **{**form.cleaned_data, "phone": form.cleaned_data["phone"] or ""},
                base_url=request.build_absolute_uri("/")[:-1],
            )
        except DomainError as exc:
            form_error_from_domain(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome! We sent you a link to confirm your e-mail address."))
            return redirect("accounts:home")
    return render(request, "accounts/signup.html", {"form": form})


def verify_email(request, token: str):
    try:
        services.user_verify_email(token=token)
    except DomainError as exc:
        return render(request, "accounts/verify_email.html", {"error": exc.message}, status=400)
    return render(request, "accounts/verify_email.html", {"error": None})


@login_required
@require_POST
def resend_verification(request):
    if not request.user.email_verified:
        services.email_verification_send(user=request.user, base_url=request.build_absolute_uri("/")[:-1])
    messages.info(request, _("We sent a new confirmation link to %(email)s.") % {"email": request.user.email})
    return redirect("accounts:home")


@login_required
def home(request):
    return render(request, "accounts/home.html", {"memberships": memberships_of(request.user)})


@login_required
def profile(request):
    user = request.user
    initial = {"full_name": user.full_name, "phone": user.phone, "language": user.language, "time_zone": user.time_zone}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update_profile(user=user, **{**form.cleaned_data, "phone": form.cleaned_data["phone"] or ""})
        except DomainError as exc:
            form_error_from_domain(form, exc)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})
