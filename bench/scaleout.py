#!/usr/bin/env python
"""The production of docs/deploy.md on this machine: one, then two granian app
servers behind nginx, on one PostgreSQL (a throw-away database, Django's pool
on) with Redis for cache and throttling; and the task queue's workers, 1 -> 2 -> 4.

1. Marketplace read mix (anonymous): 50% free-time search (API), 30% salon
   pages (HTML), 20% a salon's public API, over SALONS generated salons.
2. Booking mix: clients with their JWT book spread free slots (POST
   /api/v1/appointments/), each on its own keep-alive connection.
Both are driven by a load generator in its own process (this script with
`--drive`), through nginx, with CLIENTS concurrent clients. Printed: requests/s,
p50, p99 and errors for one and two app servers, and the ratio two / one.
3. Task queue: TASKS jobs of a task that waits 20 ms (an SMTP or HTTP call) and
   records its run, made due at one instant for 1, 2 and 4 `db_worker`s already
   running: jobs/s, the ratio to one worker, and jobs run more than once (0:
   SKIP LOCKED hands each job to one worker).
Then each app server's /metrics (multiprocess: every granian worker summed).

Run: `python bench/scaleout.py` (or `make bench-scaleout`), with nginx and Redis
installed (`deploy/system-deps.sh`); BENCH_SCALEOUT_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/solibook_scaleout) is dropped and recreated.
Results: bench/results/scaleout.json. The figures are the machine's: on a
machine shared with other work, say so beside them (`--note`).
"""

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
DB_URL = os.environ.get(
    "BENCH_SCALEOUT_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/solibook_scaleout"
)
REDIS_URL = os.environ.get("BENCH_SCALEOUT_REDIS_URL", "redis://127.0.0.1:6379/12")
TOKEN = "scaleout-metrics-token-0123456789"  # noqa: S105 - a throw-away bench server's
NGINX = os.environ.get("NGINX", "/usr/sbin/nginx")
SALONS = 300
DAY = date(2030, 6, 4)
START = date(2030, 6, 3)
TASK_QUEUE = "default"  # the backend accepts this queue only (TASKS has no QUEUES)
TASK_PATH = "bench.scaleout.record_run"

SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.base",
    "DATABASE_URL": DB_URL,
    "SECRET_KEY": "scaleout-" + "x" * 60,
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DEBUG": "0",
    "LOG_LEVEL": "WARNING",
    "CACHE_URL": REDIS_URL,
    # Pages need the collected files' manifest, as in production (`collectstatic`).
    "STATIC_ROOT": str(ROOT / "var" / "scaleout-static"),
    "METRICS_TOKEN": TOKEN,
    "REQUIRE_2FA": "0",
    "API_THROTTLE_ANON": "10000000/min",
    "API_THROTTLE_USER": "10000000/min",
    "API_THROTTLE_AUTH": "10000000/min",
    "API_THROTTLE_PUBLIC_SEARCH": "10000000/min",
    "API_THROTTLE_AVAILABILITY": "10000000/min",
    "API_THROTTLE_BOOKING": "10000000/min",
}
os.environ.update(SERVER_ENV)
# The app servers only: Django's pool, as docs/deploy.md deploys them (this process
# and the task workers keep a plain connection, and templates need none left open).
POOL_ENV = {"DB_POOL": "1", "DB_POOL_MIN_SIZE": "2", "DB_POOL_MAX_SIZE": "8"}
os.environ.pop("PROMETHEUS_MULTIPROC_DIR", None)


# --- the task the queue runs: bench.scaleout.record_run, imported by the workers
# (only under that name: run as a script this module is __main__, which no worker imports)
def record_run(job: int) -> None:
    from django.db import connection

    time.sleep(0.02)  # the external call a real job waits for
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_scaleout_runs (job) VALUES (%s)", [job])


if __name__ == "bench.scaleout":
    from django_tasks import task

    record_run = task()(record_run)  # type: ignore[assignment]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()  # noqa: S310 - local server
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


