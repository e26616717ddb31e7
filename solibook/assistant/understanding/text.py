"""Folding and word splitting shared by every step of understanding.

`fold` lower-cases, drops French accents and Arabic diacritics and letter variants (أ → ا,
ة → ه, ى → ي) and turns ё into е, but keeps й (NFKD would turn it into и and merge
words such as "мой" and "мои"). Rules and names are folded the same way as the text.
"""

from __future__ import annotations

import re
import unicodedata

_ARABIC_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ـ": None,
        "ё": "е",
        "’": "'",
        "‘": "'",
        # Eastern Arabic digits are read as digits.
        "٠": "0",
        "١": "1",
        "٢": "2",
        "٣": "3",
        "٤": "4",
        "٥": "5",
        "٦": "6",
        "٧": "7",
        "٨": "8",
        "٩": "9",
        "،": ",",
        "؟": "?",
        "؛": ";",
    }
)
_KEEP = {"й"}  # a letter whose decomposition changes the word
_WORD = re.compile(r"[^\W_]+(?:['][^\W_]+)*")


def _strip_marks(text: str) -> str:
    out = []
    for ch in text:
        if ch in _KEEP:
            out.append(ch)
            continue
        decomposed = unicodedata.normalize("NFD", ch)
        out.append("".join(c for c in decomposed if not unicodedata.combining(c)))
    return "".join(out)


def fold(text: str) -> str:
    return _strip_marks((text or "").casefold()).translate(_ARABIC_FOLD)


def words(text: str) -> list[str]:
    """The folded words of `text` (letters and digits; apostrophes inside a word stay)."""
    return _WORD.findall(fold(text))


def script(text: str) -> str:
    """The dominant alphabet: "cyrillic", "arabic", "latin" or "" (no letters)."""
    counts = {"cyrillic": 0, "arabic": 0, "latin": 0}
    for ch in text:
        if "\u0400" <= ch <= "\u04ff":
            counts["cyrillic"] += 1
        elif "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f":
            counts["arabic"] += 1
        elif ch.isalpha() and ch.isascii() or "\u00c0" <= ch <= "\u024f":
            counts["latin"] += 1
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] else ""
