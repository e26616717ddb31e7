"""One message read end to end: language, injection, slots, names, intent."""

from __future__ import annotations

from datetime import datetime

from solibook.assistant.understanding import Catalogue, Reading
from solibook.assistant.understanding import language as language_
from solibook.assistant.understanding import names as names_
from solibook.assistant.understanding import text as text_
from solibook.assistant.understanding.injection import is_injection
from solibook.assistant.understanding.intents import classify
from solibook.assistant.understanding.slots import read_slots

MAX_CHARS = 2000  # a pasted essay is read by its beginning


def read(text: str, *, catalogue: Catalogue, now: datetime, language_hint: str | None) -> Reading:
    message = (text or "").strip()[:MAX_CHARS]
    found = language_.identify(message, hint=language_hint)
    folded = " ".join(text_.fold(found.text).split())
    # The original's Latin letters also count for injection ("ignore your rules" in a Russian
    # conversation is still an attempt).
    injection = is_injection(folded) or is_injection(text_.fold(message))
    slots = read_slots(folded, today=now.date(), language=found.code)
    ambiguous = dict(slots.ambiguous)

    master_ids, master_candidates = names_.match(
        slots.rest, catalogue.masters, latin=True, many=False
    )
    rest = slots.rest
    if master_ids or master_candidates:
        rest = _without_master_words(rest, catalogue, master_ids or master_candidates)
    service_ids, service_candidates = names_.match(rest, catalogue.services)
    if master_candidates:
        ambiguous["master_id"] = master_candidates
    if service_candidates:
        ambiguous["service_ids"] = service_candidates

    intent, confidence = classify(folded, language=found.code)
    if _only_when(slots) and intent not in ("confirm", "deny", "cancel", "reschedule"):
        # "5:30 pm", "в 18:30", "samedi alors": a bare answer to "when?" carries no verb
        # for the model to read; it goes on with the booking being made.
        intent, confidence = "book", max(confidence, 0.7)
    return Reading(
        language=found.code,
        intent=intent,
        confidence=confidence,
        service_ids=service_ids,
        master_id=master_ids[0] if master_ids else None,
        day=slots.day,
        time=slots.time,
        window=slots.window,
        party_size=slots.party_size,
        ambiguous=ambiguous,
        injection=injection,
        normalised=folded,
        transliterated=found.transliterated,
    )


def _without_master_words(rest: str, catalogue: Catalogue, ids: tuple[int, ...]) -> str:
    """The message without the words of the masters' names, so that a master called
    "Rose" does not also name the "Rose facial"."""
    words = {
        w
        for entry in catalogue.masters
        if entry.id in ids
        for name in entry.names
        for w in names_.content_words(name)
    }
    kept = [
        w for w in text_.words(rest) if not any(names_.similar(names_.stem(w), m) for m in words)
    ]
    return " ".join(kept)


_FILLER = {
    "at", "on", "then", "ok", "please", "a", "vers", "alors", "le", "svp", "в", "на", "к",
    "тогда", "давайте", "الساعه", "يوم", "على", "طيب", "خلاص", "around", "about", "by",
}  # fmt: skip


def _only_when(slots) -> bool:
    """The message says only when (a day, a time or a window), nothing else."""
    if slots.day is None and slots.time is None and slots.window is None:
        return False
    rest = [w for w in text_.words(slots.rest) if w not in _FILLER]
    return not rest