# --- the load generator (its own process) ----------------------------------------
def drive(spec: dict) -> dict:
    """Each client thread sends its requests one after another on its own
    keep-alive connection; returns the counts and latency percentiles."""
    host, port = "127.0.0.1", spec["port"]
    results: list[tuple[int, float]] = []
    lock = threading.Lock()

    def client(jobs: list[dict]) -> None:
        conn = http.client.HTTPConnection(host, port, timeout=60)
        mine = []
        for job in jobs:
            started = time.perf_counter()
            try:
                conn.request(
                    job["method"], job["path"], body=job.get("body"), headers=job["headers"]
                )
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=60)
                status = 0
            mine.append((status, (time.perf_counter() - started) * 1000))
        conn.close()
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=client, args=(jobs,)) for jobs in spec["clients"]]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    latencies = sorted(ms for _s, ms in results)
    statuses: dict[str, int] = {}
    for status, _ms in results:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    ok = spec.get("ok", [200])
    return {
        "requests": len(results),
        "seconds": round(elapsed, 2),
        "requests_per_s": round(len(results) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies), 1),
        "p99_ms": round(latencies[int(0.99 * (len(latencies) - 1))], 1),
        "statuses": statuses,
        "errors": sum(n for s, n in statuses.items() if int(s) not in ok),
    }


def run_load(port: int, clients: list[list[dict]], ok: list[int]) -> dict:
    spec = {"port": port, "clients": clients, "ok": ok}
    done = subprocess.run(  # noqa: S603 - this script
        [sys.executable, __file__, "--drive"],
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        env={**os.environ, "SCALEOUT_NO_TASK": "1"},
        timeout=1800,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the deployment: app servers and nginx ---------------------------------------
class AppServer:
    def __init__(self, *, workers: int, threads: int, scratch: Path, index: int):
        self.port = free_port()
        self.metrics_dir = scratch / f"metrics-{index}-{self.port}"
        self.metrics_dir.mkdir()
        self.process = subprocess.Popen(  # noqa: S603 - our own granian
            [
                str(Path(sys.executable).parent / "granian"),
                "--interface",
                "wsgi",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--workers",
                str(workers),
                "--blocking-threads",
                str(threads),
                "--log-level",
                "warning",
                "config.wsgi:application",
            ],
            cwd=ROOT,
            env={**os.environ, **POOL_ENV, "PROMETHEUS_MULTIPROC_DIR": str(self.metrics_dir)},
        )
        wait_for(f"http://127.0.0.1:{self.port}/readyz")

    def metrics(self) -> dict:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/metrics", headers={"Authorization": f"Bearer {TOKEN}"}
        )
        text = urllib.request.urlopen(request, timeout=30).read().decode()  # noqa: S310
        from prometheus_client.parser import text_string_to_metric_families

        out: dict = {"requests": 0, "booking_conflicts": 0, "worker_files": 0}
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                if sample.name == "solibook_http_requests_total":
                    out["requests"] += sample.value
                elif sample.name == "solibook_booking_conflicts_total":
                    out["booking_conflicts"] += sample.value
        out["worker_files"] = len(
            {p.name.rsplit("_", 1)[-1] for p in self.metrics_dir.glob("*.db")}
        )
        return out

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


class Proxy:
    """nginx from Debian's package, with deploy/nginx/proxy.conf, in a scratch prefix."""

    def __init__(self, servers: list[AppServer], scratch: Path):
        self.port = free_port()
        self.prefix = scratch / f"nginx-{self.port}"
        self.prefix.mkdir()
        upstream = "\n".join(
            f"        server 127.0.0.1:{s.port} max_fails=3 fail_timeout=10s;" for s in servers
        )
        conf = f"""
worker_processes 1;
pid {self.prefix}/nginx.pid;
error_log {self.prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {self.prefix}/body;
    proxy_temp_path {self.prefix}/proxy;
    fastcgi_temp_path {self.prefix}/fastcgi;
    uwsgi_temp_path {self.prefix}/uwsgi;
    scgi_temp_path {self.prefix}/scgi;
    upstream solibook_app {{
        least_conn;
{upstream}
        keepalive 64;
    }}
    server {{
        listen 127.0.0.1:{self.port};
        location / {{
            include {ROOT / "deploy" / "nginx" / "proxy.conf"};
            proxy_pass http://solibook_app;
        }}
    }}
}}
"""
        (self.prefix / "nginx.conf").write_text(conf)
        self.process = subprocess.Popen(  # noqa: S603 - Debian's nginx
            [
                NGINX,
                "-p",
                str(self.prefix),
                "-c",
                str(self.prefix / "nginx.conf"),
                "-g",
                "daemon off;",
            ]
        )
        wait_for(f"http://127.0.0.1:{self.port}/livez")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGQUIT)  # graceful
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


