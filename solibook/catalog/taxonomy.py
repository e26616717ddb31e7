"""The platform-wide category taxonomy, in four languages.

Pure data (no model import) so that migrations can load it with their
historical model. Add rows here
and in a new data migration; never rename a slug (URLs use it).
(slug, parent slug or None, English, French, Russian, Arabic)
"""

from typing import Any

CATEGORIES: list[tuple[str, str | None, str, str, str, str]] = [
    ("hair", None, "Hair", "Coiffure", "Волосы", "الشعر"),
    ("womens-haircut", "hair", "Women's haircut", "Coupe femme", "Женская стрижка", "قص شعر نسائي"),
    ("mens-haircut", "hair", "Men's haircut", "Coupe homme", "Мужская стрижка", "قص شعر رجالي"),
    (
        "kids-haircut",
        "hair",
        "Children's haircut",
        "Coupe enfant",
        "Детская стрижка",
        "قص شعر الأطفال",
    ),
    ("colouring", "hair", "Colouring", "Coloration", "Окрашивание", "صبغ الشعر"),
    (
        "highlights",
        "hair",
        "Highlights and balayage",
        "Mèches et balayage",
        "Мелирование и балаяж",
        "الهايلايت والبالياج",
    ),
    ("blow-dry", "hair", "Blow-dry and styling", "Brushing et coiffage", "Укладка", "تصفيف وسشوار"),
    (
        "keratin",
        "hair",
        "Keratin treatment",
        "Lissage à la kératine",
        "Кератиновое выпрямление",
        "علاج الكيراتين",
    ),
    (
        "extensions",
        "hair",
        "Hair extensions",
        "Extensions de cheveux",
        "Наращивание волос",
        "وصلات الشعر",
    ),
    (
        "hair-care",
        "hair",
        "Hair care treatment",
        "Soin capillaire",
        "Уход за волосами",
        "العناية بالشعر",
    ),
    ("barber", None, "Barber", "Barbier", "Барбершоп", "الحلاقة الرجالية"),
    (
        "beard",
        "barber",
        "Beard trim and shave",
        "Taille de barbe et rasage",
        "Стрижка бороды и бритьё",
        "تهذيب اللحية والحلاقة",
    ),
    ("nails", None, "Nails", "Ongles", "Ногти", "الأظافر"),
    ("manicure", "nails", "Manicure", "Manucure", "Маникюр", "مانيكير"),
    ("pedicure", "nails", "Pedicure", "Pédicure", "Педикюр", "باديكير"),
    ("gel-nails", "nails", "Gel nails", "Ongles en gel", "Гель-лак", "أظافر جل"),
    (
        "brows-lashes",
        None,
        "Brows and lashes",
        "Sourcils et cils",
        "Брови и ресницы",
        "الحواجب والرموش",
    ),
    (
        "brow-shaping",
        "brows-lashes",
        "Brow shaping",
        "Épilation et restructuration des sourcils",
        "Коррекция бровей",
        "تشكيل الحواجب",
    ),
    (
        "lash-extensions",
        "brows-lashes",
        "Lash extensions",
        "Extensions de cils",
        "Наращивание ресниц",
        "تركيب الرموش",
    ),
    ("makeup", None, "Make-up", "Maquillage", "Макияж", "المكياج"),
    (
        "bridal-makeup",
        "makeup",
        "Bridal make-up",
        "Maquillage de mariée",
        "Свадебный макияж",
        "مكياج العروس",
    ),
    (
        "face-skin",
        None,
        "Face and skin care",
        "Soins du visage",
        "Уход за лицом",
        "العناية بالبشرة والوجه",
    ),
    ("facial", "face-skin", "Facial", "Soin du visage", "Чистка и уход за лицом", "تنظيف البشرة"),
    ("hair-removal", None, "Hair removal", "Épilation", "Эпиляция", "إزالة الشعر"),
    (
        "waxing",
        "hair-removal",
        "Waxing",
        "Épilation à la cire",
        "Восковая депиляция",
        "إزالة الشعر بالشمع",
    ),
    (
        "laser",
        "hair-removal",
        "Laser hair removal",
        "Épilation laser",
        "Лазерная эпиляция",
        "إزالة الشعر بالليزر",
    ),
    ("massage", None, "Massage", "Massage", "Массаж", "المساج"),
    (
        "relaxing-massage",
        "massage",
        "Relaxing massage",
        "Massage relaxant",
        "Расслабляющий массаж",
        "مساج استرخائي",
    ),
    (
        "deep-tissue",
        "massage",
        "Deep tissue massage",
        "Massage des tissus profonds",
        "Глубокий массаж",
        "مساج الأنسجة العميقة",
    ),
    (
        "spa-body",
        None,
        "Spa and body",
        "Spa et soins du corps",
        "СПА и уход за телом",
        "السبا والعناية بالجسم",
    ),
    (
        "body-scrub",
        "spa-body",
        "Body scrub and wrap",
        "Gommage et enveloppement",
        "Скраб и обёртывание",
        "تقشير ولف الجسم",
    ),
    ("wellness", None, "Wellness", "Bien-être", "Велнес", "العافية"),
    ("hammam", "wellness", "Hammam", "Hammam", "Хаммам", "الحمام المغربي"),
    ("sauna", "wellness", "Sauna", "Sauna", "Сауна", "الساونا"),
    ("henna", None, "Henna", "Henné", "Хна", "الحناء"),
    (
        "fitness-class",
        None,
        "Fitness and yoga classes",
        "Cours de fitness et de yoga",
        "Фитнес и йога",
        "دروس اللياقة واليوغا",
    ),
]


