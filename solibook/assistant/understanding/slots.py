"""Day, time, time window and party size in a folded message, in the four languages.

Rules first, because the phrases clients use are few and must resolve exactly ("next Friday
after work", "послезавтра вечером", "بعد بكرة الساعة خمسة", "demain matin", "в субботу в 3
часа дня"); `dateparser` then reads dates with a month name that the rules left ("le 3
janvier", "5 марта", "15 ديسمبر"). Each rule removes what it read, so "через 2 дня в 5"
gives a day and a time, not a time of 2.

Hours without a.m./p.m. follow what salons do: 1–6 are afternoon (13–18 h), 9–11 morning,
12 noon, 7 and 8 ambiguous unless a window or marker says ("at 8" → 8:00 or 20:00).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from solibook.assistant.understanding import numbers

# ---------------------------------------------------------------- vocabulary (folded)

WEEKDAYS: dict[str, int] = {}
for _n, _names in enumerate(
    (
        "monday|lundi|понедельник|пн|الاثنين|اثنين|الاتنين|الإثنين",
        "tuesday|tue|tues|mardi|вторник|вт|الثلاثاء|ثلاثاء|الثلاثا|الثلوث",
        "wednesday|wed|weds|mercredi|среду|среда|ср|الاربعاء|اربعاء|الاربعا",
        "thursday|thu|thurs|jeudi|четверг|чт|الخميس|خميس",
        "friday|fri|vendredi|пятницу|пятница|пт|الجمعه",
        "saturday|sat|samedi|субботу|суббота|сб|السبت|سبت",
        "sunday|dimanche|воскресенье|вс|الاحد",
    )
):
    for _w in _names.split("|"):
        WEEKDAYS[_w] = _n
_WEEKDAY = "(" + "|".join(sorted(map(re.escape, WEEKDAYS), key=len, reverse=True)) + ")"

MONTHS: dict[str, int] = {}
for _n, _names in enumerate(
    (
        "january|jan|janvier|января|январь|يناير|جانفي|كانون الثاني",
        "february|feb|fevrier|февраля|февраль|فبراير|فيفري|شباط",
        "march|mar|mars|марта|март|مارس|اذار",
        "april|apr|avril|апреля|апрель|ابريل|افريل|نيسان",
        "may|mai|мая|май|مايو|ماي|ايار",
        "june|jun|juin|июня|июнь|يونيو|جوان|حزيران",
        "july|jul|juillet|июля|июль|يوليو|جويليه|تموز",
        "august|aug|aout|августа|август|اغسطس|اوت|اب",
        "september|sep|sept|septembre|сентября|сентябрь|سبتمبر|ايلول",
        "october|oct|octobre|октября|октябрь|اكتوبر|تشرين الاول",
        "november|nov|novembre|ноября|ноябрь|نوفمبر|تشرين الثاني",
        "december|dec|decembre|декабря|декабрь|ديسمبر|كانون الاول",
    ),
    start=1,
):
    for _w in _names.split("|"):
        MONTHS[_w] = _n
_MONTH = "(" + "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True)) + ")"

# Words before a weekday meaning "the one after this week's" / "this week's".
_NEXT = r"(?:next|prochain|prochaine|следующ\w*|في الاسبوع الجاي)"
_NEXT_AFTER = r"(?:prochain|prochaine|الجايه|الجاي|القادم|القادمه|الياي)"
_THIS = r"(?:this|ce|cette|эту|этот|это|هذا|هذه|هذي)"

WINDOWS = {
    "morning": (time(9), time(12)),
    "lunch": (time(12), time(14)),
    "afternoon": (time(12), time(17)),
    "late_afternoon": (time(15), time(18)),
    "evening": (time(17), time(21)),
}
_WINDOW_RULES: list[tuple[str, str]] = [
    # after work / after the office: evening
    (
        r"after (?:work|the office|office|my shift)|apres (?:le |mon )?(?:travail|boulot|taf|bureau)"
        r"|после работы|после офиса|بعد الدوام|بعد الشغل|بعد العمل",
        "evening",
    ),
    (r"before work|avant (?:le |mon )?(?:travail|boulot)|до работы|قبل الدوام", "morning"),
    (
        r"lunch ?time|at lunch|over lunch|pause dej\w*|entre midi et (?:deux|2)|в обед|на обед"
        r"|в обеденн\w+|وقت الغدا|وقت الغداء",
        "lunch",
    ),
    (
        r"end of the day|fin de (?:la )?journee|en fin de journee|в конце дня|к концу дня"
        r"|اخر اليوم|اخر النهار",
        "evening",
    ),
    (r"после обеда|ближе к вечеру|late afternoon|fin d'apres-midi|fin d'aprem", "late_afternoon"),
    (
        r"(?<!good )\b(?:morning|mornings|in the am)\b|\bmatin\w*|\bутром\b|\bс утра\b"
        r"|(?<!доброе )\bутро\b|\bутречком\b|الصبح|صباحا|الصباح|\bصباح\b(?! (?:الخير|النور))|بدري",
        "morning",
    ),
    (r"\bafternoon\b|apres-midi|apres midi|aprem|\bднем\b|\bднём\b|الظهر|بعد الظهر", "afternoon"),
    (r"\bالعصر\b|عصرا|\bعصر\b", "late_afternoon"),
    (
        r"(?<!good )\bevening\b|\btonight\b|\bsoir\b|\bsoiree\b|\bce soir\b|\bвечером\b|\bвечер\b"
        r"|\bвечерком\b|المسا|المساء|مساء|مساءا|بالليل|الليله|الليل|\bليلا\b",
        "evening",
    ),
]
# Words next to an hour that say which half of the day it is in.
_PM = (
    r"pm|p\.m\.|du soir|de l'apres-midi|de l'aprem|вечера|дня|ночи|مساء|مساءا|المسا"
    r"|بالليل|العصر|الظهر|بعد الظهر|evening|in the evening|in the afternoon|tonight|soir"
)
_AM = r"am|a\.m\.|du matin|утра|صباحا|الصبح|الصباح|in the morning|morning|matin"

_HALF = r"(?:and a half|et demie|et demi|с половиной|ونص|و نص|والنص|و النص)"
_QUARTER = r"(?:et quart|и четверть|وربع|و ربع)"
_HOUR_WORD = (
    r"(?:o'clock|oclock|h|hr|heures?|hrs|часов|часа|час|ч)"  # the hour's unit after a number
)


@dataclass
class Slots:
    day: date | None = None
    time: time | None = None
    window: tuple[time, time] | None = None
    party_size: int | None = None
    ambiguous: dict[str, tuple] = field(default_factory=dict)
    rest: str = ""  # the text with what was read taken out (for name matching)


def _cut(text: str, match: re.Match) -> str:
    return text[: match.start()] + " " + text[match.end() :]


# ---------------------------------------------------------------- party size

_PEOPLE = (
    "(?:"
    + "|".join(
        sorted(
            [
                "people",
                "persons",
                "person",
                "pax",
                "guests",
                "personnes",
                "personne",
                "человека",
                "человек",
                "чел",
                "اشخاص",
                "شخص",
                "أشخاص",
                "نفر",
                "انفار",
            ],
            key=len,
            reverse=True,
        )
    )
    + "|of us)"
)
_COMPANIONS = (
    r"(?:me and my|moi et ma|moi et mon|avec ma|avec mon|я и|мы с (?!утра)|с подругой|с дочкой|с дочерью"
    r"|с мамой|с сестрой|с мужем|с женой|с сыном|с другом|with my (?:daughter|friend|mother|mum|mom"
    r"|sister|wife|husband|son|girlfriend|boyfriend)|انا و|انا مع|مع بنتي|مع اختي|مع امي|مع صديقتي)"
)


_PARTY_WORD = r"(two|three|four|five|six|deux|trois|quatre|cinq|six|اثنين|ثلاثه|اربعه|خمسه)"


def _party(text: str) -> tuple[int | None, str]:
    n = numbers.NUMBER
    rules = [
        rf"\bfor {n} {_PEOPLE}",
        rf"\bfor {_PARTY_WORD}\b(?!\s*(?:pm|am|h\b|:|o'?clock|hours?|min|in the|this|tonight))",
        rf"\b{n} {_PEOPLE}",
        rf"\bparty of {n}\b|\bgroup of {n}\b|\bwe are {n}\b|\bwe're {n}\b|\bthere are {n} of us\b",
        rf"\bpour {n} {_PEOPLE}",
        rf"\bpour {_PARTY_WORD}\b(?!\s*(?:h\b|heures?|:|min|du|de l))",
        rf"\bnous sommes {n}\b|\bon est {n}\b|\bon sera {n}\b|\ba {n}(?= (?:personnes|nous))",
        rf"\bнас {n}\b|\bна {n}(?: {_PEOPLE})\b|\bдля {n}(?: {_PEOPLE})?",
        r"\bна (двоих|троих|четверых|пятерых)\b",
        r"\b(вдвоем|втроем|вчетвером|a deux|a trois|a quatre)\b",
        rf"ل{n} ?{_PEOPLE}|احنا {n}\b|نحن {n}\b|\bل?(شخصين|نفرين)\b",
    ]
    words = {
        "вдвоем": 2,
        "втроем": 3,
        "вчетвером": 4,
        "a deux": 2,
        "a trois": 3,
        "a quatre": 4,
        "شخصين": 2,
        "نفرين": 2,
    }
    for rule in rules:
        match = re.search(rule, text)
        if not match:
            continue
        token = next(g for g in match.groups() if g)
        count = words.get(token) or numbers.value(token)
        if count and 1 <= count <= 20:
            return count, _cut(text, match)
    match = re.search(_COMPANIONS, text)
    if match:
        return 2, text  # the companion's name may still be a master's: keep the text
    return None, text


# ---------------------------------------------------------------- days


def _weekday_date(today: date, weekday: int, *, next_: bool, this: bool) -> tuple[date, tuple]:
    """(the day, ambiguous candidates or ()) for a weekday named on `today`."""
    ahead = (weekday - today.weekday()) % 7
    if ahead == 0:
        if next_:
            return today + timedelta(days=7), ()
        if this:
            return today, ()
        # "Friday" on a Friday: today or in a week? The dialogue asks.
        return today, (today, today + timedelta(days=7))
    return today + timedelta(days=ahead), ()


def _month_day(today: date, day: int, month: int, year: int | None) -> date | None:
    if year is None:
        year = today.year
        try:
            candidate = date(year, month, day)
        except ValueError:
            return None
        # A date already well behind us means next year's; a few weeks behind stays in the
        # past so that the dialogue can say so ("the 3rd" said on the 5th).
        if candidate < today - timedelta(days=60):
            candidate = date(year + 1, month, day)
        return candidate
    if year < 100:
        year += 2000
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _day(text: str, today: date, language: str) -> tuple[date | None, tuple, str]:
    n = r"(\d{1,2})"
    relative = [
        (r"\bday after tomorrow\b|\bapres-demain\b|\bapres demain\b|\bпослезавтра\b"
         r"|بعد بكره|بعد بكرا|بعد غد|بعد الغد|بعد باكر", 2),
        (r"\btomorrow\b|\btomorow\b|\btommorow\b|\btmrw\b|\btmr\b|\bdemain\b|\bзавтра\b"
         r"|\bбукра\b|بكره|بكرا|\bغدا\b|\bغد\b|\bباكر\b", 1),
        (r"\btoday\b|\btonight\b|\bthis evening\b|\baujourd'hui\b|\baujourdhui\b|\bauj\b"
         r"|\bce soir\b|\bсегодня\b|\bсегодня вечером\b|اليوم|الليله", 0),
        (r"\byesterday\b|\bhier\b|\bвчера\b|امس|البارحه", -1),
    ]  # fmt: skip
    for pattern, offset in relative:
        match = re.search(pattern, text)
        if match:
            # "tonight", "ce soir", "الليله" also name a window: leave them for it.
            rest = text if offset == 0 else _cut(text, match)
            return today + timedelta(days=offset), (), rest
    match = re.search(
        rf"\bin {n} days?\b|\bdans {n} jours?\b|\bчерез {n} (?:дня|дней|день)\b"
        rf"|بعد {n} (?:ايام|يوم|يومين)",
        text,
    )
    if match:
        count = int(next(g for g in match.groups() if g))
        return today + timedelta(days=count), (), _cut(text, match)
    match = re.search(r"\bчерез день\b|بعد يومين", text)
    if match:
        return today + timedelta(days=2), (), _cut(text, match)
    # Explicit dates: 15/12, 15.12.2026, 15-12
    match = re.search(r"\b(\d{1,2})[./-](\d{1,2})(?:[./-](\d{2,4}))?\b", text)
    if match and 1 <= int(match.group(2)) <= 12:
        first, second = int(match.group(1)), int(match.group(2))
        # Month first only in English when the first number cannot be a day's month.
        day_, month = (first, second)
        if language == "en" and first <= 12 and second > 12:
            day_, month = second, first
        found = _month_day(today, day_, month, int(match.group(3)) if match.group(3) else None)
        if found:
            return found, (), _cut(text, match)
    match = re.search(
        rf"\b{n}(?:st|nd|rd|th|er|e|-?го)? (?:of |de )?{_MONTH}\b", text
    ) or re.search(rf"(?<!\w){n} ?{_MONTH}", text)
    if match:
        found = _month_day(today, int(match.group(1)), MONTHS[match.group(2)], None)
        if found:
            return found, (), _cut(text, match)
    match = re.search(rf"\b{_MONTH} {n}(?:st|nd|rd|th)?\b", text)
    if match:
        found = _month_day(today, int(match.group(2)), MONTHS[match.group(1)], None)
        if found:
            return found, (), _cut(text, match)
    # Weekdays, with "next" / "this" before or "prochain" / "الجاي" after.
    match = re.search(
        rf"(?:(?P<next>{_NEXT})\s+|(?P<this>{_THIS})\s+)?(?:on |le |в |во |يوم )?"
        rf"(?<![\w]){_WEEKDAY}(?![\w])(?:\s+(?P<after>{_NEXT_AFTER}))?",
        text,
    )
    if match:
        weekday = WEEKDAYS[match.group(3)]
        found, candidates = _weekday_date(
            today,
            weekday,
            next_=bool(match.group("next") or match.group("after")),
            this=bool(match.group("this")),
        )
        return found, candidates, _cut(text, match)
    # "the 15th", "le 15", "15-го", "يوم 15"
    match = re.search(
        rf"\bthe {n}(?:st|nd|rd|th)\b|\bon the {n}\b|\ble {n}\b(?! ?h)|\b{n}-?го\b|يوم {n}\b", text
    )
    if match:
        number = int(next(g for g in match.groups() if g))
        if 1 <= number <= 31:
            year, month = today.year, today.month
            if number < today.day:
                month += 1
                if month == 13:
                    year, month = year + 1, 1
            try:
                return date(year, month, number), (), _cut(text, match)
            except ValueError:
                pass
    return None, (), text


def _dateparser_day(text: str, today: date, language: str) -> tuple[date | None, str]:
    """Dates with a month name in a form the rules do not know (dateparser's own tables)."""
    if not re.search(r"\d", text):
        return None, text
    from dateparser.search import search_dates  # type: ignore[import-untyped]

    base = datetime(today.year, today.month, today.day, 12)  # noqa: DTZ001 (a wall-clock day)
    found = search_dates(
        text,
        languages=[language],
        settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "future"},
    )
    for fragment, when in found or []:
        # Only fragments with a word that is not a number: a bare "2" is not a date.
        # "2 часа дня" is read by dateparser as today at 14:00: only another day is a date.
        if (
            re.search(r"[^\W\d_]{3,}", fragment)
            and re.search(r"\d", fragment)
            and when.date() != today
        ):
            return when.date(), text.replace(fragment, " ")
    return None, text


