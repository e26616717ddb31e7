"""One message read end to end: language, injection, intent, slots."""

from __future__ import annotations

from datetime import datetime

from solibook.assistant.understanding import Catalogue, Reading
from solibook.assistant.understanding import language as language_
from solibook.assistant.understanding import text as text_
from solibook.assistant.understanding.injection import is_injection
from solibook.assistant.understanding.intents import classify


def read(text: str, *, catalogue: Catalogue, now: datetime, language_hint: str | None) -> Reading:
    message = (text or "").strip()[:2000]  # a pasted essay is read by its beginning
    found = language_.identify(message, hint=language_hint)
    folded = text_.fold(found.text)
    intent, confidence = classify(folded, language=found.code)
    return Reading(
        language=found.code,
        intent=intent,
        confidence=confidence,
        injection=is_injection(folded),
        normalised=folded,
        transliterated=found.transliterated,
    )