# Words people type for a category, by language (en, fr, ru, ar), beside its
# four names: the marketplace indexes names and synonyms of a salon's
# categories (and of their parents), so "haircut", "coupe", "стрижка" and
# "قص شعر" find the same salons whatever language the menu is written in.
# Russian keeps the forms people type (стрижка, стрижку); Arabic keeps the
# common spellings of borrowed words (مانيكير, مناكير).
SYNONYMS: dict[str, tuple[tuple[str, ...], ...]] = {
    "hair": (
        ("hair", "hairdresser", "hair salon"),
        ("cheveux", "coiffeur", "coiffeuse"),
        ("парикмахерская", "парикмахер", "волосы"),
        ("شعر", "كوافير", "صالون شعر"),
    ),
    "womens-haircut": (
        ("haircut", "hair cut", "women's cut", "ladies haircut"),
        ("coupe", "coupe de cheveux", "coupe femme"),
        ("стрижка", "стрижку", "подстричься", "женская стрижка"),
        ("قص شعر", "قص الشعر", "قصة شعر", "قصه شعر"),
    ),
    "mens-haircut": (
        ("haircut", "hair cut", "men's cut", "barber cut"),
        ("coupe", "coupe de cheveux", "coupe homme"),
        ("стрижка", "стрижку", "подстричься", "мужская стрижка"),
        ("قص شعر", "قص الشعر", "قصة شعر", "حلاقة شعر"),
    ),
    "kids-haircut": (
        ("haircut", "hair cut", "kids cut"),
        ("coupe", "coupe de cheveux", "coupe enfant"),
        ("стрижка", "стрижку", "детская стрижка"),
        ("قص شعر", "قص الشعر", "قصة شعر", "قص شعر اطفال"),
    ),
    "colouring": (
        ("colouring", "coloring", "colour", "color", "hair dye", "dye", "tint"),
        ("coloration", "couleur", "teinture"),
        ("окрашивание", "покраска", "окраска", "краска", "покрасить"),
        ("صبغ", "صبغة", "صبغه", "صبغ الشعر", "تلوين"),
    ),
    "highlights": (
        ("highlights", "balayage", "ombre", "airtouch"),
        ("meches", "balayage", "ombre"),
        ("мелирование", "балаяж", "омбре", "airtouch"),
        ("هايلايت", "بالياج", "خصل"),
    ),
    "blow-dry": (
        ("blow-dry", "blow dry", "blowout", "styling"),
        ("brushing", "coiffage"),
        ("укладка", "укладку", "локоны"),
        ("سشوار", "استشوار", "تصفيف"),
    ),
    "keratin": (
        ("keratin", "straightening", "brazilian blowout"),
        ("keratine", "lissage", "lissage bresilien"),
        ("кератин", "выпрямление", "ботокс для волос"),
        ("كيراتين", "فرد الشعر", "بروتين"),
    ),
    "extensions": (
        ("extensions", "hair extensions"),
        ("extensions", "rallonges"),
        ("наращивание волос", "наращивание"),
        ("وصلات", "اكستنشن"),
    ),
    "hair-care": (
        ("hair treatment", "olaplex", "hair mask"),
        ("soin", "soin cheveux", "olaplex"),
        ("уход", "восстановление волос", "olaplex"),
        ("علاج الشعر", "حمام زيت", "ماسك شعر"),
    ),
    "barber": (
        ("barber", "barbershop", "men's grooming"),
        ("barbier", "barber"),
        ("барбер", "барбершоп", "мужской зал"),
        ("حلاق", "حلاقة", "باربر"),
    ),
    "beard": (
        ("beard", "beard trim", "shave", "razor"),
        ("barbe", "rasage"),
        ("борода", "бороды", "бритьё", "бритье", "бритва"),
        ("لحية", "لحيه", "تهذيب اللحية", "حلاقة ذقن"),
    ),
    "nails": (
        ("nails", "nail salon", "nail"),
        ("ongles", "onglerie"),
        ("ногти", "ногтевой сервис"),
        ("اظافر", "أظافر"),
    ),
    "manicure": (
        ("manicure", "mani", "nails"),
        ("manucure", "ongles"),
        ("маникюр", "маникюра"),
        ("مانيكير", "مناكير", "منيكير", "مانكير"),
    ),
    "pedicure": (
        ("pedicure", "pedi", "foot care"),
        ("pedicure", "beaute des pieds"),
        ("педикюр", "педикюра"),
        ("باديكير", "بديكير", "بدكير", "العناية بالقدمين"),
    ),
    "gel-nails": (
        ("gel nails", "gel polish", "shellac", "gel manicure"),
        ("vernis semi-permanent", "gel", "capsules"),
        ("гель-лак", "гель лак", "шеллак", "покрытие"),
        ("جل", "مناكير جل", "شيلاك"),
    ),
    "brows-lashes": (
        ("brows", "eyebrows", "lashes", "eyelashes"),
        ("sourcils", "cils"),
        ("брови", "бровей", "ресницы", "ресниц"),
        ("حواجب", "رموش"),
    ),
    "brow-shaping": (
        ("brows", "eyebrows", "brow tint", "threading"),
        ("sourcils", "epilation sourcils", "teinture sourcils"),
        ("брови", "бровей", "коррекция бровей", "окрашивание бровей"),
        ("حواجب", "تشقير", "تشكيل الحواجب", "فتلة"),
    ),
    "lash-extensions": (
        ("lashes", "eyelashes", "lash extensions", "lash lift"),
        ("cils", "extensions de cils", "rehaussement de cils"),
        ("ресницы", "ресниц", "наращивание ресниц", "ламинирование ресниц"),
        ("رموش", "تركيب رموش", "رفع الرموش"),
    ),
    "makeup": (
        ("make-up", "makeup", "make up"),
        ("maquillage",),
        ("макияж", "мейкап"),
        ("مكياج", "ميكب", "ميك اب"),
    ),
    "bridal-makeup": (
        ("bridal", "wedding make-up", "bride"),
        ("mariee", "maquillage mariage"),
        ("свадебный", "невеста"),
        ("عروس", "عروسة", "زفاف"),
    ),
    "face-skin": (
        ("facial", "skin care", "face"),
        ("visage", "soin du visage"),
        ("лицо", "косметолог", "уход за кожей"),
        ("بشرة", "وجه", "العناية بالبشرة"),
    ),
    "facial": (
        ("facial", "face cleansing", "peeling"),
        ("soin visage", "nettoyage de peau"),
        ("чистка лица", "уход за лицом", "пилинг"),
        ("تنظيف بشرة", "تنظيف البشرة", "فيشل"),
    ),
    "hair-removal": (
        ("hair removal", "epilation", "depilation"),
        ("epilation",),
        ("эпиляция", "депиляция"),
        ("ازالة الشعر", "إزالة الشعر"),
    ),
    "waxing": (
        ("waxing", "wax"),
        ("cire", "epilation a la cire"),
        ("воск", "восковая депиляция", "шугаринг"),
        ("شمع", "حلاوة", "سويت"),
    ),
    "laser": (
        ("laser", "laser hair removal"),
        ("laser", "epilation laser"),
        ("лазер", "лазерная эпиляция"),
        ("ليزر", "الليزر"),
    ),
    "massage": (
        ("massage", "massages"),
        ("massage", "massages"),
        ("массаж", "массажа"),
        ("مساج", "تدليك", "مساچ"),
    ),
    "relaxing-massage": (
        ("massage", "relaxing massage", "swedish massage", "aromatherapy"),
        ("massage", "massage relaxant", "massage suedois"),
        ("массаж", "расслабляющий массаж", "релакс"),
        ("مساج", "تدليك", "مساج استرخائي"),
    ),
    "deep-tissue": (
        ("massage", "deep tissue", "sports massage"),
        ("massage", "massage sportif", "massage profond"),
        ("массаж", "спортивный массаж", "глубокий массаж"),
        ("مساج", "تدليك", "مساج رياضي"),
    ),
    "spa-body": (
        ("spa", "body treatment"),
        ("spa", "soin du corps"),
        ("спа", "spa", "уход за телом"),
        ("سبا", "العناية بالجسم"),
    ),
    "body-scrub": (
        ("scrub", "body wrap", "exfoliation"),
        ("gommage", "enveloppement"),
        ("скраб", "обертывание", "обёртывание", "пилинг тела"),
        ("تقشير", "صنفرة", "لف الجسم"),
    ),
    "wellness": (
        ("wellness", "spa"),
        ("bien-etre", "spa"),
        ("велнес", "спа"),
        ("عافية", "سبا"),
    ),
    "hammam": (
        ("hammam", "turkish bath", "moroccan bath"),
        ("hammam", "bain turc"),
        ("хаммам", "хамам", "турецкая баня"),
        ("حمام مغربي", "حمام تركي", "حمام"),
    ),
    "sauna": (("sauna",), ("sauna",), ("сауна", "баня"), ("ساونا", "سونا")),
    "henna": (("henna", "mehndi"), ("henne",), ("хна", "мехенди"), ("حناء", "حنا", "نقش")),
    "fitness-class": (
        ("yoga", "fitness", "pilates", "class"),
        ("yoga", "fitness", "cours"),
        ("йога", "фитнес", "пилатес"),
        ("يوغا", "يوجا", "لياقة"),
    ),
}
LANGUAGES = ("en", "fr", "ru", "ar")


def category_terms(slug: str) -> dict[str, list[str]]:
    """The synonyms of a category by language code (empty for a category
    added in the admin without any)."""
    rows = SYNONYMS.get(slug, ((), (), (), ()))
    return {language: list(words) for language, words in zip(LANGUAGES, rows, strict=True)}


def load_into(category_model: Any) -> None:
    """Create or update the taxonomy rows (used by the data migration, and by
    tests whose transactional flush removed them)."""
    by_slug: dict[str, Any] = {}  # historical model instances
    for position, (slug, parent, en, fr, ru, ar) in enumerate(CATEGORIES):
        category, _created = category_model.objects.update_or_create(
            slug=slug,
            defaults={
                "parent": by_slug.get(parent) if parent else None,
                "name_en": en,
                "name_fr": fr,
                "name_ru": ru,
                "name_ar": ar,
                "position": position,
            },
        )
        by_slug[slug] = category
