"""/metrics (solibook.core.metrics): counted requests and conflicts, the queues'
depths, every worker's counts summed, and no reading without the token."""

import os
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from solibook.core.errors import Conflict
from solibook.core.outbox import outbox_emit
from solibook.testing.booking import book

ROOT = Path(__file__).resolve().parents[3]
TOKEN = "scrape-token-for-tests-0123456789"  # noqa: S105


@pytest.fixture
def scraper(client, settings):
    settings.METRICS_TOKEN = TOKEN

    def scrape() -> dict[tuple, float]:
        response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
        assert response.status_code == 200, response.content
        assert response["Content-Type"].startswith("text/plain; version=0.0.4")
        return {
            (sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(response.content.decode())
            for sample in family.samples
        }

    return scrape


def value(samples: dict, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_are_refused_without_the_token(client, db, settings):
    assert client.get("/metrics").status_code == 401  # nothing configured: no one
    settings.METRICS_TOKEN = TOKEN
    refused = client.get("/metrics")
    assert refused.status_code == 401 and refused["WWW-Authenticate"].startswith("Bearer")
    assert b"solibook_" not in refused.content
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer not-the-token")
    assert wrong.status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200


def test_an_allowed_network_reads_without_a_token(client, db, settings):
    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8"]
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.7").status_code == 401
    assert client.get("/metrics").status_code == 401  # the test client's 127.0.0.1


def test_a_request_is_counted_by_route_name_and_status(client, db, scraper):
    before = scraper()
    assert client.get("/livez").status_code == 200
    assert client.get("/no/such/page/").status_code == 404
    after = scraper()
    counted = "solibook_http_requests_total"
    assert value(after, counted, route="livez", method="GET", status="200") == (
        value(before, counted, route="livez", method="GET", status="200") + 1
    )
    assert value(after, counted, route="unmatched", method="GET", status="404") == (
        value(before, counted, route="unmatched", method="GET", status="404") + 1
    )
    timed = "solibook_http_request_duration_seconds_count"
    assert value(after, timed, route="livez", method="GET") == (
        value(before, timed, route="livez", method="GET") + 1
    )


def test_a_booking_conflict_is_counted(salon, scraper):
    before = scraper()
    book(salon, hour=10)
    after_one = scraper()
    name = "solibook_booking_conflicts_total"
    assert value(after_one, name, stage="recount") == value(before, name, stage="recount")
    with pytest.raises(Conflict):
        book(salon, hour=10)  # Léa is taken at ten
    after = scraper()
    assert value(after, name, stage="recount") == value(before, name, stage="recount") + 1


def test_queue_depths_are_read_from_the_database(db, scraper):
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    DBTaskResult.objects.create(
        task_path="solibook.core.tests.crash_tasks.nothing",
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="default",
        queue_name="mail",
        run_after=now - timedelta(minutes=1),
    )
    outbox_emit(topic="test.metrics", payload={})
    outbox_emit(topic="test.metrics", payload={})
    samples = scraper()
    assert value(samples, "solibook_tasks_queued", queue="mail") == 1
    assert value(samples, "solibook_tasks_oldest_ready_age_seconds", queue="mail") >= 0
    assert value(samples, "solibook_outbox_backlog") >= 2
    assert ("solibook_notifications_pending", ()) in samples
    assert not any(name == "solibook_metrics_source_failed" for name, _ in samples)


def test_every_worker_process_is_summed(db, scraper, tmp_path, monkeypatch):
    """Two processes count in prometheus-client's multiprocess files, as granian's
    workers do; /metrics reads the directory and answers their sum."""
    worker = textwrap.dedent(
        """
        import sys
        from solibook.core import metrics
        metrics.REQUESTS.labels(route="marketplace:search", method="GET", status="200").inc(
            int(sys.argv[1])
        )
        metrics.LATENCY.labels(route="marketplace:search", method="GET").observe(0.02)
        metrics.count_booking_conflict("constraint")
        """
    )
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    for count in ("3", "4"):
        subprocess.run(  # noqa: S603 - our own interpreter and code
            [sys.executable, "-c", worker, count], cwd=ROOT, env=env, check=True, timeout=60
        )
    assert len(list(tmp_path.glob("counter_*.db"))) == 2  # one file per process
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    samples = scraper()
    labels = {"route": "marketplace:search", "method": "GET", "status": "200"}
    assert value(samples, "solibook_http_requests_total", **labels) == 7
    assert value(samples, "solibook_booking_conflicts_total", stage="constraint") == 2
    assert (
        value(
            samples,
            "solibook_http_request_duration_seconds_count",
            route="marketplace:search",
            method="GET",
        )
        == 2
    )
    assert value(samples, "solibook_outbox_backlog") == 0  # state metrics answer beside them
