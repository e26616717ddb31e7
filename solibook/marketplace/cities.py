"""Cities by one slug, whatever language and script their name is typed in.

A location's city is free text in the salon's language ("Москва",
"الرياض"); search, city pages and their URLs key on one Latin slug
("moscow", "riyadh"). Known cities carry their names in the four languages
and the other spellings people type (Riad, Эр-Рияд, the Russian cases:
"в Москве"); any other city gets the transliterated slug of its name, so
"Санкт-Петербург" typed in Cyrillic or as "Sankt-Peterburg" is one city.
Pure data and functions: no query.
"""

from django.conf import settings
from django.utils.translation import get_language

from solibook.core.slugs import readable_slug
from solibook.marketplace.text import normalise

# slug: (country, English, French, Russian, Arabic, other spellings)
CITIES: dict[str, tuple[str, str, str, str, str, tuple[str, ...]]] = {
    "paris": (
        "FR",
        "Paris",
        "Paris",
        "Париж",
        "باريس",
        ("Парижа", "Париже", "Парижу", "Parigi", "Paree"),
    ),
    "lyon": ("FR", "Lyon", "Lyon", "Лион", "ليون", ("Лиона", "Лионе", "Lione", "Lyons")),
    "marseille": (
        "FR",
        "Marseille",
        "Marseille",
        "Марсель",
        "مرسيليا",
        ("Marseilles", "Марселя", "Марселе", "مارسيليا"),
    ),
    "moscow": (
        "RU",
        "Moscow",
        "Moscou",
        "Москва",
        "موسكو",
        ("Moskva", "Moskau", "Москвы", "Москве", "Москву", "Москвой", "مسكو"),
    ),
    "saint-petersburg": (
        "RU",
        "Saint Petersburg",
        "Saint-Pétersbourg",
        "Санкт-Петербург",
        "سانت بطرسبرغ",
        (
            "St Petersburg",
            "St. Petersburg",
            "Sankt-Peterburg",
            "Petersburg",
            "Санкт-Петербурга",
            "Санкт-Петербурге",
            "Петербург",
            "Петербурге",
            "Питер",
            "Питере",
            "СПб",
            "سان بطرسبرغ",
            "بطرسبورغ",
        ),
    ),
    "riyadh": (
        "SA",
        "Riyadh",
        "Riyad",
        "Эр-Рияд",
        "الرياض",
        (
            "Riad",
            "Riyad",
            "Ar Riyadh",
            "Ar-Riyadh",
            "Er Riyadh",
            "Ryadh",
            "Эр Рияд",
            "Эр-Рияде",
            "Эр-Рияда",
            "Рияд",
            "Рияде",
            "Эр-Рияд",
            "رياض",
        ),
    ),
    "jeddah": (
        "SA",
        "Jeddah",
        "Djeddah",
        "Джидда",
        "جدة",
        ("Jiddah", "Jidda", "Jedda", "Djedda", "Джидды", "Джидде", "جده"),
    ),
    "dubai": ("AE", "Dubai", "Dubaï", "Дубай", "دبي", ("Dubay", "Дубае", "Дубая")),
}
_LANGUAGES = ("en", "fr", "ru", "ar")


def _key(text: str) -> str:
    """Spelling-insensitive key: case, accents, Arabic letter variants,
    hyphens and spaces do not matter ("Эр-Рияд" = "эр рияд")."""
    return "".join(ch for ch in normalise(text) if ch.isalnum())


def _aliases() -> dict[str, str]:
    found = {}
    for slug, (_country, *names, others) in CITIES.items():
        for name in (slug, *names, *others):
            found[_key(name)] = slug
            found[_key(readable_slug(name))] = slug  # its transliteration: "moskva"
    return found


_ALIASES = _aliases()
_LONGEST_ALIAS = max(len(name.split()) for row in CITIES.values() for name in (*row[1:5], *row[5]))


def known_city(text: str) -> str | None:
    """The slug of a known city named `text` in any language, else None."""
    key = _key(text)
    return _ALIASES.get(key) if key else None


def city_key(text: str) -> str:
    """The one slug of the city named `text` (known or transliterated);
    "" when `text` has no letter or digit."""
    return known_city(text) or readable_slug(text, max_length=120)


def city_name(slug: str, fallback: str = "", language: str | None = None) -> str:
    """The city's name in `language` (default: the active one), else `fallback`."""
    row = CITIES.get(slug)
    if row is None:
        return fallback or slug
    language = (language or get_language() or settings.LANGUAGE_CODE)[:2]
    index = _LANGUAGES.index(language) if language in _LANGUAGES else 0
    return row[1 + index]


def city_names(slug: str) -> dict[str, list[str]]:
    """Every name of a known city by language ("other": other spellings),
    for the search index: a salon in "Москва" is found by "Moscou"."""
    row = CITIES.get(slug)
    if row is None:
        return {}
    return {
        **{language: [name] for language, name in zip(_LANGUAGES, row[1:5], strict=True)},
        "other": list(row[5]),
    }


def split_city(words: list[str]) -> tuple[str | None, list[str]]:
    """A known city named by consecutive words of a search ("стрижка в
    Москве"), and the other words; the preposition before it goes too."""
    for size in range(min(_LONGEST_ALIAS, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            slug = known_city(" ".join(words[start : start + size]))
            if slug:
                rest = words[:start] + words[start + size :]
                if start and _key(words[start - 1]) in _PREPOSITIONS:
                    rest = words[: start - 1] + words[start + size :]
                return slug, rest
    return None, words


_PREPOSITIONS = {"in", "near", "a", "à", "en", "pres", "в", "во", "около", "في", "فى", "ب"}
_PREPOSITIONS = {_key(word) for word in _PREPOSITIONS}
