"""Readable Latin slugs for names in any of the platform's scripts.

`slugify(..., allow_unicode=False)` drops every Cyrillic and Arabic letter,
so "Салон «Жемчуг»" became "salon" and the next one "salon-2". Here names
are transliterated first: Russian by the scheme of Russian passports (the
one people read on their own documents: ж -> zh, х -> kh, щ -> shch), Arabic
letter by letter with the common English spellings (ش -> sh, خ -> kh, ة -> a).
Arabic script leaves short vowels unwritten, so its result is a
pronounceable approximation; salons may choose their own slug.
No library for this is installed; the tables are short and tested.
"""

import re
import unicodedata

from django.utils.text import slugify

_CYRILLIC = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "iu",
    "я": "ia",
    "і": "i",
    "ї": "i",
    "є": "ie",
    "ґ": "g",
}

_ARABIC = {
    "ء": "",
    "آ": "a",
    "أ": "a",
    "إ": "i",
    "ا": "a",
    "ٱ": "a",
    "ؤ": "u",
    "ئ": "i",
    "ب": "b",
    "ت": "t",
    "ث": "th",
    "ج": "j",
    "ح": "h",
    "خ": "kh",
    "د": "d",
    "ذ": "dh",
    "ر": "r",
    "ز": "z",
    "س": "s",
    "ش": "sh",
    "ص": "s",
    "ض": "d",
    "ط": "t",
    "ظ": "z",
    "ع": "a",
    "غ": "gh",
    "ف": "f",
    "ق": "q",
    "ك": "k",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "ه": "h",
    "ة": "a",
    "و": "w",
    "ى": "a",
    "ي": "y",
    "پ": "p",
    "چ": "ch",
    "گ": "g",
    "ـ": "",
}
_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def _arabic_word(word: str) -> str:
    """و and ي are consonants (w, y) at the start of a word or after a long
    a, long vowels (u, i) between consonants: صالون -> salun, ريم -> rim.
    The article ال is written apart: الواحة -> al-waha."""
    if word.startswith("ال") and len(word) > 3:
        return "al-" + _arabic_word(word[2:])
    out = []
    for i, char in enumerate(word):
        if char in "وي" and i > 0 and word[i - 1] not in "اآأإ":
            out.append("u" if char == "و" else "i")
        else:
            out.append(_ARABIC.get(char, char))
    return "".join(out)


def transliterate(text: str) -> str:
    """Latin letters for Cyrillic and Arabic ones; other letters keep their
    base form without accents (é -> e); everything else is kept."""
    text = unicodedata.normalize("NFC", text).translate(_ARABIC_DIGITS)
    text = re.sub(
        r"[\u0621-\u064a\u0671-\u06d3]+", lambda m: _arabic_word(m.group()), text
    )  # Arabic words
    out = []
    for char in text:
        lower = char.lower()
        if lower in _CYRILLIC:
            latin = _CYRILLIC[lower]
            out.append(latin.capitalize() if char != lower else latin)
        else:
            out.append(char)
    decomposed = unicodedata.normalize("NFKD", "".join(out))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def readable_slug(text: str, max_length: int = 60) -> str:
    """A lower-case ASCII slug of `text` in any script ("" when nothing is left)."""
    slug = slugify(transliterate(text), allow_unicode=False)[:max_length]
    return slug.strip("-")
