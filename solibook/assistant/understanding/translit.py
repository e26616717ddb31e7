"""Russian typed in Latin letters and Arabizi (Arabic in Latin letters and digits), undone.

Clients on a phone without the right keyboard write "zapishite menya na zavtra" or
"bukra ba3d el dawam". Detection counts words that only occur in such text (a small
lexicon of frequent words, and for Arabizi the digits 2 3 5 7 9 inside a word); conversion
takes the lexicon's spelling when it knows the word and otherwise letter rules, which are
close enough for the embedding model and the fuzzy name matching that follow.
"""

from __future__ import annotations

import re

# ---------------------------------------------------------------- Russian in Latin letters

# Frequent words whose Latin spellings vary: each variant → its Cyrillic form.
_RU_WORDS: dict[str, str] = {}
for _cyr, _variants in {
    "привет": "privet privetik",
    "здравствуйте": "zdravstvuyte zdravstvuite zdrastvuite zdrastvuyte zdravstvujte",
    "добрый": "dobryi dobryy dobriy dobrij",
    "день": "den den'",
    "вечер": "vecher",
    "хочу": "hochu khochu xochu",
    "хотела": "hotela khotela",
    "хотел": "hotel khotel",
    "бы": "by bi",
    "записаться": "zapisatsya zapisatsa zapisat'sya zapisatsia",
    "запишите": "zapishite zapishi",
    "записать": "zapisat",
    "меня": "menya menia mena",
    "нас": "nas",
    "на": "na",
    "в": "v",
    "во": "vo",
    "к": "k",
    "с": "s",
    "и": "i",
    "не": "ne",
    "нет": "net",
    "да": "da",
    "можно": "mozhno mojno",
    "сколько": "skolko skol'ko",
    "стоит": "stoit",
    "стоимость": "stoimost",
    "цена": "cena tsena",
    "сегодня": "segodnya segodnia sevodnya",
    "завтра": "zavtra",
    "послезавтра": "poslezavtra",
    "утром": "utrom",
    "днем": "dnem dnyom",
    "вечером": "vecherom",
    "после": "posle",
    "работы": "raboty raboti",
    "часов": "chasov",
    "часа": "chasa",
    "час": "chas",
    "дня": "dnya",
    "вечера": "vechera",
    "утра": "utra",
    "понедельник": "ponedelnik",
    "вторник": "vtornik",
    "среду": "sredu",
    "среда": "sreda",
    "четверг": "chetverg",
    "пятницу": "pyatnicu pyatnitsu piatnicu",
    "пятница": "pyatnica pyatnitsa",
    "субботу": "subbotu subotu",
    "суббота": "subbota",
    "воскресенье": "voskresenie voskresenye voskresen'e",
    "стрижка": "strizhka strijka",
    "стрижку": "strizhku strijku",
    "маникюр": "manikyur manikur manikiur manikjur",
    "педикюр": "pedikyur pedikur pedikiur",
    "окрашивание": "okrashivanie",
    "укладку": "ukladku",
    "укладка": "ukladka",
    "бороды": "borody borodi",
    "бороду": "borodu",
    "брови": "brovi",
    "ресницы": "resnicy resnitsy",
    "мастер": "master",
    "мастеру": "masteru",
    "к мастеру": "k masteru",
    "спасибо": "spasibo spasib sps",
    "пожалуйста": "pozhaluysta pozhaluista pojaluysta pozhalujsta plz",
    "отменить": "otmenit otmenite",
    "отмените": "otmenite",
    "перенести": "perenesti",
    "запись": "zapis zapis'",
    "моя": "moya",
    "мои": "moi",
    "мою": "moyu",
    "когда": "kogda",
    "где": "gde",
    "адрес": "adres",
    "вы": "vy vi",
    "работаете": "rabotaete",
    "есть": "est",
    "свободно": "svobodno",
    "свободное": "svobodnoe",
    "время": "vremya vremia",
    "окно": "okno",
    "окошко": "okoshko",
    "двое": "dvoe",
    "трое": "troe",
    "двоих": "dvoih dvoikh",
    "троих": "troih troikh",
    "один": "odin",
    "два": "dva",
    "три": "tri",
    "четыре": "chetyre",
    "пять": "pyat pyat'",
    "шесть": "shest",
    "семь": "sem",
    "восемь": "vosem",
    "девять": "devyat",
    "десять": "desyat",
    "одиннадцать": "odinnadcat odinnadtsat",
    "двенадцать": "dvenadcat dvenadtsat",
    "хорошо": "horosho khorosho",
    "отлично": "otlichno",
    "подходит": "podhodit podkhodit",
    "оператор": "operator",
    "человек": "chelovek",
    "человеком": "chelovekom",
    "администратор": "administrator",
    "позовите": "pozovite",
    "давайте": "davayte davaite",
    "ок": "ok okey",
    "следующей": "sleduyushchey sleduyushey sleduyuschey",
    "неделе": "nedele",
    "это": "eto",
    "как": "kak",
    "долго": "dolgo",
    "длится": "dlitsya",
}.items():
    for _v in _variants.split():
        _RU_WORDS[_v] = _cyr

