#!/usr/bin/env python
"""Marketing benchmark: one campaign to 100,000 recipients through the channel layer.

A salon with N client cards (BENCH_MARKETING_RECIPIENTS, 100,000 by default), all
in one saved segment and all agreeing to marketing, in four languages. A campaign
by e-mail with a code of their own for each recipient and a 10 % hold-out:

1. send: the audience drawn (consents, channels, addresses read in bulk), the
   hold-out drawn and every recipient row stored;
2. queue: codes issued, each message rendered in its language and queued as a
   notification, the rows claimed (`campaign_run`, batches of 1,000);
3. dispatch: the notifications' dispatcher (`dispatch_due`, batches of 500) sends
   them through the real EmailProvider to an in-process SMTP sink (a Django mail
   backend that serialises each message to bytes, as SMTP would, and drops it).
   The throttle is set to its maximum and the run dispatches "after" the last send
   time, so the dispatcher re-asks every message's channels (as it does for any
   message created over a minute before it goes).

Floor, measured in the same run: the very same messages (the same addresses,
subjects, texts, HTML and headers) handed straight to the same EmailProvider and
sink, with no campaign logic and no database. Reported: messages per second end
to end (1+2+3) and of each phase, the floor's, and their ratio.

`make bench` runs it from bench/run.py (its database migrated); alone,
`python bench/marketing.py` uses its own database and merges its figures into
bench/results/latest.json under "marketing".
"""

import json
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Run as a script, this module is __main__; the mail backend setting names it
# bench.marketing: one module, one SinkStats.
sys.modules.setdefault("bench.marketing", sys.modules[__name__])

RECIPIENTS = int(os.environ.get("BENCH_MARKETING_RECIPIENTS", "100000"))
LANGUAGES = ("fr", "en", "ru", "ar")


class SinkStats:
    messages = 0
    bytes = 0


class SinkBackend(BaseEmailBackend):
    """The SMTP sink: each message serialised to its bytes (as SMTP would), counted, dropped."""

    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            SinkStats.bytes += len(message.message().as_bytes())
            SinkStats.messages += 1
        return len(email_messages)


def _world(stamp: str):
    from django_scopes import scopes_disabled

    from bench.workload import build_salon
    from solibook.clients.models import Client, ClientConsent, ClientTag, Segment
    from solibook.marketing.models import MarketingSettings

    business, _location, _service, _masters = build_salon(masters=1, slug=f"bench-mkt-{stamp}")
    now = datetime.now(UTC)
    with scopes_disabled():
        tag = ClientTag.objects.create(business=business, name="Newsletter")
        segment = Segment.objects.create(business=business, name="Newsletter", tag=tag)
        for start in range(0, RECIPIENTS, 10_000):
            cards = Client.objects.bulk_create(
                [
                    Client(
                        business=business,
                        first_name=f"Client{i}",
                        last_name="Bench",
                        email=f"c{i}-{stamp}@bench.test",
                        language=LANGUAGES[i % 4],
                    )
                    for i in range(start, min(start + 10_000, RECIPIENTS))
                ],
                batch_size=5000,
            )
            Client.tags.through.objects.bulk_create(
                [Client.tags.through(client_id=c.pk, clienttag_id=tag.pk) for c in cards],
                batch_size=5000,
            )
            ClientConsent.objects.bulk_create(
                [
                    ClientConsent(
                        business=business,
                        client=c,
                        kind="marketing",
                        granted=True,
                        recorded_at=now - timedelta(days=30),
                        source="bench",
                    )
                    for c in cards
                ],
                batch_size=5000,
            )
        # No quiet hours, the highest throttle: the figure is the machine's, not the limit's.
        MarketingSettings.objects.update_or_create(
            business=business,
            defaults={
                "quiet_start": clock(0),
                "quiet_end": clock(0),
                "throttle": {"email": 100_000},
            },
        )
    return business, segment


