"""Number words in the four languages (folded spelling), one to twelve and a few more.

Words that are also articles or pronouns ("one", "un", "une", "один", "واحد") are only read
as numbers where a rule asks for a number (an hour, a number of people).
"""

from __future__ import annotations

import re

_BY_VALUE: dict[int, str] = {
    1: "one|un|une|odin|один|одна|одного|одну|واحد|واحده|الواحده",
    2: "two|deux|два|две|двух|двое|двоих|اثنين|اثنان|اتنين|ثنين|اثنتين|الثانيه",
    3: "three|trois|три|трех|троих|трое|ثلاث|ثلاثه|تلاته|تلات|الثالثه",
    4: "four|quatre|четыре|четырех|четверо|четверых|اربع|اربعه|الرابعه",
    5: "five|cinq|пять|пяти|пятеро|пятерых|خمس|خمسه|الخامسه",
    6: "six|шесть|шести|шестеро|ست|سته|السادسه",
    7: "seven|sept|семь|семи|سبع|سبعه|السابعه",
    8: "eight|huit|восемь|восьми|ثمان|ثمانيه|ثمنيه|تمانيه|الثامنه",
    9: "nine|neuf|девять|девяти|تسع|تسعه|التاسعه",
    10: "ten|dix|десять|десяти|عشر|عشره|العاشره",
    11: "eleven|onze|одиннадцать|одиннадцати|احدعش|حداش|احد عشر|الحاديه عشر",
    12: "twelve|douze|двенадцать|двенадцати|اثنعش|اطنعش|اثنا عشر|الثانيه عشر",
    13: "thirteen|treize|тринадцать|тринадцати",
    14: "fourteen|quatorze|четырнадцать|четырнадцати",
    15: "fifteen|quinze|пятнадцать|пятнадцати",
    16: "sixteen|seize|шестнадцать|шестнадцати",
    17: "seventeen|семнадцать|семнадцати",
    18: "eighteen|восемнадцать|восемнадцати",
    19: "nineteen|девятнадцать|девятнадцати",
    20: "twenty|vingt|двадцать|двадцати",
}
WORDS: dict[str, int] = {w: n for n, ws in _BY_VALUE.items() for w in ws.split("|")}
AMBIGUOUS = {"one", "un", "une", "odin", "один", "одна", "одного", "одну", "واحد", "واحده"}
# "cinq" etc. also come before "heures"; "ست" is also "lady" in Arabic, and "عشر" is "ten"
# only in context: both stay words unless a rule reads them.
_LOOSE = AMBIGUOUS | {"ست", "عشر", "sept"}

_PATTERN = re.compile(
    r"(?<![\w])("
    + "|".join(sorted((re.escape(w) for w in WORDS if w not in _LOOSE), key=len, reverse=True))
    + r")(?![\w])"
)


def digits(folded: str) -> str:
    """`folded` with the unambiguous number words written as digits."""
    return _PATTERN.sub(lambda m: str(WORDS[m.group(1)]), folded)


def value(token: str) -> int | None:
    """A number written in digits or as any number word (ambiguous ones included)."""
    if token.isdigit():
        return int(token)
    return WORDS.get(token)


NUMBER = r"(\d{1,2}|" + "|".join(sorted(map(re.escape, WORDS), key=len, reverse=True)) + r")"