# --- data and mixes ----------------------------------------------------------------
def _admin():
    import psycopg

    return psycopg.connect(DB_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True)


def recreate_database() -> None:
    """A fresh database: a copy of the migrated template a previous run kept, when
    there is one (`migrate` then applies only what is newer), else an empty one."""
    name = DB_URL.rsplit("/", 1)[1]
    with _admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        template = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [f"{name}_migrated"]
        ).fetchone()
        if template:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{name}_migrated"')
        else:
            conn.execute(f'CREATE DATABASE "{name}"')


def keep_migrated_template() -> None:
    """Migrating from nothing takes minutes on a busy machine: keep the migrated,
    still empty database as the next run's template."""
    from django.db import connections

    name = DB_URL.rsplit("/", 1)[1]
    connections.close_all()
    with _admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}_migrated"')
        conn.execute(f'CREATE DATABASE "{name}_migrated" TEMPLATE "{name}"')


def prepare() -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django_scopes import scopes_disabled

    from bench.workload import build_salon
    from solibook.accounts.models import User
    from solibook.demo.scale import seed_scale
    from solibook.marketplace.index import rebuild
    from solibook.marketplace.models import SalonListing

    call_command("migrate", verbosity=0)
    keep_migrated_template()
    call_command("collectstatic", interactive=False, verbosity=0)
    seed_scale(salons=SALONS, seed=11, appointments_per_salon=20, today=DAY - timedelta(days=1))
    rebuild(start=DAY, days=0, now=datetime(2030, 6, 1, 8, tzinfo=UTC))
    business, location, service, masters = build_salon(masters=10, slug="scaleout-salon")
    users = User.objects.bulk_create(
        [User(email=f"scaleout{i}@example.test", full_name=f"Client {i}") for i in range(64)]
    )
    for user in users:
        user.set_password("scaleout-password-123")
    User.objects.bulk_update(users, ["password"])
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_scaleout_runs (job integer NOT NULL)")
        cursor.execute("ANALYZE")
    with scopes_disabled():
        slugs = list(SalonListing.objects.values_list("business_slug", flat=True).distinct())
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    return {
        "slugs": slugs,
        "emails": [u.email for u in users],
        "location": location.pk,
        "service": service.pk,
        "masters": [m.pk for m in masters],
    }


def read_mix(data: dict, clients: int, per_client: int, seed: int) -> list[list[dict]]:
    rng = random.Random(seed)
    search = (
        "/api/v1/marketplace/search/?category=womens-haircut&lat=48.8566&lng=2.3522"
        f"&radius_km=10&date={DAY.isoformat()}"
    )
    out = []
    for _ in range(clients):
        jobs = []
        for _ in range(per_client):
            roll, slug = rng.random(), rng.choice(data["slugs"])
            path = (
                search
                if roll < 0.5
                else f"/en/salons/{slug}/"
                if roll < 0.8
                else f"/api/v1/marketplace/salons/{slug}/"
            )
            jobs.append({"method": "GET", "path": path, "headers": {"Host": "127.0.0.1"}})
        out.append(jobs)
    return out


def tokens_for(port: int, emails: list[str]) -> list[str]:
    tokens = []
    for email in emails:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1/auth/token/",
            data=json.dumps({"email": email, "password": "scaleout-password-123"}).encode(),
            headers={"Content-Type": "application/json"},
        )
        tokens.append(json.load(urllib.request.urlopen(request, timeout=60))["access"])  # noqa: S310
    return tokens


