"""DB_POOL and DATABASE_REPLICA_URL switch the pool and the replica on, as
config/settings/base.py reads them at start-up (a fresh interpreter each)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PRINT = (
    "import json; from django.conf import settings as s; print(json.dumps({"
    "'databases': s.DATABASES, 'routers': getattr(s, 'DATABASE_ROUTERS', []),"
    "'middleware': s.MIDDLEWARE}, default=str))"
)


def settings_with(**variables) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DB_POOL", "DATABASE_REPLICA_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        SECRET_KEY="settings-test-" + "k" * 40,
        ALLOWED_HOSTS="solibook.example",
        DATABASE_URL="postgres://app@db.internal:5432/solibook",
        **variables,
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", PRINT], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_by_default_one_database_with_persistent_connections():
    found = settings_with()
    assert list(found["databases"]) == ["default"]
    assert "pool" not in found["databases"]["default"].get("OPTIONS", {})
    assert found["databases"]["default"]["CONN_MAX_AGE"] == 60
    assert found["routers"] == []
    assert "solibook.core.dbrouting.ReplicaReadsMiddleware" not in found["middleware"]


def test_the_pool_and_the_replica_are_switched_on_by_the_environment():
    found = settings_with(
        DB_POOL="1",
        DB_POOL_MAX_SIZE="6",
        DATABASE_REPLICA_URL="postgres://reader@replica.internal:5432/solibook",
    )
    primary, replica = found["databases"]["default"], found["databases"]["replica"]
    assert replica["HOST"] == "replica.internal" and primary["HOST"] == "db.internal"
    for db in (primary, replica):
        assert db["CONN_MAX_AGE"] == 0  # Django refuses persistent connections with a pool
        assert db["OPTIONS"]["pool"] == {"min_size": 2, "max_size": 6, "timeout": 5.0}
    assert found["routers"] == ["solibook.core.dbrouting.ReplicaRouter"]
    assert found["middleware"][-2:] == [
        "solibook.core.dbrouting.ReplicaReadsMiddleware",
        "axes.middleware.AxesMiddleware",
    ]
