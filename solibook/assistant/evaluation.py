"""The virtual consultant against naive baselines on held-out conversations
(`data/heldout_<language>.txt`, written apart from the training utterances and never used to fit
anything), per language:

- intent accuracy over every client turn: the model (`understanding`) vs English keywords;
- slot exact match over every client turn (services, master, day, time, window and party size
  all equal to the annotation, empty ones included): the rules vs the text's dates read by
  dateparser alone and the catalogue's names found as exact substrings;
- end-to-end task success: each conversation driven through `services.assistant_reply` on a
  throw-away salon of that language (`data/salons.json`, built through the catalogue's
  services, every master working 09:00-21:00 every day); a success when exactly the expected appointment (service, local day
  and time) exists afterwards, or nothing was booked when none was expected. The client is a
  signed-in account; after the scripted turns, the simulated client may press up to three of
  the assistant's buttons (a time that matches its goal, "yes" under a summary with the right
  time) as a person would. Baseline: the share of conversations that need no booking
  (an assistant that never books). Each conversation runs in a transaction rolled back after
  it, so they do not take each other's times.

The conversations happen on a fixed "Monday 10:00" in each salon's zone (the first Monday at
least a week after `now`), so that "tomorrow" and "Friday" mean the same in every run.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from solibook.assistant.understanding import Catalogue, CatalogueEntry, Reading, understand
from solibook.assistant.understanding.catalogue import master_names, service_names
from solibook.assistant.understanding.intents import EMBEDDINGS, classifier
from solibook.assistant.understanding.slots import WINDOWS
from solibook.assistant.understanding.text import fold
from solibook.core.evaluation import Evaluation

AREA = "assistant"
DATA = Path(__file__).resolve().parent / "data"
LANGUAGES = ("en", "fr", "ru", "ar")
SLOT_FIELDS = ("service_ids", "master_id", "day", "time", "window", "party_size")
EXTRA_TURNS = 3  # buttons the simulated client may press after its scripted turns
MASTER_BASE = 100  # ids of masters in the catalogue built without a database


# ---------------------------------------------------------------- the held-out data


@dataclass(frozen=True)
class Turn:
    text: str
    intent: str
    slots: dict = field(default_factory=dict)
    injection: bool = False


@dataclass(frozen=True)
class Conversation:
    id: str
    language: str
    turns: tuple[Turn, ...]
    expect: tuple[str, int, time] | None  # (service key, day offset from Monday, local time)


def _clock(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def parse_conversations(raw: str, language: str) -> list[Conversation]:
    out: list[Conversation] = []
    current: dict | None = None

    def close() -> None:
        if current is not None:
            out.append(
                Conversation(current["id"], language, tuple(current["turns"]), current["expect"])
            )

    for line in raw.splitlines():
        line = line.strip()
        if line.startswith("=="):
            close()
            parts = line[2:].split()
            expect = None
            if parts[1] != "none":
                expect = (parts[1], int(parts[2]), _clock(parts[3]))
            current = {"id": parts[0], "turns": [], "expect": expect}
        elif line.startswith(">"):
            if current is None:
                raise ValueError(f"a turn before any conversation: {line!r}")
            text, intent, *rest = (p.strip() for p in line[1:].split("|"))
            slots, injection = {}, False
            for item in " ".join(rest).split():
                if item == "injection":
                    injection = True
                    continue
                key, value = item.split("=", 1)
                slots[key] = value
            current["turns"].append(Turn(text, intent, slots, injection))
    close()
    return out


@cache
def heldout() -> dict[str, list[Conversation]]:
    return {
        lang: parse_conversations((DATA / f"heldout_{lang}.txt").read_text(encoding="utf-8"), lang)
        for lang in LANGUAGES
    }


@cache
def salon_specs() -> dict:
    return json.loads((DATA / "salons.json").read_text(encoding="utf-8"))


def spec_catalogue(language: str) -> tuple[Catalogue, dict[str, int], dict[str, int]]:
    """The language's salon as a Catalogue without a database: (catalogue, service id by key,
    master id by any of its names)."""
    spec = salon_specs()[language]
    service_ids = {row[0]: i + 1 for i, row in enumerate(spec["services"])}
    services = tuple(
        CatalogueEntry(service_ids[key], service_names(name=name, category_slug=category))
        for key, category, name, _price, _minutes in spec["services"]
    )
    masters, master_ids = [], {}
    for i, (name, _services) in enumerate(spec["masters"]):
        names = master_names(name)
        masters.append(CatalogueEntry(MASTER_BASE + i, names))
        master_ids.update({fold(n): MASTER_BASE + i for n in names})
    return Catalogue(services, tuple(masters)), service_ids, master_ids


# ---------------------------------------------------------------- understanding, turn by turn


def gold_slots(turn: Turn, *, monday: date, service_ids: dict, master_ids: dict) -> dict:
    slots = turn.slots
    window = None
    if "window" in slots:
        value = slots["window"]
        if value in WINDOWS:
            window = WINDOWS[value]
        else:
            start, end = value.split("-")
            window = (_clock(start), _clock(end))
    return {
        "service_ids": tuple(
            sorted(service_ids[k] for k in slots["service"].split(","))
            if "service" in slots
            else ()
        ),
        "master_id": master_ids[fold(slots["master"])] if "master" in slots else None,
        "day": monday + timedelta(days=int(slots["day"])) if "day" in slots else None,
        "time": _clock(slots["time"]) if "time" in slots else None,
        "window": window,
        "party_size": int(slots["party"]) if "party" in slots else None,
    }


def read_slots(reading: Reading) -> dict:
    return {
        "service_ids": tuple(sorted(reading.service_ids)),
        "master_id": reading.master_id,
        "day": reading.day,
        "time": reading.time,
        "window": reading.window,
        "party_size": reading.party_size,
    }


# The baselines: what a keyword bot in English and a date parser alone would read.
_KEYWORDS = (
    ("cancel", "cancel"),
    ("reschedule", "move|reschedule|change|instead"),
    ("human", "person|human|manager|someone|staff|operator|agent"),
    ("abuse", "stupid|idiot|useless|dumb|hate"),
    ("thanks", "thank|thanks|cheers"),
    ("ask_price", "price|cost|how much|charge"),
    ("ask_duration", "how long|duration|minutes|take"),
    ("ask_hours", "open|close|hours"),
    ("ask_address", "where|address|located|find you"),
    ("ask_policy", "policy|deposit|pay|refund|late"),
    ("ask_masters", "who|stylist|master|team"),
    ("my_bookings", "my appointment|my booking|when is my"),
    ("ask_availability", "free|available|availability|slot|any time"),
    ("book", "book|appointment|reserve|schedule|want|like"),
    ("confirm", "yes|ok|sure|correct|confirm|perfect|fine|good|right"),
    ("deny", "no|not|nope"),
    ("greet", "hello|hi|hey|morning|evening"),
)


def keyword_intent(text: str) -> str:
    lowered = text.lower()
    for intent, words in _KEYWORDS:
        if re.search(rf"\b(?:{words})\b", lowered):
            return intent
    return "other"


def baseline_slots(text: str, *, catalogue: Catalogue, now: datetime) -> dict:
    import dateparser  # type: ignore[import-untyped]

    lowered = text.lower()

    def named(entries):
        return tuple(
            sorted(e.id for e in entries if any(n.lower() in lowered for n in e.names if n))
        )

    services = named(catalogue.services)
    masters = named(catalogue.masters)
    base = now.replace(tzinfo=None)
    found = dateparser.parse(text, settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "future"})
    day = found.date() if found else None
    at = found.time() if found and found.time() != base.time() and found.time() != time(0) else None
    return {
        "service_ids": services,
        "master_id": masters[0] if len(masters) == 1 else None,
        "day": day
        if day != base.date() or re.search(r"today|aujourd|сегодня|اليوم", lowered)
        else None,
        "time": at,
        "window": None,
        "party_size": None,
    }


def monday_after(now: datetime, zone: str) -> datetime:
    """10:00 on the first Monday at least 7 days after `now`, in `zone`."""
    local = now.astimezone(ZoneInfo(zone))
    day = local.date() + timedelta(days=7)
    day += timedelta(days=(7 - day.weekday()) % 7)
    return datetime.combine(day, time(10), tzinfo=ZoneInfo(zone))


def understanding_scores(language: str, *, now: datetime) -> dict:
    """Intent accuracy and slot exact match of the model and the baselines on one language."""
    catalogue, service_ids, master_ids = spec_catalogue(language)
    zone = salon_specs()[language]["time_zone"]
    reference = monday_after(now, zone)
    turns = [t for c in heldout()[language] for t in c.turns]
    # Embedded in one batch: much faster than one sentence at a time.
    EMBEDDINGS.encode([" ".join(fold(t.text).split()) for t in turns])
    counts: Counter = Counter()
    per_slot: Counter = Counter()
    for turn in turns:
        reading = understand(turn.text, catalogue=catalogue, now=reference, language_hint=language)
        gold = gold_slots(
            turn, monday=reference.date(), service_ids=service_ids, master_ids=master_ids
        )
        found = read_slots(reading)
        base = baseline_slots(turn.text, catalogue=catalogue, now=reference)
        counts["turns"] += 1
        counts["intent"] += reading.intent == turn.intent
        counts["intent_baseline"] += keyword_intent(turn.text) == turn.intent
        counts["slots"] += found == gold
        counts["slots_baseline"] += base == gold
        counts["language"] += reading.language == language
        counts["injection"] += reading.injection == turn.injection
        for name in SLOT_FIELDS:
            per_slot[name] += found[name] == gold[name]
    n = counts["turns"]
    return {
        "turns": n,
        "intent": round(counts["intent"] / n, 3),
        "intent_baseline": round(counts["intent_baseline"] / n, 3),
        "slots": round(counts["slots"] / n, 3),
        "slots_baseline": round(counts["slots_baseline"] / n, 3),
        "language": round(counts["language"] / n, 3),
        "injection": round(counts["injection"] / n, 3),
        "per_slot": {k: round(v / n, 3) for k, v in per_slot.items()},
    }


# ---------------------------------------------------------------- end to end


@dataclass
class _Salon:
    business: object
    location: object
    zone: str
    services: dict  # key -> Service
    client: object
    monday: datetime


def _build_salon(language: str, *, now: datetime, owner) -> _Salon:
    """The language's salon through the catalogue's own services (as the pages make one):
    open and staffed every day 09:00-21:00, no holidays imported, so every day is bookable."""
    from decimal import Decimal

    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django_scopes import scopes_disabled

    from solibook.accounts.models import User
    from solibook.catalog.models import Category
    from solibook.catalog.services import (
        business_create,
        business_update_settings,
        location_create,
        master_create,
        opening_hours_set,
        service_create,
        weekly_schedule_set,
    )
    from solibook.catalog.taxonomy import load_into

    spec = salon_specs()[language]
    with transaction.atomic(), scopes_disabled():
        if not Category.objects.exists():
            load_into(Category)
        categories = dict(Category.objects.values_list("slug", "pk"))
        business = business_create(
            owner=owner,
            name=spec["name"],
            currency=spec["currency"],
            country=spec["country"],
            slug=f"assistant-evaluation-{language}",
        )
        business_update_settings(
            actor=owner,
            business=business,
            languages=[language],
            lead_time_minutes=60,
            slot_step_minutes=15,
            horizon_days=120,
            cancellation_window_hours=24,
            cancellation_fee_percent=0,
        )
        location = location_create(
            actor=owner,
            business=business,
            name=spec["name"],
            address=spec["address"],
            city=spec["city"],
            postal_code=spec["postal_code"],
            country=spec["country"],
            time_zone=spec["time_zone"],
            latitude=Decimal(spec["latitude"]),
            longitude=Decimal(spec["longitude"]),
        )
        opening_hours_set(
            actor=owner,
            business=business,
            location_id=location.pk,
            periods=[{"weekday": d, "opens": time(9), "closes": time(21)} for d in range(7)],
        )
        services = {}
        for position, (key, category, name, price, minutes) in enumerate(spec["services"]):
            services[key] = service_create(
                actor=owner,
                business=business,
                category_id=categories[category],
                name=name,
                price_amount=price,
                position=position,
                steps=[{"duration_minutes": minutes, "master_busy": True, "label": ""}],
                variants=[],
                resource_type_ids=[],
            )
        for position, (name, keys) in enumerate(spec["masters"]):
            master = master_create(
                actor=owner,
                business=business,
                display_name=name,
                bio="",
                color="#7a2e5a",
                position=position,
                location_ids=[location.pk],
                services=[
                    {
                        "service_id": services[k].pk,
                        "price_amount": None,
                        "duration_delta_minutes": 0,
                    }
                    for k in keys
                ],
                user=None,
            )
            weekly_schedule_set(
                actor=owner,
                business=business,
                master_id=master.pk,
                location_id=location.pk,
                shifts=[
                    {"weekday": d, "start": time(9), "end": time(21), "breaks": []}
                    for d in range(7)
                ],
            )
        client = User.objects.create(
            email=f"assistant.evaluation.{language}@example.com",
            password=make_password(None),
            full_name={"en": "Alex Reed", "fr": "Alex Moreau", "ru": "Саша Орлова", "ar": "ريم"}[
                language
            ],
            language=language,
            time_zone=spec["time_zone"],
        )
    return _Salon(
        business=business,
        location=location,
        zone=spec["time_zone"],
        services=services,
        client=client,
        monday=monday_after(now, spec["time_zone"]),
    )


def _time_shown(text: str, at: time) -> bool:
    hour12 = at.hour % 12 or 12
    forms = {
        f"{at.hour:02d}:{at.minute:02d}",
        f"{at.hour}:{at.minute:02d}",
        f"{hour12}:{at.minute:02d}",
    }
    return any(re.search(rf"(?<!\d){re.escape(f)}(?!\d)", text) for f in forms)


def _press(replies, goal: tuple[str, int, time] | None) -> str | None:
    """The button a client with this goal presses next, if any."""
    if goal is None or not replies:
        return None
    _key, _day, at = goal
    for reply in reversed(replies):
        for choice in reply.choices:
            if _time_shown(choice.get("label", ""), at):
                return choice["value"]
        if any(c.get("value") == "yes" for c in reply.choices) and _time_shown(reply.text, at):
            return "yes"
    return None


class _Rollback(Exception):
    pass


def _drive(salon: _Salon, conversation: Conversation) -> dict:
    """Play one conversation; whether the right thing was booked (rolled back after)."""
    from django.db import transaction
    from django_scopes import scopes_disabled

    from solibook.assistant import services
    from solibook.booking.models import Appointment, AppointmentItem, Status

    result: dict = {}
    try:
        with transaction.atomic():
            talk = services.conversation_start(
                business=salon.business,
                channel="web",
                language=conversation.language,
                account=salon.client,
            )
            moment = salon.monday
            replies = []
            for turn in conversation.turns:
                moment += timedelta(minutes=1)
                replies = services.assistant_reply(
                    conversation=talk, text=turn.text, account=salon.client, now=moment
                )
            pressed = 0
            while pressed < EXTRA_TURNS and not _booked(salon):
                button = _press(replies, conversation.expect)
                if button is None:
                    break
                moment += timedelta(minutes=1)
                pressed += 1
                replies = services.assistant_reply(
                    conversation=talk, text=button, account=salon.client, now=moment
                )
            with scopes_disabled():
                live = list(
                    Appointment.objects.filter(business=salon.business).exclude(
                        status__in=[Status.CANCELLED, Status.EXPIRED]
                    )
                )
                items = {
                    i.appointment_id: i.service_id
                    for i in AppointmentItem.objects.filter(appointment__in=live)
                }
            expect = conversation.expect
            if expect is None:
                success = not live
            else:
                key, offset, at = expect
                wanted = datetime.combine(
                    salon.monday.date() + timedelta(days=offset), at, tzinfo=ZoneInfo(salon.zone)
                )
                success = (
                    len(live) == 1
                    and live[0].starts_at == wanted
                    and items.get(live[0].pk) == salon.services[key].pk
                )
            result = {
                "success": success,
                "booked": [
                    (
                        a.starts_at.astimezone(ZoneInfo(salon.zone)).strftime("%a %H:%M"),
                        items.get(a.pk),
                    )
                    for a in live
                ],
                "buttons": pressed,
                "last": replies[-1].text[:120] if replies else "",
            }
            raise _Rollback
    except _Rollback:
        pass
    return result


def _booked(salon: _Salon) -> bool:
    from django_scopes import scopes_disabled

    from solibook.booking.models import Appointment, Status

    with scopes_disabled():
        return (
            Appointment.objects.filter(business=salon.business)
            .exclude(status__in=[Status.CANCELLED, Status.EXPIRED])
            .exists()
        )


def task_success(*, now: datetime) -> dict[str, dict]:
    """Per language: the share of conversations that ended with the right booking (or none)."""
    from django.contrib.auth.hashers import make_password
    from django_scopes import scopes_disabled

    from solibook.accounts.models import User

    with scopes_disabled():
        owner, _created = User.objects.get_or_create(
            email="assistant.evaluation.owner@example.com",
            defaults={"password": make_password(None), "full_name": "Evaluation owner"},
        )
    out = {}
    for language in LANGUAGES:
        salon = _build_salon(language, now=now, owner=owner)
        results = {c.id: _drive(salon, c) for c in heldout()[language]}
        conversations = heldout()[language]
        out[language] = {
            "success": round(sum(r["success"] for r in results.values()) / len(results), 3),
            "baseline": round(sum(c.expect is None for c in conversations) / len(conversations), 3),
            "conversations": len(results),
            "failed": {k: r for k, r in results.items() if not r["success"]},
        }
    return out


# ---------------------------------------------------------------- the report


def evaluate(*, business, now) -> list[Evaluation]:
    """`business` is not used: the assistant is measured on its own throw-away salons."""
    train_size = classifier().train_size
    per_language = {lang: understanding_scores(lang, now=now) for lang in LANGUAGES}
    out = []
    for lang, scores in per_language.items():
        out.append(
            Evaluation(
                area=AREA,
                name=f"assistant intent ({lang})",
                metric="accuracy",
                model=scores["intent"],
                baseline=scores["intent_baseline"],
                baseline_name="English keywords",
                higher_is_better=True,
                train_size=train_size,
                test_size=scores["turns"],
                details={"language_id": scores["language"], "injection_flag": scores["injection"]},
            )
        )
        out.append(
            Evaluation(
                area=AREA,
                name=f"assistant slots ({lang})",
                metric="exact match",
                model=scores["slots"],
                baseline=scores["slots_baseline"],
                baseline_name="dateparser + exact names",
                higher_is_better=True,
                train_size=0,
                test_size=scores["turns"],
                details={"per_slot": scores["per_slot"]},
            )
        )
    success = task_success(now=now)
    for lang, figures in success.items():
        out.append(
            Evaluation(
                area=AREA,
                name=f"assistant task success ({lang})",
                metric="success rate",
                model=figures["success"],
                baseline=figures["baseline"],
                baseline_name="never book",
                higher_is_better=True,
                train_size=train_size,
                test_size=figures["conversations"],
                details={"failed": figures["failed"]},
            )
        )
    return out