# Words that show text is Russian even when other words are ambiguous ("na", "v").
_RU_MARKERS = {
    w
    for w in _RU_WORDS
    if len(w) >= 4 and w not in {"master", "operator", "administrator", "okey", "chas"}
}
_RU_PATTERN = re.compile(r"(?:zh|kh|shch|sch|ya|yu|iy|yy|ej|oj|ogo|ego|aya|sya|tsya|nya)")

_RU_LETTERS = [
    ("shch", "щ"),
    ("sch", "щ"),
    ("zh", "ж"),
    ("kh", "х"),
    ("ts", "ц"),
    ("ch", "ч"),
    ("sh", "ш"),
    ("yu", "ю"),
    ("ya", "я"),
    ("yo", "ё"),
    ("ye", "е"),
    ("ju", "ю"),
    ("ja", "я"),
    ("iy", "ий"),
    ("yy", "ый"),
    ("'", "ь"),
    ("a", "а"),
    ("b", "б"),
    ("c", "ц"),
    ("d", "д"),
    ("e", "е"),
    ("f", "ф"),
    ("g", "г"),
    ("h", "х"),
    ("i", "и"),
    ("j", "й"),
    ("k", "к"),
    ("l", "л"),
    ("m", "м"),
    ("n", "н"),
    ("o", "о"),
    ("p", "п"),
    ("q", "к"),
    ("r", "р"),
    ("s", "с"),
    ("t", "т"),
    ("u", "у"),
    ("v", "в"),
    ("w", "в"),
    ("x", "кс"),
    ("y", "ы"),
    ("z", "з"),
]


def _ru_word(word: str) -> str:
    known = _RU_WORDS.get(word)
    if known:
        return known
    out, i = [], 0
    while i < len(word):
        for latin, cyrillic in _RU_LETTERS:
            if word.startswith(latin, i):
                out.append(cyrillic)
                i += len(latin)
                break
        else:
            out.append(word[i])
            i += 1
    return "".join(out)


def russian_latin_score(tokens: list[str]) -> float:
    """The share of words that look like Russian typed in Latin letters."""
    latin = [t for t in tokens if t.isascii() and t.isalpha()]
    if not latin:
        return 0.0
    hits = sum(1.0 if t in _RU_MARKERS else 0.5 if _RU_PATTERN.search(t) else 0 for t in latin)
    return hits / len(latin)


def russian_from_latin(text: str) -> str:
    return re.sub(r"[a-z']+", lambda m: _ru_word(m.group(0)), text.lower())


# ---------------------------------------------------------------- Arabizi

