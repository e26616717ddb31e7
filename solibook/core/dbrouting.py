"""The marketplace's public reads on a read replica (DATABASE_REPLICA_URL).

The marketplace's pages and public API (search, city listings, salon and
master pages) are most of the traffic and only read. With a replica
configured (the `replica` alias, config/settings/base.py), a GET or HEAD
answered by a view in one of DATABASE_REPLICA_NAMESPACES reads the tables of
DATABASE_REPLICA_APPS from the replica; everything else stays on the primary:
- every write, everywhere (`db_for_write` is always the primary);
- reads outside those views: the back office, booking, the client area, the
  API's writes, background workers;
- inside them, the tables of other apps (sessions, users, two-factor,
  throttling): a person who just signed in must not look signed out because
  the replica is a second behind.
Availability inside a salon page is read where the booking engine reads it
(booking's tables are not in the default list), so a time a page offers is
the primary's. A replica that lags shows a search result up to that lag old;
the booking transaction recounts on the primary, so nothing is booked on
stale data.

The request's scope is a context variable, set by `ReplicaReadsMiddleware`
for the view (and its template rendering), so that threads of one granian
worker do not see each other's.
"""

from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

REPLICA = "replica"
_marketplace_read: ContextVar[bool] = ContextVar("solibook_marketplace_read", default=False)

DEFAULT_REPLICA_NAMESPACES = ("marketplace", "marketplace_api")
DEFAULT_REPLICA_APPS = ("marketplace", "catalog", "reviews", "offers")


class replica_reads:
    """Within this block, reads of the replica's apps go to the replica."""

    def __enter__(self):
        self.token = _marketplace_read.set(True)
        return self

    def __exit__(self, *exc) -> None:
        _marketplace_read.reset(self.token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if (
            _marketplace_read.get()
            and REPLICA in settings.DATABASES
            and model._meta.app_label
            in getattr(settings, "DATABASE_REPLICA_APPS", DEFAULT_REPLICA_APPS)
        ):
            return REPLICA
        return None  # Django's own choice: the primary, or the database of a hinted row

    def db_for_write(self, model, **hints):
        # Even a row read from the replica is saved on the primary.
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the primary's rows: an object read there relates to one read here.
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, **hints):
        # The replica is a copy kept by PostgreSQL's replication, never migrated itself.
        return db != REPLICA


class ReplicaReadsMiddleware:
    """Marks a marketplace view's safe request as one whose reads may use the replica."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            token = getattr(request, "_replica_token", None)
            if token is not None:
                _marketplace_read.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        namespaces = getattr(settings, "DATABASE_REPLICA_NAMESPACES", DEFAULT_REPLICA_NAMESPACES)
        if request.method in ("GET", "HEAD") and match and match.namespace in namespaces:
            request._replica_token = _marketplace_read.set(True)
        return None