def _campaign(business, segment):
    from solibook.core.tenancy import business_scope
    from solibook.marketing import services

    words = {
        "en": (
            "Spring at {{ salon }}",
            "Hello {{ first_name }}, {{ discount }} off with {{ code }} until {{ valid_until }}: {{ link }}\nStop: {{ unsubscribe_link }}",
        ),
        "fr": (
            "Le printemps chez {{ salon }}",
            "Bonjour {{ first_name }}, {{ discount }} avec {{ code }} jusqu'au {{ valid_until }} : {{ link }}\nDésinscription : {{ unsubscribe_link }}",
        ),
        "ru": (
            "Весна в {{ salon }}",
            "Здравствуйте, {{ first_name }}! Скидка {{ discount }} по коду {{ code }} до {{ valid_until }}: {{ link }}\nОтписаться: {{ unsubscribe_link }}",
        ),
        "ar": (
            "الربيع في {{ salon }}",
            "مرحبا {{ first_name }}، خصم {{ discount }} مع الرمز {{ code }} حتى {{ valid_until }}: {{ link }}\nإلغاء الاشتراك: {{ unsubscribe_link }}",
        ),
    }
    with business_scope(business):
        return services.campaign_save(
            business=business,
            actor=None,
            name="Spring",
            channels=["email"],
            segment_id=segment.pk,
            offer="code",
            discount_percent=15,
            holdout_percent=10,
            templates={k: {"subject": s, "body": b} for k, (s, b) in words.items()},
        )


def _floor_messages(business, chunk: list[int]):
    """The sent messages as the provider takes them (read and built outside the timer)."""
    from solibook.notifications.models import Notification
    from solibook.notifications.rendering import prepared_message

    cache: dict = {}
    rows = Notification.objects.filter(pk__in=chunk).select_related("business").order_by("pk")
    messages = []
    for row in rows:
        message = prepared_message(row, row.context["prepared"], cache)
        message.key = row.delivery_key
        messages.append(message)
    return messages


