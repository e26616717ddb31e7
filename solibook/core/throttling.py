"""DRF throttles beyond the stock ones. Rates live in
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] (config/settings/base.py):
`public_search`, `availability`, `booking`, `auth`, `privacy`."""

from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import ScopedRateThrottle


class WriteScopedRateThrottle(ScopedRateThrottle):
    """`throttle_scope` for writes only: a view whose GET lists and whose
    POST books counts only the bookings."""

    def allow_request(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)
