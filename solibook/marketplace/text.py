"""How search text is folded, for the index and for queries alike.

`normalise` drops case, accents and Arabic letter variants; `search_words`
cuts text into words (letters and digits only: punctuation never reaches
SQL) and removes the Arabic article and its attached prepositions
(الشعر, بالشعر -> شعر), since Arabic has no built-in stemmer in
PostgreSQL. The index stores text folded this way and queries are folded
the same way, so both sides always agree.
"""

import re
import unicodedata
from functools import lru_cache

_ARABIC_FOLD = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ـ": None}
)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_ARABIC_PREFIXES = ("وال", "بال", "فال", "كال", "لل", "ال")
MAX_WORDS = 12


def normalise(text: str) -> str:
    """Lower case without accents (é -> e, ё -> е) or Arabic diacritics and
    letter variants (أ -> ا, ة -> ه), so queries match however they are typed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped).translate(_ARABIC_FOLD)


def _arabic_light(word: str) -> str:
    for prefix in _ARABIC_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            return word[len(prefix) :]
    return word


def search_words(text: str) -> list[str]:
    """The words of `text`, folded; apostrophes inside a word stay (women's)."""
    return list(_folded_words(text))


# A rebuild folds the same category names, synonyms and city names for every
# salon: remembering them makes the index's text a dictionary look-up.
@lru_cache(maxsize=16384)
def _folded_words(text: str) -> tuple[str, ...]:
    return tuple(_arabic_light(w) for w in _WORD.findall(normalise(text)))


def search_text(parts) -> str:
    """The folded words of `parts` as one space-separated string, each word once."""
    return " ".join(dict.fromkeys(w for part in parts for w in search_words(part)))
