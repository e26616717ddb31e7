"""Believable demo salons in Paris, Lyon, Moscow and Riyadh, with local names,
addresses, phones and currencies. Used by `seed_demo` (and so by `make run`)."""

DEMO_PASSWORD = "solibook-demo"  # noqa: S105 - printed by `make run` on purpose

# (email, full name, language, time zone, platform staff)
DEMO_USERS = [
    ("admin@solibook.demo", "Camille Operator", "en", "Europe/Paris", True),
    ("owner@solibook.demo", "Sophie Laurent", "fr", "Europe/Paris", False),
    ("reception@solibook.demo", "Julie Moreau", "fr", "Europe/Paris", False),
    ("master@solibook.demo", "Léa Martin", "fr", "Europe/Paris", False),
    ("accountant@solibook.demo", "Marc Petit", "fr", "Europe/Paris", False),
    ("client@solibook.demo", "Emma Bernard", "fr", "Europe/Paris", False),
    ("owner.moscow@solibook.demo", "Анна Смирнова", "ru", "Europe/Moscow", False),
    ("owner.riyadh@solibook.demo", "نورة القحطاني", "ar", "Asia/Riyadh", False),
    ("client.moscow@solibook.demo", "Ирина Волкова", "ru", "Europe/Moscow", False),
    ("client.riyadh@solibook.demo", "سارة العتيبي", "ar", "Asia/Riyadh", False),
]