_AR_WORDS: dict[str, str] = {}
for _arabic, _variants in {
    "مرحبا": "marhaba mar7aba marhaban mar7aban",
    "اهلا": "ahlan ahla ahlen hala halla",
    "السلام عليكم": "salam slm salamu asalamu assalamu",
    "عليكم": "alaikum alaykum 3alaikum 3alaykum",
    "شكرا": "shukran shokran shukrn choukran shkran",
    "بكرة": "bukra bokra bukrah bokrah bkra",
    "بعد": "ba3d baad ba3ed",
    "بعد بكرة": "ba3dbukra",
    "اليوم": "alyom elyom alyoum elyoum elyawm alyawm lyom",
    "الساعة": "elsa3a alsa3a esa3a assa3a elsaa el-sa3a",
    "ساعة": "sa3a saa sa3ah",
    "الساعه": "alsa3ah",
    "ابي": "abi abgha abga abghy",
    "ابغى": "abgha",
    "اريد": "areed ureed orid urid",
    "احجز": "a7jez ahjez a7jz ahjiz",
    "حجز": "7ajz hajz 7agz",
    "موعد": "maw3ed mou3ed maw3id mawed",
    "ممكن": "mumkin momken mumken mumkn",
    "كم": "kam kem",
    "السعر": "elsa3r alsi3r el-si3r",
    "سعر": "si3r sa3r",
    "قص": "gas qas 2as",
    "شعر": "sha3r sh3r",
    "مانيكير": "manicure manikir manikyr",
    "باديكير": "pedicure badikir",
    "حنا": "henna 7enna hena 7ina",
    "مكياج": "makeup mikyaj makyaj",
    "مساج": "masaj massaj masaaj mesaj massage",
    "الليل": "ellel allail ellail",
    "بالليل": "bellel billel billeil billail",
    "صبغة": "sabgha sabegh",
    "الصبح": "elsob7 alsobh elsubh el-sob7 sob7 subh",
    "الصباح": "elsaba7 alsabah",
    "المسا": "elmasa almasa masa",
    "مساء": "masa2 masaa",
    "العصر": "el3asr al3asr 3asr",
    "الظهر": "eldohr aldhuhr dohr",
    "الدوام": "eldawam aldawam dawam",
    "الشغل": "elshogl alshughl shughl shoghl",
    "الجمعة": "eljum3a aljum3a jum3a jom3a",
    "السبت": "elsabt alsabt sabt",
    "الاحد": "el7ad al7ad ahad 7ad",
    "الاثنين": "elithnen alithnain ithnen etnen",
    "الثلاثاء": "eltholatha althulatha thulatha",
    "الاربعاء": "elarba3a alarbe3a arba3a",
    "الخميس": "elkhamis alkhamees khamis 5amis el5amis",
    "واحد": "wa7ed wahed wa7id",
    "اثنين": "ithnen ethnen itnen tnen ithnain etnin",
    "ثلاثة": "thalatha tlata talata thlatha",
    "اربعة": "arba3a arb3a",
    "خمسة": "khamsa 5amsa khamse 5amse",
    "ستة": "sitta seta sitteh",
    "سبعة": "sab3a saba3a",
    "ثمانية": "thamanya tamanya thamaniya",
    "تسعة": "tis3a tes3a",
    "عشرة": "3ashra ashra",
    "نص": "nos nus noss",
    "و": "w wa we",
    "في": "fi fe",
    "انا": "ana",
    "انت": "inta enta",
    "الغي": "algi alghi",
    "الغاء": "elgha2 ilgha2 ilghaa",
    "اغير": "aghayer a3'ayer",
    "غير": "ghayer",
    "لا": "la laa",
    "نعم": "na3am",
    "ايوة": "aywa aiwa eywa",
    "تمام": "tamam tmam",
    "اوكي": "okay",
    "ماشي": "mashi",
    "مع": "ma3 maa",
    "عند": "3end 3nd 3ind",
    "وين": "wein wen wain",
    "متى": "mata",
    "تفتحون": "tefta7on tftahon",
    "الموظف": "elmuwazaf",
    "شخص": "sha5s shakhs",
    "شخصين": "sha5sen shakhsain shakhsen",
    "لو": "law lau",
    "سمحت": "sama7t samaht",
    "حبيبي": "7abibi habibi",
    "يعطيك": "ya3tik",
    "العافية": "el3afya al3afia",
    "هذا": "hatha hada",
    "الاسبوع": "elesbo3 alusbu3",
    "الجاي": "eljay aljay",
}.items():
    for _v in _variants.split():
        _AR_WORDS[_v] = _arabic