def booking_mix(
    data: dict, tokens: list[str], clients: int, per_client: int, first_day: int
) -> list[list[dict]]:
    """Distinct free hours (master x day x hour) for every request of the phase."""
    out = []
    for i in range(clients):
        jobs = []
        for j in range(per_client):
            k = i * per_client + j
            day = START + timedelta(days=first_day + k // 100)
            hour = 7 + (k // 10) % 10  # 09:00-18:00 Paris (summer)
            body = {
                "location_id": data["location"],
                "items": [{"service_id": data["service"], "master_id": data["masters"][k % 10]}],
                "start": datetime(day.year, day.month, day.day, hour, tzinfo=UTC).isoformat(),
                "source": "marketplace",
            }
            jobs.append(
                {
                    "method": "POST",
                    "path": "/api/v1/appointments/",
                    "body": json.dumps(body),
                    "headers": {
                        "Host": "127.0.0.1",
                        "Content-Type": "application/json",
                        "Authorization": f"Bearer {tokens[i % len(tokens)]}",
                    },
                }
            )
        out.append(jobs)
    return out


def double_bookings() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM booking_bookingsegment a JOIN booking_bookingsegment b "
            "ON a.id < b.id AND a.is_active AND b.is_active AND a.master_id = b.master_id "
            "AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at"
        )
        return cursor.fetchone()[0]


# --- the task queue ----------------------------------------------------------------
def queue_scaling(jobs: int, worker_counts: list[int]) -> dict:
    from django.db import close_old_connections, connection
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from bench.scaleout import record_run as task  # the importable name
    from solibook.core.models import WorkerHeartbeat

    out = {}
    for count in worker_counts:
        close_old_connections()
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE bench_scaleout_runs")
        DBTaskResult.objects.all().delete()  # the seeding's own jobs are not measured
        WorkerHeartbeat.objects.all().delete()
        workers = [
            subprocess.Popen(  # noqa: S603 - manage.py
                [
                    sys.executable,
                    "manage.py",
                    "db_worker",
                    "--queue-name",
                    TASK_QUEUE,
                    "--interval",
                    "0.05",
                    "--no-startup-delay",
                    "--worker-id",
                    f"scaleout-{count}-{n}",
                ],
                cwd=ROOT,
                env={**os.environ, "LOG_LEVEL": "ERROR"},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for n in range(count)
        ]
        try:
            deadline = time.monotonic() + 180
            while WorkerHeartbeat.objects.count() < count:
                if time.monotonic() > deadline:
                    raise RuntimeError("the task workers did not start")
                time.sleep(0.2)
            # Every job due at one instant: written far in the future (enqueueing is
            # slow on a busy machine), then made due together in one statement.
            later = timezone.now() + timedelta(hours=1)
            for n in range(jobs):
                task.using(run_after=later).enqueue(n)
            due = timezone.now() + timedelta(seconds=1)
            DBTaskResult.objects.filter(task_path=TASK_PATH).update(run_after=due)
            deadline = time.monotonic() + 600
            while (
                DBTaskResult.objects.filter(task_path=TASK_PATH)
                .exclude(status="SUCCESSFUL")
                .exists()
            ):
                if time.monotonic() > deadline:
                    raise RuntimeError("the jobs did not finish")
                time.sleep(0.2)
            last = (
                DBTaskResult.objects.filter(task_path=TASK_PATH)
                .order_by("-finished_at")
                .values_list("finished_at", flat=True)
                .first()
            )
            seconds = (last - due).total_seconds()
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*), count(DISTINCT job) FROM bench_scaleout_runs")
                runs, distinct = cursor.fetchone()
            out[str(count)] = {
                "jobs": jobs,
                "seconds": round(seconds, 2),
                "jobs_per_s": round(jobs / seconds, 1),
                "runs_more_than_once": runs - distinct,
                "never_run": jobs - distinct,
            }
        finally:
            for w in workers:
                w.send_signal(signal.SIGTERM)
            for w in workers:
                try:
                    w.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    w.kill()
    base = out[str(worker_counts[0])]["jobs_per_s"]
    for count in worker_counts:
        out[str(count)]["ratio_to_one"] = round(out[str(count)]["jobs_per_s"] / base, 2)
    out["ceiling_one_worker_jobs_per_s"] = round(1 / 0.02, 1)  # the 20 ms wait alone: at most
    return out


# --- main ----------------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--drive", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--reads", type=int, default=25, help="read requests per client")
    parser.add_argument("--bookings", type=int, default=10, help="bookings per client")
    parser.add_argument("--workers-per-server", type=int, default=1)
    parser.add_argument("--threads", type=int, default=8, help="granian blocking threads")
    parser.add_argument("--tasks", type=int, default=400)
    parser.add_argument("--note", default="", help="kept beside the figures (e.g. 'under load')")
    parser.add_argument(
        "--only-queue",
        action="store_true",
        help="measure the task queue alone, into the existing results",
    )
    args = parser.parse_args()
    if args.drive:
        print(json.dumps(drive(json.loads(sys.stdin.read()))))
        return
    if not Path(NGINX).exists():
        sys.exit(f"nginx is missing ({NGINX}): run deploy/system-deps.sh")
    started = time.perf_counter()
    recreate_database()
    if args.only_queue:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE bench_scaleout_runs (job integer NOT NULL)")
        results = json.loads((RESULTS / "scaleout.json").read_text())
        results["task_queue"] = queue_scaling(args.tasks, [1, 2, 4])
        results["task_queue"]["note"] = args.note
        report(results)
        return
    data = prepare()
    results: dict = {
        "machine": {"cores": os.cpu_count(), "load_average_at_start": os.getloadavg()},
        "note": args.note,
        "setup": {
            "proxy": "nginx (Debian), least_conn, keepalive 64",
            "app_server": f"granian wsgi, {args.workers_per_server} worker(s) x "
            f"{args.threads} threads per server",
            "database": "PostgreSQL, Django pool (DB_POOL=1, max 8 per process)",
            "cache": "Redis (CACHE_URL): throttling and cache shared by the servers",
            "clients": args.clients,
            "salons": len(data["slugs"]),
        },
    }
    from django.core.management import call_command

    scratch = Path(tempfile.mkdtemp(prefix="solibook-scaleout-"))
    day_offset = 90
    try:
        for servers_count in (1, 2):
            # This checkout may have gained migrations since (others work in it): a
            # server answers /readyz only with every one applied.
            call_command("migrate", verbosity=0)
            servers = [
                AppServer(
                    workers=args.workers_per_server, threads=args.threads, scratch=scratch, index=i
                )
                for i in range(servers_count)
            ]
            proxy = Proxy(servers, scratch)
            try:
                tokens = tokens_for(proxy.port, data["emails"][: args.clients])
                # Warm every server's worker (imports, pools, caches) before measuring.
                run_load(proxy.port, read_mix(data, 8, 5, seed=0), ok=[200])
                phase = {
                    "reads": run_load(
                        proxy.port,
                        read_mix(data, args.clients, args.reads, seed=servers_count),
                        ok=[200],
                    ),
                    "bookings": run_load(
                        proxy.port,
                        booking_mix(data, tokens, args.clients, args.bookings, day_offset),
                        ok=[201],
                    ),
                }
                day_offset += (args.clients * args.bookings) // 100 + 2
                phase["metrics"] = [s.metrics() for s in servers]
                results[f"{servers_count}_server" + ("s" if servers_count > 1 else "")] = phase
            finally:
                proxy.stop()
                for s in servers:
                    s.stop()
        one, two = results["1_server"], results["2_servers"]
        results["ratio_two_to_one"] = {
            mix: round(two[mix]["requests_per_s"] / one[mix]["requests_per_s"], 2)
            for mix in ("reads", "bookings")
        }
        results["double_bookings"] = double_bookings()
        try:
            results["task_queue"] = queue_scaling(args.tasks, [1, 2, 4])
        except RuntimeError as exc:  # the servers' figures are kept all the same
            results["task_queue"] = {"error": str(exc)}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    results["machine"]["load_average_at_end"] = os.getloadavg()
    results["seconds"] = round(time.perf_counter() - started, 1)
    report(results)


def report(results: dict) -> None:
    RESULTS.mkdir(exist_ok=True)
    results["measured_at"] = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (RESULTS / "scaleout.json").write_text(json.dumps(results, indent=2) + "\n")
    one, two = results["1_server"], results["2_servers"]
    print(f"\nSolibook scale-out ({results['machine']['cores']} cores) {results['note']}")
    for mix in ("reads", "bookings"):
        for label, phase in (("1 app server ", one), ("2 app servers", two)):
            m = phase[mix]
            print(
                f"  {mix:<8} {label}  {m['requests_per_s']:>8} req/s  p50 {m['p50_ms']:>7} ms"
                f"  p99 {m['p99_ms']:>7} ms  errors {m['errors']}"
            )
        print(f"  {mix:<8} two / one      {results['ratio_two_to_one'][mix]}x")
    print(f"  double bookings: {results['double_bookings']}")
    queue = results["task_queue"]
    for count in ("1", "2", "4") if "error" not in queue else ():
        q = queue[count]
        print(
            f"  task queue, {count} worker(s): {q['jobs_per_s']:>7} jobs/s  "
            f"({q['ratio_to_one']}x one; run twice {q['runs_more_than_once']}, never {q['never_run']})"
        )
    print(f"\nwritten: {RESULTS / 'scaleout.json'}")


if __name__ == "__main__":
    main()
