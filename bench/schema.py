#!/usr/bin/env python
"""/api/schema/ served from the cache against generated on every request.

p50 of 20 GETs with Django's test client (JSON, English), for drf-spectacular's
stock view (the schema generated and rendered on each request: what the site
did before) and for `CachedSchemaView` (generated once per deploy version,
language and format). Needs no database. Prints the figures and the ratio.

    .venv/bin/python bench/schema.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

REQUESTS = int(os.environ.get("BENCH_SCHEMA_REQUESTS", "20"))


def urlpatterns_for_bench():
    from django.urls import path
    from drf_spectacular.views import SpectacularAPIView

    from solibook.api.schema_view import CachedSchemaView

    return [
        path("stock/", SpectacularAPIView.as_view(urlconf="config.urls")),
        path("cached/", CachedSchemaView.as_view(urlconf="config.urls")),
    ]


def p50_ms(client, url: str) -> float:
    samples = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(url, HTTP_ACCEPT="application/vnd.oai.openapi+json")
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return statistics.median(samples)


def main() -> dict:
    import django

    django.setup()
    from django.core.cache import cache
    from django.test import Client, override_settings

    import config.urls  # noqa: F401  (imported once, outside the timings)

    module = sys.modules[__name__]
    module.urlpatterns = urlpatterns_for_bench()
    cache.clear()
    with override_settings(ROOT_URLCONF=__name__):
        client = Client()
        client.get("/stock/")  # first-use imports and caches outside the timings
        stock = p50_ms(client, "/stock/")
        cached = p50_ms(client, "/cached/")
    result = {
        "stock_p50_ms": round(stock, 1),
        "cached_p50_ms": round(cached, 3),
        "speedup": round(stock / cached, 1),
    }
    print(
        f"/api/schema/ p50 of {REQUESTS} GETs: generated each time {result['stock_p50_ms']} ms, "
        f"from the cache {result['cached_p50_ms']} ms ({result['speedup']}x)"
    )
    return result


if __name__ == "__main__":
    main()
