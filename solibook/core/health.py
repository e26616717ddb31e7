"""Liveness and readiness, as a load balancer and an orchestrator ask for them.

- `/livez`: the process answers. It touches nothing else, so a slow database
  never gets a healthy app server restarted (that would only add load).
- `/readyz`: the process can serve: every configured database answers, the
  primary has every migration of this code applied (a new release started
  before `migrate` ran stays out of the rotation), and the shared cache
  answers when one is configured (Redis: throttling and sessions' cache live
  there). Any failure is a 503 whose body names the reasons.
- `/healthz` (solibook.core.views): the older probe, the database only.

The migration check loads the migration graph, which takes a noticeable
fraction of a second; once every migration is applied it stays applied for
the life of the process (a release that adds migrations starts new
processes), so a positive answer is remembered and probes stay cheap.
"""

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

# Cache backends that live inside the process: nothing to reach.
LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)
_migrations_applied: set[str] = set()  # aliases seen fully migrated by this process


def forget() -> None:
    """Check the migrations again on the next probe (tests, `migrate` in-process)."""
    _migrations_applied.clear()


def _database(alias: str) -> str | None:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure to reach it means "not ready"
        return f"unreachable ({exc.__class__.__name__})"
    return None


def _migrations(alias: str) -> str | None:
    if alias in _migrations_applied:
        return None
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connections[alias])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:
        return f"migrations unknown ({exc.__class__.__name__})"
    if plan:
        names = [f"{m.app_label}.{m.name}" for m, _backwards in plan]
        shown = ", ".join(names[:5]) + (", ..." if len(names) > 5 else "")
        return f"{len(names)} unapplied migration(s): {shown}"
    _migrations_applied.add(alias)
    return None


def _cache(alias: str) -> str | None:
    if settings.CACHES[alias]["BACKEND"] in LOCAL_CACHES:
        return None
    try:
        cache = caches[alias]
        cache.set("solibook:readyz", "1", timeout=10)
        if cache.get("solibook:readyz") != "1":
            return "does not keep a value"
    except Exception as exc:
        return f"unreachable ({exc.__class__.__name__})"
    return None


def readiness() -> dict[str, str]:
    """The reasons this process cannot serve now; empty when it can."""
    reasons: dict[str, str] = {}
    for alias in connections:
        problem = _database(alias)
        if problem is None and alias == DEFAULT_DB_ALIAS:
            problem = _migrations(alias)
        if problem:
            reasons[f"database:{alias}"] = problem
    for alias in settings.CACHES:
        problem = _cache(alias)
        if problem:
            reasons[f"cache:{alias}"] = problem
    return reasons


@never_cache
@require_safe
def livez(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request):
    reasons = readiness()
    if reasons:
        return JsonResponse({"status": "unavailable", "reasons": reasons}, status=503)
    return JsonResponse({"status": "ok"})