# Times, ordinals and units written with digits: "17h30", "5pm", "2nd", "30min".
_NOT_ARABIZI = re.compile(r"^\d*(?:h|am|pm|st|nd|rd|th|er|e|eme|min|mn|x)?\d*$")
_ARABIZI_DIGIT = re.compile(r"[a-z][2356789]|[2356789][a-z]")
_AR_LETTERS = [
    ("sh", "ش"),
    ("kh", "خ"),
    ("gh", "غ"),
    ("th", "ث"),
    ("dh", "ذ"),
    ("ch", "ش"),
    ("aa", "ا"),
    ("ee", "ي"),
    ("ii", "ي"),
    ("oo", "و"),
    ("ou", "و"),
    ("2", "ء"),
    ("3", "ع"),
    ("5", "خ"),
    ("6", "ط"),
    ("7", "ح"),
    ("8", "غ"),
    ("9", "ق"),
    ("b", "ب"),
    ("d", "د"),
    ("f", "ف"),
    ("g", "ج"),
    ("h", "ه"),
    ("j", "ج"),
    ("k", "ك"),
    ("l", "ل"),
    ("m", "م"),
    ("n", "ن"),
    ("p", "ب"),
    ("q", "ق"),
    ("r", "ر"),
    ("s", "س"),
    ("t", "ت"),
    ("v", "ف"),
    ("w", "و"),
    ("y", "ي"),
    ("z", "ز"),
    ("i", "ي"),
    ("u", "و"),
    ("o", "و"),
    ("e", ""),
    ("a", ""),
]


def _ar_word(word: str) -> str:
    known = _AR_WORDS.get(word)
    if known:
        return known
    if word.isdigit():
        return word
    out, i = [], 0
    if word[0] in "aeiou":
        out.append("ا")  # a word starting with a vowel starts with alif
        i = 1 if word[0] in "ae" else 0
    while i < len(word):
        for latin, arabic in _AR_LETTERS:
            if word.startswith(latin, i):
                # A final -a is usually ta marbuta or alif ("sa3a", "bukra").
                if latin == "a" and i == len(word) - 1:
                    arabic = "ة"
                out.append(arabic)
                i += len(latin)
                break
        else:
            out.append(word[i])
            i += 1
    return "".join(out)


def arabizi_score(tokens: list[str]) -> float:
    """The share of words that look like Arabizi."""
    latin = [t for t in tokens if t.isascii() and any(c.isalpha() for c in t)]
    if not latin:
        return 0.0
    hits = sum(
        1.0
        if (_ARABIZI_DIGIT.search(t) and not _NOT_ARABIZI.match(t))
        or (t in _AR_WORDS and len(t) >= 3)
        else 0
        for t in latin
    )
    return hits / len(latin)


def arabic_from_arabizi(text: str) -> str:
    def convert(match: re.Match) -> str:
        word = match.group(0)
        if word.isdigit():
            return word
        return _ar_word(word)

    # "ba3d bukra" as one unit before word by word.
    text = re.sub(r"\bba3d\s+(?:bukra|bokra)\b", "ba3dbukra", text.lower())
    text = re.sub(r"\bbi?l\s+(?=lel|leil|lail)", "bil", text)
    # The article written apart ("el sa3a", "al dawam") belongs to its word.
    text = re.sub(r"\b(?:el|al|il)[- ](?=[a-z0-9])", "el", text)
    return re.sub(r"[a-z0-9']*[a-z][a-z0-9']*", convert, text)