def run() -> dict:
    """All three phases and the floor; Django is set up on a migrated database."""
    from django.conf import settings
    from django.db import connection
    from django.urls import reverse
    from django_scopes import scopes_disabled

    from solibook.core.tenancy import business_scope
    from solibook.marketing import services
    from solibook.marketing.models import Campaign, Recipient
    from solibook.notifications.dispatcher import dispatch_due
    from solibook.notifications.models import Notification
    from solibook.notifications.providers import EmailProvider

    settings.EMAIL_BACKEND = "bench.marketing.SinkBackend"
    settings.NOTIFICATIONS_PROVIDERS = {
        **settings.NOTIFICATIONS_PROVIDERS,
        "email": "solibook.notifications.providers.EmailProvider",
    }
    stamp = datetime.now(UTC).strftime("%H%M%S%f")
    out: dict = {"recipients": RECIPIENTS, "database": connection.vendor, "channel": "email"}
    business, segment = _world(stamp)
    campaign = _campaign(business, segment)
    reverse("marketplace:salon", args=["warm-up"])  # the URL conf loads once per process

    with scopes_disabled(), business_scope(business):
        started = time.perf_counter()
        services.campaign_send(business=business, actor=None, campaign_id=campaign.pk)
        drawn = time.perf_counter()
        services.campaign_run(business=business, campaign_id=campaign.pk, batch=1000)
        queued = time.perf_counter()
        campaign = Campaign.objects.get(pk=campaign.pk)
        last_due = (
            Recipient.objects.filter(campaign=campaign, due_at__isnull=False)
            .order_by("-due_at")
            .values_list("due_at", flat=True)[0]
        )
        SinkStats.messages = SinkStats.bytes = 0
        sent = 0
        while (result := dispatch_due(batch=500, now=last_due + timedelta(seconds=1))).claimed:
            sent += result.sent
        done = time.perf_counter()
        held = Recipient.objects.filter(campaign=campaign, group="holdout").count()
        ids = list(
            Notification.objects.filter(business=business, status="sent")
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    assert sent == len(ids) == RECIPIENTS - held == SinkStats.messages, (sent, len(ids), held)
    total = done - started
    out["holdout"] = held
    out["sent"] = sent
    out["phases_seconds"] = {
        "send_draw_audience_and_holdout": round(drawn - started, 3),
        "queue_codes_render_notifications": round(queued - drawn, 3),
        "dispatch_channel_layer": round(done - queued, 3),
    }
    out["campaign"] = {
        "seconds": round(total, 3),
        "messages_per_s": round(sent / total, 1),
        "dispatch_messages_per_s": round(sent / (done - queued), 1),
    }
    out["bytes_per_message"] = round(SinkStats.bytes / max(SinkStats.messages, 1))

    # Floor: the same messages straight to the same provider and sink.
    SinkStats.messages = SinkStats.bytes = 0
    provider = EmailProvider()
    provider.open()
    floor = 0.0
    with scopes_disabled():
        for start in range(0, len(ids), 5000):
            messages = _floor_messages(business, ids[start : start + 5000])
            began = time.perf_counter()
            for message in messages:
                provider.send(message)
            floor += time.perf_counter() - began
    provider.close()
    out["floor_provider_to_sink"] = {
        "sent": SinkStats.messages,
        "seconds": round(floor, 3),
        "messages_per_s": round(SinkStats.messages / floor, 1),
    }
    out["ratio_to_floor"] = round(
        out["floor_provider_to_sink"]["messages_per_s"] / out["campaign"]["messages_per_s"], 2
    )
    out["dispatch_ratio_to_floor"] = round(
        out["floor_provider_to_sink"]["messages_per_s"]
        / out["campaign"]["dispatch_messages_per_s"],
        2,
    )
    return out


def report_rows(out: dict):
    if "skipped" in out:
        yield "marketing campaign", "skipped", out["skipped"]
        return
    yield (
        f"campaign to {out['recipients']:,} (e-mail, 10 % hold-out)",
        f"{out['campaign']['messages_per_s']} msg/s",
        f"{out['sent']:,} sent in {out['campaign']['seconds']} s end to end",
    )
    yield (
        "  of which the dispatcher (channel layer)",
        f"{out['campaign']['dispatch_messages_per_s']} msg/s",
        f"phases {out['phases_seconds']}",
    )
    yield (
        "  floor: same messages, provider → sink",
        f"{out['floor_provider_to_sink']['messages_per_s']} msg/s",
        f"ratio {out['ratio_to_floor']} (dispatch alone {out['dispatch_ratio_to_floor']})",
    )


def run_into(results: dict) -> None:
    """bench/run.py's call (Django set up on BENCH_DB, migrated)."""
    try:
        out = run()
    except Exception as exc:  # a failing part must not lose the rest of the run's figures
        results["marketing"] = {"skipped": f"{type(exc).__name__}: {exc}"[:500]}
        return
    results["marketing"] = out
    for name, value, note in report_rows(out):
        print(f"  {name:<46}  {value:>16}  {note}")


def main() -> None:
    database_url = os.environ.get(
        "BENCH_MARKETING_DATABASE_URL",
        "postgres://postgres@127.0.0.1:5432/solibook_bench_marketing",
    )
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        DATABASE_URL=database_url,
        SECRET_KEY="bench-" + "x" * 60,
        ALLOWED_HOSTS="localhost",
        DEBUG="0",
        LOG_LEVEL="WARNING",
    )
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    with psycopg.connect(database_url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    results: dict = {}
    run_into(results)
    path = ROOT / "bench" / "results" / "latest.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    data["marketing"] = results["marketing"]
    path.write_text(json.dumps(data, indent=2) + "\n")
    print(json.dumps(results["marketing"], indent=2))


if __name__ == "__main__":
    main()
