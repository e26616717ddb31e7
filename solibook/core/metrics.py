"""Prometheus metrics: what the app servers did, and what waits in the queues.

Two kinds:
- Event metrics, counted by the process that saw the event: requests by route
  name, method and status, their latency, booking conflicts. Granian runs
  several worker processes, so with PROMETHEUS_MULTIPROC_DIR set (before the
  process starts: prometheus-client picks its value store at import) each
  process writes its counts to files there and `/metrics` sums every worker's
  files (prometheus-client's multiprocess mode). The directory is emptied when
  the service starts (deploy/run-app.sh), never while workers run.
- State metrics, read from the database when scraped: tasks waiting in
  django_tasks_db's queue, live task workers, the outbox's backlog,
  notifications due. They are the same whichever process answers, so they are
  computed, not summed.

`/metrics` is not public: a scraper sends `Authorization: Bearer
<METRICS_TOKEN>`, or comes from an address in METRICS_ALLOWED_NETWORKS (behind
the proxy every request comes from the proxy, so deploy/nginx.conf also keeps
/metrics off the public side). Neither configured: refused to everyone.
"""

import hmac
import ipaddress
import os
import time
from collections.abc import Iterator
from datetime import timedelta

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import (
    CONTENT_TYPE_PLAIN_0_0_4,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

REQUESTS = Counter(
    "solibook_http_requests",
    "HTTP requests answered, by route name (the URL pattern's name), method and status.",
    ["route", "method", "status"],
)
LATENCY = Histogram(
    "solibook_http_request_duration_seconds",
    "Time from the request entering Django to the response leaving it, by route name.",
    ["route", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
BOOKING_CONFLICTS = Counter(
    "solibook_booking_conflicts",
    "Bookings refused because the time was taken: `recount` when the booking "
    "transaction's recount saw it, `constraint` when only the database's exclusion "
    "constraint did (a race the locks should have prevented).",
    ["stage"],
)
UNMATCHED = "unmatched"  # no URL pattern: one label, so scanners cannot grow the series


def observe_request(request, response, seconds: float) -> None:
    match = getattr(request, "resolver_match", None)
    route = (match.view_name or UNMATCHED) if match else UNMATCHED
    method = request.method if request.method in KNOWN_METHODS else "other"
    REQUESTS.labels(route=route, method=method, status=str(response.status_code)).inc()
    LATENCY.labels(route=route, method=method).observe(seconds)


KNOWN_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def count_booking_conflict(stage: str) -> None:
    BOOKING_CONFLICTS.labels(stage=stage).inc()


class StateCollector:
    """Queue depths read from the database at scrape time."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from django.apps import apps
        from django.db.models import Count, Min
        from django.utils import timezone
        from django_scopes import scopes_disabled

        now = timezone.now()
        with scopes_disabled():
            try:
                yield from self._tasks(apps, Count, Min, now)
            except Exception:  # a scrape must answer even when one source fails
                yield _scrape_error("tasks")
            try:
                outbox = apps.get_model("core", "OutboxEvent").objects.filter(
                    processed_at__isnull=True
                )
                backlog = outbox.aggregate(n=Count("id"), oldest=Min("created_at"))
                yield _gauge(
                    "solibook_outbox_backlog", "Outbox events not yet handled.", backlog["n"]
                )
                yield _gauge(
                    "solibook_outbox_oldest_age_seconds",
                    "Age of the oldest unhandled outbox event (0 when none).",
                    (now - backlog["oldest"]).total_seconds() if backlog["oldest"] else 0,
                )
            except Exception:
                yield _scrape_error("outbox")
            try:
                pending = apps.get_model("notifications", "Notification").objects.filter(
                    status="pending", due_at__lte=now
                )
                yield _gauge(
                    "solibook_notifications_pending",
                    "Notifications due and not yet sent.",
                    pending.count(),
                )
            except Exception:
                yield _scrape_error("notifications")

    def _tasks(self, apps, Count, Min, now) -> Iterator[GaugeMetricFamily]:  # noqa: N803
        jobs = apps.get_model("django_tasks_database", "DBTaskResult").objects
        queued = GaugeMetricFamily(
            "solibook_tasks_queued",
            "Background tasks ready to run (django_tasks_db), by queue.",
            labels=["queue"],
        )
        oldest = GaugeMetricFamily(
            "solibook_tasks_oldest_ready_age_seconds",
            "How long the oldest ready task has waited, by queue.",
            labels=["queue"],
        )
        for row in (
            jobs.ready()
            .order_by()  # the model's default ordering would split the groups
            .values("queue_name")
            .annotate(n=Count("id"), since=Min("enqueued_at"))
        ):
            queued.add_metric([row["queue_name"]], row["n"])
            oldest.add_metric([row["queue_name"]], (now - row["since"]).total_seconds())
        yield queued
        yield oldest
        yield _gauge(
            "solibook_tasks_running", "Background tasks running now.", jobs.running().count()
        )
        lease = settings.TASKS_WORKER_LEASE_SECONDS
        workers = apps.get_model("core", "WorkerHeartbeat").objects
        yield _gauge(
            "solibook_task_workers_alive",
            "Task workers whose heartbeat is within the lease.",
            workers.filter(beat_at__gte=now - timedelta(seconds=lease)).count(),
        )


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, value=value)


def _scrape_error(source: str) -> GaugeMetricFamily:
    family = GaugeMetricFamily(
        "solibook_metrics_source_failed",
        "1 when a state metric's source could not be read at this scrape.",
        labels=["source"],
    )
    family.add_metric([source], 1)
    return family


_state = CollectorRegistry(auto_describe=False)
_state.register(StateCollector())


def exposition() -> bytes:
    """Every worker's event metrics (summed) and the state metrics, as text."""
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if path:
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=path)
        events = generate_latest(registry)
    else:
        events = generate_latest(REGISTRY)
    return events + generate_latest(_state)


def allowed(request) -> bool:
    token = getattr(settings, "METRICS_TOKEN", "")
    sent = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        return True
    networks = getattr(settings, "METRICS_ALLOWED_NETWORKS", [])
    if networks:
        try:
            address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
        except ValueError:
            return False
        return any(address in ipaddress.ip_network(n, strict=False) for n in networks)
    return False


@never_cache
@require_safe
def metrics(request):
    if not allowed(request):
        response = HttpResponse("Metrics need a bearer token.\n", status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    started = time.perf_counter()
    body = exposition()
    response = HttpResponse(body, content_type=CONTENT_TYPE_PLAIN_0_0_4)
    response["X-Scrape-Seconds"] = f"{time.perf_counter() - started:.4f}"
    return response