# Each business: owner e-mail, fields, locations, extra members (email, role);
# "slug" gives a Cyrillic or Arabic name a readable Latin address (else transliterated).
DEMO_BUSINESSES = [
    {
        "owner": "owner@solibook.demo",
        "name": "Atelier Lumière",
        "currency": "EUR",
        "country": "FR",
        "description": "Salon de coiffure et de coloration au cœur du Marais. Balayage, soins Olaplex et coupes sur mesure.",
        "members": [
            ("reception@solibook.demo", "receptionist"),
            ("master@solibook.demo", "master"),
            ("accountant@solibook.demo", "accountant"),
        ],
        "locations": [
            {
                "name": "Atelier Lumière Marais",
                "address": "12 rue des Rosiers",
                "city": "Paris",
                "postal_code": "75004",
                "latitude": "48.857150",
                "longitude": "2.359640",
                "time_zone": "Europe/Paris",
                "phone": "+33142720011",
                "amenities": ["wifi", "card", "drinks", "air_conditioning"],
            },
            {
                "name": "Atelier Lumière Batignolles",
                "address": "38 rue des Dames",
                "city": "Paris",
                "postal_code": "75017",
                "latitude": "48.883110",
                "longitude": "2.322150",
                "time_zone": "Europe/Paris",
                "phone": "+33142930012",
                "amenities": ["wifi", "card", "wheelchair", "kids"],
            },
        ],
    },
    {
        "owner": "owner@solibook.demo",
        "name": "Ongles & Sens",
        "currency": "EUR",
        "country": "FR",
        "description": "Manucure, pédicure et pose de gel dans le 11e arrondissement.",
        "members": [],
        "locations": [
            {
                "name": "Ongles & Sens Oberkampf",
                "address": "95 rue Oberkampf",
                "city": "Paris",
                "postal_code": "75011",
                "latitude": "48.865480",
                "longitude": "2.377920",
                "time_zone": "Europe/Paris",
                "phone": "+33143380013",
                "amenities": ["wifi", "card", "drinks"],
            },
        ],
    },
    {
        "owner": "owner@solibook.demo",
        "name": "Spa des Canuts",
        "currency": "EUR",
        "country": "FR",
        "description": "Massages, hammam et soins du visage sur les pentes de la Croix-Rousse.",
        "members": [],
        "locations": [
            {
                "name": "Spa des Canuts",
                "address": "4 place de la Croix-Rousse",
                "city": "Lyon",
                "postal_code": "69004",
                "latitude": "45.774400",
                "longitude": "4.831600",
                "time_zone": "Europe/Paris",
                "phone": "+33478280014",
                "amenities": ["wifi", "card", "drinks", "wheelchair", "air_conditioning"],
            },
        ],
    },
    {
        "owner": "owner.moscow@solibook.demo",
        "name": "Салон красоты «Жемчуг»",
        "slug": "zhemchug",  # readable Latin address: /salons/zhemchug/
        "currency": "RUB",
        "country": "RU",
        "description": "Стрижки, окрашивание и маникюр у Патриарших прудов.",
        "members": [],
        "locations": [
            {
                "name": "Жемчуг на Патриарших",
                "address": "Малая Бронная ул., 24",
                "city": "Москва",
                "postal_code": "123104",
                "latitude": "55.763200",
                "longitude": "37.592100",
                "time_zone": "Europe/Moscow",
                "phone": "+74956500015",
                "amenities": ["wifi", "card", "drinks", "air_conditioning"],
            },
        ],
    },
    {
        "owner": "owner.moscow@solibook.demo",
        "name": "Барбершоп «Борода»",
        "slug": "boroda",  # readable Latin address: /salons/boroda/
        "currency": "RUB",
        "country": "RU",
        "description": "Мужские стрижки и уход за бородой на Таганке.",
        "members": [],
        "locations": [
            {
                "name": "Борода на Таганке",
                "address": "ул. Таганская, 17",
                "city": "Москва",
                "postal_code": "109147",
                "latitude": "55.741500",
                "longitude": "37.665300",
                "time_zone": "Europe/Moscow",
                "phone": "+74959110016",
                "amenities": ["wifi", "card", "drinks", "parking"],
            },
        ],
    },
    {
        "owner": "owner.riyadh@solibook.demo",
        "name": "صالون لمسة ورد",
        "slug": "lamsat-ward",  # readable Latin address: /salons/lamsat-ward/
        "currency": "SAR",
        "country": "SA",
        "description": "صالون نسائي للعناية بالشعر والمكياج والحناء في حي العليا.",
        "members": [],
        "locations": [
            {
                "name": "لمسة ورد - العليا",
                "address": "طريق الملك فهد، العليا",
                "city": "الرياض",
                "postal_code": "12211",
                "latitude": "24.690500",
                "longitude": "46.685400",
                "time_zone": "Asia/Riyadh",
                "phone": "+966112000017",
                "amenities": [
                    "women_only",
                    "wifi",
                    "card",
                    "parking",
                    "air_conditioning",
                    "drinks",
                ],
            },
        ],
    },
    {
        "owner": "owner.riyadh@solibook.demo",
        "name": "سبا الواحة",
        "slug": "spa-al-waha",  # readable Latin address: /salons/spa-al-waha/
        "currency": "SAR",
        "country": "SA",
        "description": "حمام مغربي ومساج وعناية بالبشرة في حي النخيل.",
        "members": [],
        "locations": [
            {
                "name": "سبا الواحة - النخيل",
                "address": "شارع الأمير تركي، النخيل",
                "city": "الرياض",
                "postal_code": "12384",
                "latitude": "24.741600",
                "longitude": "46.634900",
                "time_zone": "Asia/Riyadh",
                "phone": "+966112000018",
                "amenities": ["women_only", "wifi", "card", "parking", "air_conditioning"],
            },
        ],
    },
]