# ---------------------------------------------------------------- times


def _window(text: str) -> tuple[tuple[time, time] | None, str, str]:
    for pattern, name in _WINDOW_RULES:
        match = re.search(pattern, text)
        if match:
            return WINDOWS[name], name, _cut(text, match)
    return None, "", text


def _resolve_hour(hour: int, minute: int, half: str, window_name: str, padded: bool):
    """(time or None, ambiguous candidates) for an hour read without its 24-hour form."""
    if hour > 23 or minute > 59:
        return None, ()
    if hour >= 13 or hour == 0 or padded:
        return time(hour, minute), ()
    if half == "pm" or window_name in ("afternoon", "late_afternoon", "evening"):
        return time(hour % 12 + 12, minute), ()
    if half == "am" or window_name == "morning":
        return time(hour % 12, minute), ()
    if window_name == "lunch":
        return time(hour if hour >= 11 else hour + 12, minute), ()
    if hour == 12 or 9 <= hour <= 11:
        return time(hour, minute), ()
    if 1 <= hour <= 6:
        return time(hour + 12, minute), ()
    return None, (time(hour, minute), time(hour + 12, minute))


def _time(text: str, window_name: str):
    """(time, ambiguous candidates, half-day marker, rest)."""
    n = numbers.NUMBER
    marker = rf"(?:\s*(?P<half>{_PM}|{_AM}))?"
    match = re.search(
        rf"\b(?P<frac>half|quarter) (?P<kind>past|to) (?P<h>{n})(?![\w:])(?:\s*o'?clock)?{marker}",
        text,
    )
    if match:
        hour = numbers.value(match.group("h")) or 0
        minute = 30 if match.group("frac") == "half" else 15
        if match.group("kind") == "to":
            hour, minute = hour - 1, 60 - minute
        half_word = match.group("half") or ""
        half = "pm" if half_word and re.fullmatch(_PM, half_word) else "am" if half_word else ""
        found, candidates = _resolve_hour(hour, minute, half, window_name, False)
        if found or candidates:
            return found, candidates, half, _cut(text, match)
    rules = [
        # 17:30, 17h30, 17.30 (not a price with a currency), 5:30pm
        rf"(?<![\d.,])(?P<h>\d{{1,2}})(?:[:h]|\.(?=\d\d\b))(?P<m>\d{{2}})(?![\d])(?:\s*{_HOUR_WORD})?{marker}",
        # 5pm, 5 pm, 5 o'clock, 17h, 5 heures, 5 часов (dня), الساعه 5
        rf"(?<![\w.,])(?P<h>{n})\s*(?:{_HOUR_WORD})?\s*(?P<frac>{_HALF}|{_QUARTER})?\s*(?P<half>{_PM}|{_AM})(?![\w])",
        rf"(?<![\w.,])(?P<h>{n})\s*{_HOUR_WORD}(?![\w])\s*(?P<frac>{_HALF}|{_QUARTER})?{marker}",
        rf"(?:\bat|\baround|\babout|\bby|@|\bvers|\ba|\bв|\bк|\bна|\bоколо|الساعه|ساعه|\bعلى|\bع)"
        rf"\s+(?P<h>{n})(?![\w:])\s*(?P<frac>{_HALF}|{_QUARTER})?{marker}",
    ]
    for rule in rules:
        match = re.search(rule, text)
        if not match:
            continue
        raw = match.group("h")
        hour = numbers.value(raw)
        if hour is None:
            continue
        groups = match.groupdict()
        minute = int(groups["m"]) if groups.get("m") else 0
        frac = groups.get("frac") or ""
        if frac:
            minute = 30 if re.search(_HALF, frac) else 15
        half_word = groups.get("half") or ""
        half = "pm" if half_word and re.fullmatch(_PM, half_word) else "am" if half_word else ""
        padded = raw.isdigit() and len(raw) == 2 and raw.startswith("0")
        found, candidates = _resolve_hour(hour, minute, half, window_name, padded)
        if found or candidates:
            return found, candidates, half, _cut(text, match)
    for pattern, value in (
        (r"\bnoon\b|\bmidday\b|\bmidi\b|\bв полдень\b|\bполдень\b|الظهر بالضبط", time(12)),
        (r"\bв час дня\b|\bв час\b", time(13)),
    ):
        match = re.search(pattern, text)
        if match:
            return value, (), "", _cut(text, match)
    return None, (), "", text


