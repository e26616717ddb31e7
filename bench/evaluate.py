#!/usr/bin/env python
"""`make evaluate`: every model against its naive baseline on held-out data.

By default, on a throw-away SQLite database (var/evaluate.sqlite3, deleted and
migrated first): the demo's history salon (its catalogue only, as `seed_demo`
builds it) gets a year of synthetic history of known structure
(`solibook.demo.history.seed_history`, the demo's seed),
then every `solibook/<area>/evaluation.py` is discovered and its
`evaluate(*, business, now)` called (an area whose `evaluate` also takes
`truth=` gets the history's ground truth). `--business <slug>` evaluates that
real salon on the configured database instead (DATABASE_URL), writing nothing.

Prints a table (model, baseline, metric, sizes, whether the model wins, and
each evaluation's details such as per-language figures) and writes
bench/results/evaluation.json. Exits 1 when an area fails to run.
"""

import argparse
import importlib
import inspect
import json
import os
import sys
import time
import traceback
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
VAR = Path(os.environ.get("SOLIBOOK_VAR_DIR", ROOT / "var"))


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--business", help="evaluate this salon (slug) on the configured database")
    parser.add_argument(
        "--area", action="append", help="only these areas (app labels); repeat for several"
    )
    parser.add_argument(
        "--output", default=str(RESULTS / "evaluation.json"), help="where to write the results"
    )
    return parser.parse_args()


def _environment(real: bool) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault("SECRET_KEY", "evaluate-" + "x" * 60)
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if not real:
        # The demo's purchase orders are e-mailed while it seeds: keep them in memory.
        os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
        VAR.mkdir(parents=True, exist_ok=True)
        database = VAR / "evaluate.sqlite3"
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"


def _areas(only: list[str] | None) -> list[str]:
    found = sorted(
        path.parent.name
        for path in (ROOT / "solibook").glob("*/evaluation.py")
        if path.parent.name != "core"
    )
    return [a for a in found if not only or a in only]


