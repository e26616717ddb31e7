import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from config.env import INSECURE_DEV_SECRET, require_production_safety
from config.settings import base

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize("key", ["", INSECURE_DEV_SECRET, "short"])
def test_debug_off_refuses_a_missing_or_weak_secret(key):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        require_production_safety(debug=False, secret_key=key, allowed_hosts=["example.com"])


def test_debug_off_refuses_missing_allowed_hosts():
    with pytest.raises(ImproperlyConfigured, match="ALLOWED_HOSTS"):
        require_production_safety(debug=False, secret_key="x" * 50, allowed_hosts=[])


def test_debug_on_accepts_local_defaults():
    require_production_safety(debug=True, secret_key="", allowed_hosts=[])


def test_the_process_refuses_to_start_without_a_secret():
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"}}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_argon2_hashes_passwords_in_production_settings():
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_sqlite_serialises_writers_and_uses_wal():
    db = base.tune_database({"ENGINE": "django.db.backends.sqlite3", "NAME": "x.sqlite3"})
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]
    assert "busy_timeout" in db["OPTIONS"]["init_command"]


def test_no_model_change_lacks_a_migration(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