_AFTER_BEFORE = (
    r"(?P<kind>after|from|apres|a partir de|des|после|с|بعد|من)\s+(?:the hour of |الساعه )?"
    r"(?P<h>\d{1,2})(?:[:h](?P<m>\d{2}))?\s*(?:h|heures?|часов|часа|pm|am)?(?![\w:])"
)
_BEFORE = (
    r"(?P<kind>before|until|avant|jusqu'a|до|قبل)\s+(?:الساعه )?"
    r"(?P<h>\d{1,2})(?:[:h](?P<m>\d{2}))?\s*(?:h|heures?|часов|часа|pm|am)?(?![\w:])"
)


def _open_window(text: str, window_name: str):
    """ "after 6" → (18:00, 21:00); "before 12" → (09:00, 12:00)."""
    for pattern, after in ((_AFTER_BEFORE, True), (_BEFORE, False)):
        match = re.search(pattern, text)
        if not match:
            continue
        hour, minute = int(match.group("h")), int(match.group("m") or 0)
        found, candidates = _resolve_hour(hour, minute, "", window_name, False)
        found = found or (candidates[1] if candidates else None)
        if found is None:
            continue
        if after:
            return (found, max(time(21), found)), _cut(text, match)
        return (min(time(9), found), found), _cut(text, match)
    return None, text


