"""Which of the four languages a message is in, and its text in that language's alphabet.

Cyrillic and Arabic letters decide at once. Latin text is checked for Russian in Latin
letters and for Arabizi first (lingua would call "zavtra vecherom" Slovak or anything
else), then lingua, restricted to English and French, tells those two apart. Short or
unclear text keeps the conversation's language (`hint`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from solibook.assistant.understanding import text as text_
from solibook.assistant.understanding import translit

LANGUAGES = ("en", "fr", "ru", "ar")
# Words that settle English vs French in short messages lingua hesitates on.
_FRENCH = {
    "bonjour", "salut", "merci", "oui", "non", "je", "voudrais", "veux", "rendez", "rdv",
    "demain", "matin", "soir", "apres", "combien", "coute", "quand", "est", "vous", "pour",
    "avec", "une", "coupe", "annuler", "deplacer", "d'accord", "daccord", "parfait", "bonsoir",
    "prix", "horaires", "ouvert", "adresse", "personne", "aujourd'hui", "semaine", "prochaine",
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "heures", "midi",
    "s'il", "plait", "stp", "svp", "moi", "nous", "sommes", "deux", "trois", "quatre", "cinq",
    "rendez-vous", "ongles", "manucure", "cheveux", "ca", "c'est", "quel", "quelle", "quels",
}  # fmt: skip
_ENGLISH = {
    "hi", "hello", "hey", "thanks", "thank", "you", "yes", "no", "book", "appointment",
    "tomorrow", "morning", "evening", "how", "much", "when", "what", "where", "is", "are",
    "the", "for", "with", "cancel", "move", "please", "can", "i", "want", "would", "like",
    "today", "next", "week", "open", "price", "cost", "my", "me", "us", "two", "three",
    "haircut", "nails", "ok", "okay", "sure", "great", "perfect", "after", "work", "at",
}  # fmt: skip


@dataclass(frozen=True)
class Language:
    code: str  # en / fr / ru / ar
    text: str  # the message in that language's alphabet
    transliterated: bool = False
    sure: bool = True  # False when the hint or the default decided


@cache
def detectors():
    """lingua for English vs French (the only pair that shares an alphabet here)."""
    from lingua import Language as L
    from lingua import LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(L.ENGLISH, L.FRENCH).build()


def _latin_language(message: str, tokens: list[str]) -> tuple[str, float]:
    french = sum(t in _FRENCH for t in tokens)
    english = sum(t in _ENGLISH for t in tokens)
    if french != english and abs(french - english) >= 1 and len(tokens) <= 4:
        return ("fr" if french > english else "en"), 0.8
    from lingua import Language as L

    detector = detectors()
    confidence = detector.compute_language_confidence_values(message)
    values = {c.language: c.value for c in confidence}
    fr, en = values.get(L.FRENCH, 0.0), values.get(L.ENGLISH, 0.0)
    # Word evidence tips the balance when lingua hesitates (typos, very short text).
    fr += 0.15 * french
    en += 0.15 * english
    return ("fr" if fr > en else "en"), abs(fr - en)


def identify(message: str, *, hint: str | None = None) -> Language:
    hint = hint if hint in LANGUAGES else None
    alphabet = text_.script(message)
    if alphabet == "cyrillic":
        return Language("ru", message)
    if alphabet == "arabic":
        return Language("ar", message)
    tokens = text_.words(message)
    if alphabet == "":
        return Language(hint or "en", message, sure=False)
    arabizi = translit.arabizi_score(tokens)
    russian = translit.russian_latin_score(tokens)
    if arabizi >= 0.3 and arabizi >= russian:
        return Language("ar", translit.arabic_from_arabizi(text_.fold(message)), True)
    if russian >= 0.4:
        return Language("ru", translit.russian_from_latin(text_.fold(message)), True)
    code, margin = _latin_language(message, tokens)
    letters = sum(c.isalpha() for c in message)
    if hint and (letters < 12 or margin < 0.2):
        if hint in ("en", "fr"):
            return Language(hint, message, sure=False)
        # A conversation in Russian or Arabic: a short Latin word ("ok", "yes") keeps it.
        if letters < 6:
            return Language(hint, message, sure=False)
    return Language(code, message, sure=margin >= 0.2)
