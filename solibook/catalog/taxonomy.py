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
