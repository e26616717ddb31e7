"""The back office turns read-only when a salon's invoice stays unpaid too long.

One place for every page and API route of the back office: a route that takes a
business (`business_slug` in the office, `business_id` in the API) is looked at
before its view runs. While `selectors.overdue_lock` finds an invoice unpaid past
the delay, reads still work, writes are refused with a translated message (the
page goes back to itself with the message and the banner; the API answers 403
`read_only`), and the billing pages stay open so the invoice can be paid. Public
pages and the marketplace booking take no such route: clients can still book."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from solibook.billing import selectors

SAFE = {"GET", "HEAD", "OPTIONS"}
OPEN_NAMESPACES = {"billing", "billing_api"}  # paying the invoice must stay possible


def _member(request, business_id: int) -> bool:
    from django_scopes import scopes_disabled

    from solibook.accounts.models import Membership

    user = request.user
    if not user.is_authenticated and request.path.startswith("/api/"):
        from solibook.accounts.jwt import JWTAuthentication  # refuses revoked tokens too

        try:
            found = JWTAuthentication().authenticate(request)
        except Exception:  # an invalid token: the API view answers 401 itself
            found = None
        user = found[0] if found else user
    if not user.is_authenticated:
        return False
    with scopes_disabled():
        return Membership.objects.filter(user=user, business_id=business_id).exists()


class ReadOnlyWhenUnpaidMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        path = request.path
        if "business_slug" in view_kwargs and "/office/" in path:
            lock = selectors.overdue_lock_by(slug=view_kwargs["business_slug"])
        elif "business_id" in view_kwargs and path.startswith("/api/v1/businesses/"):
            lock = selectors.overdue_lock_by(business_id=view_kwargs["business_id"])
        else:
            return None
        if lock is None or not _member(request, lock.business_id):
            return None  # not a member: the view answers (404), nothing is told here
        request.billing_lock = lock
        match = request.resolver_match
        if request.method in SAFE or (match and match.namespace in OPEN_NAMESPACES):
            return None
        message = _(
            "Your back office is read-only until invoice %(number)s is paid. "
            "Your clients can still book."
        ) % {"number": lock.number}
        if path.startswith("/api/"):
            return JsonResponse(
                {"error": {"code": "read_only", "message": message, "fields": {}}}, status=403
            )
        messages.error(request, message)
        back = request.META.get("HTTP_REFERER", "")
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = path
        return redirect(back)
