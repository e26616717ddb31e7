import logging
import time
import uuid

from django_scopes import scopes_disabled

from solibook.core.metrics import observe_request

request_logger = logging.getLogger("solibook.request")


class RequestLogMiddleware:
    """One structured log line per request, with an id echoed to the client."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request.headers.get("X-Request-ID") or uuid.uuid4().hex
        started = time.perf_counter()
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        observe_request(request, response, time.perf_counter() - started)
        if not request.path.startswith("/static/"):
            request_logger.info(
                "request",
                extra={
                    "request_id": request.request_id,
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    "user_id": getattr(getattr(request, "user", None), "pk", None),
                },
            )
        return response


class AdminScopesMiddleware:
    """The Django admin is for platform staff, who see every tenant."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.resolver_match and request.resolver_match.app_name == "admin":
            with scopes_disabled():
                return view_func(request, *view_args, **view_kwargs)
        return None


class BusyMiddleware:
    """A page whose write waited too long for a lock answers 409 with the
    message and a way to try again, not a 500. (Pages that put a service's
    refusal on their form already show it: `Busy` is a `DomainError`.)
    An htmx request gets the message alone, aimed at `#messages`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.db import OperationalError
        from django.template.response import TemplateResponse

        from solibook.core.locking import Busy, is_lock_timeout

        if not isinstance(exception, Busy):
            if not (isinstance(exception, OperationalError) and is_lock_timeout(exception)):
                return None
            exception = Busy()
        htmx = request.headers.get("HX-Request") == "true"
        response = TemplateResponse(
            request,
            "includes/busy_message.html" if htmx else "409.html",
            {"message": exception.message, "retry_url": request.get_full_path()},
            status=exception.status_code,
        )
        response["Retry-After"] = str(exception.retry_after)
        if htmx:
            # htmx swaps no 4xx by itself: js/core/htmx-errors.js swaps this
            # one into the page's messages area, where the user sees it.
            response["HX-Retarget"] = "#messages"
            response["HX-Reswap"] = "innerHTML"
        return response.render()
