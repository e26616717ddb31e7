from pathlib import Path

from django.conf import settings
from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_POST, require_safe

FAVICON = Path(__file__).resolve().parents[1] / "static" / "solibook" / "favicon.ico"


@never_cache
@require_safe
def healthz(request):
    """Liveness and readiness: answers 200 only when the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means "not ready"
        return JsonResponse(
            {"status": "error", "database": str(exc.__class__.__name__)}, status=503
        )
    return JsonResponse({"status": "ok", "database": connection.vendor})


@require_safe
@cache_control(public=True, max_age=86400)
def favicon(request):
    """/favicon.ico, which browsers and crawlers ask for whatever the page
    says (pages link the SVG and PNG icons from static files)."""
    return HttpResponse(FAVICON.read_bytes(), content_type="image/vnd.microsoft.icon")


@require_POST
def set_language(request):
    """The language switcher: remember the choice and show the same page in it.

    Django's own view only rewrites `next` when it resolves in the request's
    current language, which is not the case for a page under another prefix.
    """
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    if language not in dict(settings.LANGUAGES):
        return HttpResponseRedirect(next_url)
    parts = next_url.split("/", 2)  # "", "fr", "rest..."
    if len(parts) >= 2 and parts[1] in dict(settings.LANGUAGES):
        next_url = "/".join(["", language, *parts[2:]])
    else:
        next_url = f"/{language}{next_url}"
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
