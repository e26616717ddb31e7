"""django-axes hooks: which account a login attempt is for, and the answer
to a locked-out attempt (pages and API alike)."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def username_of(request, credentials: dict | None) -> str:
    """Pages post `username`, the JWT endpoint `email`: one key, lower-cased."""
    credentials = credentials or {}
    value = credentials.get("username") or credentials.get("email") or ""
    if not value and request is not None and hasattr(request, "POST"):
        value = request.POST.get("username") or request.POST.get("email") or ""
    return str(value).strip().lower()[:255]


def lockout_message() -> str:
    return _("Too many failed log-in attempts. Try again in 15 minutes or reset your password.")


def lockout_response(request, original_response=None, credentials=None, *args, **kwargs):
    if request.path.startswith("/api/"):
        # The API's one error format (api.errors.error_body).
        return JsonResponse(
            {"error": {"code": "locked_out", "message": lockout_message(), "fields": {}}},
            status=429,
        )
    return render(
        request, "accounts/public/locked_out.html", {"message": lockout_message()}, status=429
    )