# For --scale: cities with coordinates, zones and currencies to spread salons over.
SCALE_CITIES = [
    ("Paris", "FR", "EUR", "Europe/Paris", 48.8566, 2.3522),
    ("Lyon", "FR", "EUR", "Europe/Paris", 45.7640, 4.8357),
    ("Marseille", "FR", "EUR", "Europe/Paris", 43.2965, 5.3698),
    ("Москва", "RU", "RUB", "Europe/Moscow", 55.7558, 37.6173),
    ("Санкт-Петербург", "RU", "RUB", "Europe/Moscow", 59.9311, 30.3609),
    ("الرياض", "SA", "SAR", "Asia/Riyadh", 24.7136, 46.6753),
    ("جدة", "SA", "SAR", "Asia/Riyadh", 21.4858, 39.1925),
]
SCALE_NAME_PARTS = {
    "FR": (
        ["Atelier", "Maison", "Studio", "Institut", "Salon"],
        ["Éclat", "Velours", "Lumière", "Iris", "Camélia", "Opaline"],
    ),
    "RU": (
        ["Салон", "Студия", "Ателье", "Барбершоп"],
        ["Лотос", "Аврора", "Вереск", "Мята", "Сияние"],
    ),
    "SA": (["صالون", "سبا", "مركز"], ["الياسمين", "اللؤلؤ", "الريحان", "النخبة", "الفيروز"]),
}
# Services a generated salon picks 2-4 of: (category, name, [(minutes, master busy)], price in minor units).
SCALE_SERVICES = {
    "FR": [
        ("womens-haircut", "Coupe femme", [(45, True)], 5500),
        ("mens-haircut", "Coupe homme", [(30, True)], 3000),
        ("colouring", "Coloration", [(30, True), (30, False), (30, True)], 7000),
        ("blow-dry", "Brushing", [(30, True)], 3500),
        ("manicure", "Manucure", [(45, True)], 3200),
        ("relaxing-massage", "Massage relaxant", [(60, True)], 8000),
        ("facial", "Soin du visage", [(60, True)], 6500),
        ("beard", "Taille de barbe", [(20, True)], 2000),
    ],
    "RU": [
        ("womens-haircut", "Женская стрижка", [(60, True)], 300000),
        ("mens-haircut", "Мужская стрижка", [(45, True)], 200000),
        ("colouring", "Окрашивание", [(30, True), (40, False), (30, True)], 600000),
        ("manicure", "Маникюр", [(60, True)], 180000),
        ("gel-nails", "Покрытие гель-лаком", [(90, True)], 280000),
        ("pedicure", "Педикюр", [(75, True)], 300000),
        ("brow-shaping", "Коррекция бровей", [(30, True)], 120000),
        ("beard", "Оформление бороды", [(30, True)], 150000),
    ],
    "SA": [
        ("womens-haircut", "قص شعر نسائي", [(45, True)], 18000),
        ("blow-dry", "سشوار", [(30, True)], 9000),
        ("henna", "نقش حناء", [(45, True), (30, False), (15, True)], 15000),
        ("makeup", "مكياج سهرة", [(60, True)], 40000),
        ("hammam", "حمام مغربي", [(15, True), (20, False), (30, True)], 28000),
        ("relaxing-massage", "مساج استرخائي", [(60, True)], 32000),
        ("facial", "تنظيف بشرة", [(60, True)], 25000),
    ],
}
# Opening hours of a generated location: (weekdays, opens, closes).
SCALE_OPENING_HOURS = {
    "FR": [((0, 1, 2, 3, 4, 5), "09:00", "20:00")],
    "RU": [((0, 1, 2, 3, 4, 5, 6), "09:00", "21:00")],
    "SA": [
        ((5, 6, 0, 1, 2, 3), "10:00", "13:00"),
        ((5, 6, 0, 1, 2, 3), "16:00", "22:00"),
        ((4,), "16:00", "22:00"),
    ],
}
# A generated master's week is one of these: (weekdays, [(start, end, [(break start, break end)])]).
SCALE_SHIFT_PATTERNS = {
    "FR": [
        ((0, 1, 2, 3, 4), [("09:00", "18:00", [("13:00", "14:00")])]),
        ((1, 2, 3, 4, 5), [("10:00", "19:00", [("14:00", "14:30")])]),
        ((2, 3, 4, 5), [("09:00", "13:00", []), ("15:00", "20:00", [])]),
    ],
    "RU": [
        ((0, 1, 2, 3, 4), [("10:00", "20:00", [("14:00", "14:30")])]),
        ((2, 3, 5, 6), [("09:00", "21:00", [("15:00", "15:30")])]),
        ((0, 1, 3, 4, 6), [("09:00", "14:00", []), ("16:00", "21:00", [])]),
    ],
    "SA": [
        ((5, 6, 0, 1, 2), [("10:00", "13:00", []), ("16:00", "22:00", [("18:45", "19:15")])]),
        ((6, 0, 1, 2, 3, 4), [("16:00", "22:00", [("18:45", "19:15")])]),
        ((5, 6, 0, 1, 2, 3), [("10:00", "13:00", []), ("16:00", "21:00", [])]),
    ],
}