def _history_salon(now):
    """The demo's history salon alone (its owner, business, location and
    catalogue, as `seed_demo` builds them), without the rest of the demo."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django_scopes import scopes_disabled

    from solibook.accounts.models import User
    from solibook.catalog.services import business_create, location_create
    from solibook.demo import seed
    from solibook.demo.catalogue import build_catalogue
    from solibook.demo.catalogue_data import CATALOGUES
    from solibook.demo.data import DEMO_BUSINESSES, DEMO_USERS

    slug = getattr(seed, "HISTORY_SALON", "zhemchug")
    spec = next(b for b in DEMO_BUSINESSES if b.get("slug") == slug)
    password = make_password(None)  # nobody signs in to the throw-away database
    with transaction.atomic(), scopes_disabled():
        users = {
            email: User.objects.create(
                email=email, password=password, full_name=name, language=language, time_zone=zone
            )
            for email, name, language, zone, _staff in DEMO_USERS
        }
        owner = users[spec["owner"]]
        business = business_create(
            owner=owner,
            name=spec["name"],
            currency=spec["currency"],
            country=spec["country"],
            description=spec["description"],
            slug=slug,
        )
        locations = {
            location["name"]: location_create(
                actor=owner,
                business=business,
                country=spec["country"],
                **{
                    **location,
                    "latitude": Decimal(location["latitude"]),
                    "longitude": Decimal(location["longitude"]),
                },
            )
            for location in spec["locations"]
        }
        catalogue = build_catalogue(
            business=business,
            owner=owner,
            spec=CATALOGUES[spec["name"]],
            locations=locations,
            users=users,
            now=now,
        )
    return business, min(catalogue.locations.values(), key=lambda loc: loc.pk)


def _seed(now):
    """Migrate, build the demo's history salon and write its synthetic year;
    (business, truth, info)."""
    from django.core.management import call_command
    from django_scopes import scopes_disabled

    from solibook.demo import seed
    from solibook.demo.history import seed_history

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrated = time.perf_counter()
    business, location = _history_salon(now)
    with scopes_disabled():
        truth = seed_history(
            business=business,
            location=location,
            now=now,
            clients=getattr(seed, "HISTORY_CLIENTS", 420),
            seed=seed.DEMO_SEED,
        )
    info = {
        "database": "synthetic (throw-away SQLite, the demo's history salon + seed_history)",
        "business": business.slug,
        "history_days": (truth.last_day - truth.first_day).days + 1,
        "appointments": truth.appointments,
        "requests": truth.requests,
        "turned_away": truth.turned_away,
        "migrate_seconds": round(migrated - started, 1),
        "seed_seconds": round(time.perf_counter() - migrated, 1),
    }
    return business, truth, info


def _run(area: str, business, now, truth) -> tuple[list, float, str | None]:
    started = time.perf_counter()
    try:
        module = importlib.import_module(f"solibook.{area}.evaluation")
        evaluate = module.evaluate
        kwargs = {"business": business, "now": now}
        if truth is not None and "truth" in inspect.signature(evaluate).parameters:
            kwargs["truth"] = truth
        found = list(evaluate(**kwargs))
        return found, time.perf_counter() - started, None
    except Exception:
        return [], time.perf_counter() - started, traceback.format_exc()


def _cell(value) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _details(details: dict, width: int = 110) -> list[str]:
    lines = []
    for key, value in details.items():
        text = json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)
        if len(text) > width:
            text = text[: width - 1] + "…"
        lines.append(f"      {key}: {text}")
    return lines


def _table(rows: list[dict]) -> str:
    headers = ("area", "what", "metric", "model", "baseline", "vs", "wins", "train", "test", "s")
    body = [
        (
            r["area"],
            r["name"],
            r["metric"],
            _cell(r["model"]),
            _cell(r["baseline"]),
            r["baseline_name"],
            "yes" if r["beats_baseline"] else "NO",
            str(r["train_size"]),
            str(r["test_size"]),
            f"{r['seconds']:.1f}",
        )
        for r in rows
    ]
    widths = [max(len(h), *(len(row[i]) for row in body)) for i, h in enumerate(headers)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True))  # noqa: E731
    out = [line(headers), line(tuple("-" * w for w in widths))]
    for row, r in zip(body, rows, strict=True):
        out.append(line(row))
        out.extend(_details(r.get("details") or {}))
    return "\n".join(out)


def main() -> int:
    args = _arguments()
    _environment(real=bool(args.business))
    import django

    django.setup()
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from solibook.catalog.models import Business

    started = time.perf_counter()
    now = timezone.now()
    truth = None
    if args.business:
        with scopes_disabled():
            business = Business.objects.filter(slug=args.business).first()
        if business is None:
            print(f"No salon with the slug {args.business!r} in this database.", file=sys.stderr)
            return 2
        info = {"database": "configured (DATABASE_URL)", "business": business.slug}
    else:
        business, truth, info = _seed(now)
    rows, errors = [], {}
    for area in _areas(args.area):
        found, seconds, error = _run(area, business, now, truth)
        if error:
            errors[area] = error
        for evaluation in found:
            rows.append({**evaluation.as_dict(), "seconds": round(seconds / len(found), 2)})
    info["seconds"] = round(time.perf_counter() - started, 1)
    print(
        f"make evaluate · {info['database']} · salon {info['business']} · {now:%Y-%m-%d %H:%M} UTC"
    )
    print(_table(rows) if rows else "No evaluation returned a figure (too little history?).")
    for area, error in errors.items():
        print(f"\n{area} failed:\n{error}", file=sys.stderr)
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(
        json.dumps(
            {
                "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "now": now.isoformat(timespec="seconds"),
                "run": info,
                "evaluations": rows,
                "errors": {area: error.strip().splitlines()[-1] for area, error in errors.items()},
            },
            indent=2,
            ensure_ascii=False,
            sort_keys=True,
            default=str,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"\n{len(rows)} evaluations in {info['seconds']} s; written to {output}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