# ---------------------------------------------------------------- all together


# Words of dates and times whose typos are common enough to fix before the rules run.
_VOCABULARY = tuple(
    w
    for w in (
        *WEEKDAYS,
        *(m for m in MONTHS if len(m) > 3),
        "tomorrow", "today", "tonight", "morning", "evening", "afternoon", "demain",
        "aujourd'hui", "apres-demain", "matin", "soir", "apres-midi", "prochain", "prochaine",
        "завтра", "послезавтра", "сегодня", "утром", "вечером", "следующий", "следующую",
        "بكره", "اليوم", "الصبح", "المسا", "الساعه",
    )
    if len(w) >= 5
)  # fmt: skip


def fix_typos(folded: str) -> str:
    """Date and time words with a typo ("tomorow", "demin", "пятницк") spelt right."""
    from rapidfuzz import fuzz, process

    def fix(match: re.Match) -> str:
        word = match.group(0)
        if len(word) < 5 or word in _VOCABULARY:
            return word
        found = process.extractOne(
            word, _VOCABULARY, scorer=fuzz.ratio, score_cutoff=85, processor=None
        )
        if found and found[0][0] == word[0] and abs(len(found[0]) - len(word)) <= 2:
            return found[0]
        return word

    return re.sub(r"[^\W\d_]+(?:['-][^\W\d_]+)*", fix, folded)


def read_slots(folded: str, *, today: date, language: str) -> Slots:
    slots = Slots()
    folded = fix_typos(folded)
    text = " " + folded.replace("?", " ").replace("!", " ").replace(",", " ") + " "
    slots.party_size, text = _party(text)
    text = numbers.digits(text)
    day, candidates, text = _day(text, today, language)
    if day is None:
        day, text = _dateparser_day(text, today, language)
    if candidates:
        slots.ambiguous["day"] = candidates
    else:
        slots.day = day
    window, window_name, text_without_window = _window(text)
    open_window, text_after = _open_window(text_without_window, window_name)
    found, time_candidates = None, ()
    if open_window:
        window = open_window
    else:
        found, time_candidates, _half, text_after = _time(text_without_window, window_name)
    if time_candidates:
        slots.ambiguous["time"] = time_candidates
    slots.time = found
    slots.window = None if found else window
    slots.rest = " ".join(text_after.split())
    return slots
