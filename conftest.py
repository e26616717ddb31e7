"""Suite-wide pytest setup: which database runs, and the `postgres` marker."""

import pytest
from django.conf import settings


def _engine() -> str:
    return settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]


def pytest_report_header(config):
    db = settings.DATABASES["default"]
    where = (
        f"{db.get('HOST') or 'local'}:{db.get('PORT') or ''}/{db.get('NAME')}"
        if _engine() == "postgresql"
        else "in memory"
    )
    return f"database: {_engine()} ({where})"


def pytest_collection_modifyitems(config, items):
    if _engine() == "postgresql":
        return
    skip = pytest.mark.skip(
        reason="needs PostgreSQL (running on SQLite: no server answered on 127.0.0.1:5432 and DATABASE_URL is unset)"
    )
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)
