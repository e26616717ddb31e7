"""What each demo business sells and who works when, as plain data.

`catalogue.build_catalogue` turns one entry into rows through the catalogue
services. Prices are minor units in the business's currency (cents,
kopecks, halalas). Steps are (minutes, master busy, label): a step with the
master free is processing time. Schedules are local wall-clock times.
Dates are relative to the seeding day so the demo always looks current:
a day is an offset in days from today, or ("next", weekday, at least N
days ahead) for something that belongs on a given weekday.
"""

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
WEEKDAYS = (MON, TUE, WED, THU, FRI)
ALL_WEEK = (MON, TUE, WED, THU, FRI, SAT, SUN)
SAUDI_WEEK = (SAT, SUN, MON, TUE, WED, THU)  # Friday is the weekend

MARAIS = "Atelier Lumière Marais"
BATIGNOLLES = "Atelier Lumière Batignolles"
OBERKAMPF = "Ongles & Sens Oberkampf"
CANUTS = "Spa des Canuts"
PATRIKI = "Жемчуг на Патриарших"
TAGANKA = "Борода на Таганке"
OLAYA = "لمسة ورد - العليا"
NAKHEEL = "سبا الواحة - النخيل"

# Keys of every entry:
# settings      -> business_update_settings
# opening_hours -> {location: [(weekdays, [(opens, closes), ...])]}
# resources     -> [(resource type, location, resource name, capacity)]
# services      -> service_create; "key" names it here, "weight" is how
#                  often demo clients book it, "audience" who books it
# masters       -> master_create + weekly_schedule_set; "services" holds
#                  keys or (key, own price or None, own pace in minutes)
# overrides     -> date_override_set (no periods: a day off)
# time_off      -> time_off_add: (master, from day, from time, until day, until time, reason, note)
# closures      -> closure_add (public holidays are imported for every location)
# audience      -> "women", "men" or "any": the clients the demo invents
CATALOGUES: dict[str, dict] = {
    "Atelier Lumière": {
        "settings": {
            "legal_name": "Atelier Lumière SAS",
            "registration_number": "85245612300017",
            "vat_number": "FR32852456123",
            "languages": ["fr", "en"],
            "lead_time_minutes": 120,
            "slot_step_minutes": 15,
            "horizon_days": 90,
            "cancellation_window_hours": 24,
            "cancellation_fee_percent": 50,
            "deposit_rule": "fixed",
            "deposit_value": 2000,
        },
        "audience": "women",
        "opening_hours": {
            MARAIS: [
                ((TUE, WED, FRI), [("09:30", "19:30")]),
                ((THU,), [("11:00", "21:00")]),
                ((SAT,), [("09:00", "18:00")]),
            ],
            BATIGNOLLES: [(WEEKDAYS, [("10:00", "19:00")]), ((SAT,), [("09:30", "18:30")])],
        },
        "resources": [],
        "services": [
            {
                "key": "cut_women",
                "category": "womens-haircut",
                "name": "Coupe femme et brushing",
                "price_amount": 6500,
                "weight": 5,
                "description": "Diagnostic, shampoing, coupe sur mesure et brushing.",
                "steps": [(15, True, "Shampoing et diagnostic"), (45, True, "Coupe et coiffage")],
            },
            {
                "key": "cut_men",
                "category": "mens-haircut",
                "name": "Coupe homme",
                "price_amount": 3800,
                "weight": 3,
                "audience": "men",
                "description": "Coupe aux ciseaux ou à la tondeuse, finitions à la nuque.",
                "steps": [(30, True, "Coupe")],
                "buffer_after_minutes": 5,
            },
            {
                "key": "cut_kids",
                "category": "kids-haircut",
                "name": "Coupe enfant (moins de 12 ans)",
                "price_amount": 2500,
                "weight": 1,
                "audience": "any",
                "steps": [(25, True, "Coupe")],
            },
            {
                "key": "balayage",
                "category": "highlights",
                "name": "Balayage et patine",
                "price_amount": 14000,
                "price_is_from": True,
                "weight": 3,
                "description": "Éclaircissement à main levée pour un effet soleil naturel, patine et brushing inclus.",
                "steps": [
                    (30, True, "Application"),
                    (35, False, "Temps de pose"),
                    (30, True, "Rinçage et brushing"),
                ],
            },
            {
                "key": "colour",
                "category": "colouring",
                "name": "Coloration racines",
                "price_amount": 6800,
                "weight": 2,
                "description": "Couverture des cheveux blancs avec une coloration sans ammoniaque.",
                "steps": [
                    (25, True, "Application"),
                    (30, False, "Temps de pose"),
                    (20, True, "Rinçage et séchage"),
                ],
            },
            {
                "key": "blowdry",
                "category": "blow-dry",
                "name": "Brushing",
                "price_amount": 3200,
                "price_is_from": True,
                "weight": 4,
                "description": "Shampoing et brushing lisse ou wavy.",
                "steps": [(30, True, "Brushing")],
                "variants": [
                    {
                        "name": "Cheveux courts",
                        "price_amount": 3200,
                        "steps": [(25, True, "Brushing")],
                    },
                    {
                        "name": "Cheveux mi-longs",
                        "price_amount": 3900,
                        "steps": [(35, True, "Brushing")],
                    },
                    {
                        "name": "Cheveux longs",
                        "price_amount": 4800,
                        "steps": [(45, True, "Brushing")],
                    },
                ],
            },
            {
                "key": "keratin",
                "category": "keratin",
                "name": "Lissage brésilien à la kératine",
                "price_amount": 22000,
                "price_is_from": True,
                "requires_patch_test": True,
                "weight": 0,
                "description": "Lissage longue durée. Un test d'allergie cutané est obligatoire au moins 48 h avant.",
                "steps": [
                    (45, True, "Shampoing et application"),
                    (30, False, "Temps de pose"),
                    (60, True, "Séchage et lissage au fer"),
                ],
            },
            {
                "key": "care",
                "category": "hair-care",
                "name": "Soin profond Olaplex",
                "price_amount": 4500,
                "weight": 1,
                "steps": [
                    (15, True, "Application"),
                    (15, False, "Temps de pose"),
                    (10, True, "Rinçage"),
                ],
            },
            {
                "key": "extensions",
                "category": "extensions",
                "name": "Pose d'extensions à froid",
                "price_amount": 35000,
                "price_is_from": True,
                "requires_consultation": True,
                "bookable_online": False,
                "weight": 0,
                "description": "Sur rendez-vous après une consultation au salon (choix de la teinte et de la longueur).",
                "steps": [(150, True, "Pose")],
            },
        ],
        "masters": [
            {
                "name": "Léa Martin",
                "user": "master@solibook.demo",
                "color": "#b5476b",
                "bio": "Coloriste experte, spécialiste du balayage naturel et des blonds lumineux.",
                "services": [
                    ("balayage", 16500, 0),
                    "colour",
                    "keratin",
                    "blowdry",
                    "cut_women",
                    "care",
                ],
                "schedule": {
                    MARAIS: [
                        ((TUE, WED, FRI), [("09:30", "18:30", [("13:00", "13:45")])]),
                        ((THU,), [("11:00", "15:00", []), ("16:00", "21:00", [])]),
                    ],
                    BATIGNOLLES: [((SAT,), [("09:30", "18:30", [("13:00", "14:00")])])],
                },
            },
            {
                "name": "Chloé Dubois",
                "color": "#2e6f9e",
                "bio": "Directrice artistique du salon : coupes sur mesure et conseils de style.",
                "services": [
                    ("cut_women", 7500, -10),
                    "cut_kids",
                    "blowdry",
                    "balayage",
                    "care",
                    "extensions",
                ],
                "schedule": {
                    MARAIS: [
                        ((TUE, WED, FRI), [("09:30", "19:30", [("13:30", "14:15")])]),
                        ((THU,), [("11:00", "21:00", [("15:30", "16:15")])]),
                        ((SAT,), [("09:00", "18:00", [("12:30", "13:15")])]),
                    ],
                },
            },
            {
                "name": "Hugo Lefèvre",
                "color": "#3d7a4a",
                "bio": "Barbier et coiffeur homme, dégradés et coupes classiques.",
                "services": [("cut_men", None, -5), "cut_kids", "cut_women", "blowdry"],
                "schedule": {
                    MARAIS: [
                        ((WED, FRI), [("10:00", "19:30", [("14:00", "14:30")])]),
                        ((THU,), [("11:00", "21:00", [("15:00", "15:30")])]),
                    ],
                    BATIGNOLLES: [
                        ((MON,), [("10:00", "19:00", [("13:00", "13:30")])]),
                        ((SAT,), [("09:30", "18:30", [("13:00", "13:30")])]),
                    ],
                },
            },
            {
                "name": "Inès Haddad",
                "color": "#8a5a2b",
                "bio": "Coiffeuse passionnée par les cheveux bouclés et les soins.",
                "services": ["blowdry", "cut_women", "colour", "care", "keratin"],
                "schedule": {
                    BATIGNOLLES: [(WEEKDAYS, [("10:00", "14:00", []), ("15:00", "19:00", [])])]
                },
            },
            {
                "name": "Manon Girard",
                "color": "#6b4fa3",
                "bio": "Jeune coiffeuse formée à l'atelier, toujours partante pour un balayage.",
                "services": [
                    "cut_women",
                    "cut_kids",
                    "blowdry",
                    "colour",
                    ("balayage", None, 10),
                    "care",
                ],
                "schedule": {
                    BATIGNOLLES: [
                        ((TUE, WED, THU, FRI), [("10:00", "19:00", [("13:00", "14:00")])]),
                        ((SAT,), [("09:30", "18:30", [("12:30", "13:30")])]),
                    ]
                },
            },
        ],
        "overrides": [
            ("Manon Girard", BATIGNOLLES, ("next", MON, 1), [("10:00", "19:00")]),
            ("Chloé Dubois", MARAIS, ("next", SAT, 5), [("09:00", "13:00")]),
            ("Hugo Lefèvre", BATIGNOLLES, ("next", MON, 8), []),
        ],
        "time_off": [
            ("Inès Haddad", 16, "00:00", 23, "00:00", "vacation", "Congés d'hiver"),
            (
                "Léa Martin",
                9,
                "14:00",
                9,
                "18:30",
                "training",
                "Formation balayage chez L'Oréal Professionnel",
            ),
            ("Hugo Lefèvre", -12, "00:00", -11, "00:00", "sickness", "Arrêt maladie"),
        ],
        "closures": [(BATIGNOLLES, 26, "Séminaire d'équipe")],
    },
    "Ongles & Sens": {
        "settings": {
            "legal_name": "Ongles & Sens SARL",
            "registration_number": "90112233400025",
            "vat_number": "FR45901122334",
            "languages": ["fr"],
            "lead_time_minutes": 60,
            "slot_step_minutes": 15,
            "cancellation_window_hours": 24,
            "cancellation_fee_percent": 0,
        },
        "audience": "women",
        "opening_hours": {
            OBERKAMPF: [
                ((MON,), [("12:00", "19:00")]),
                ((TUE, WED, THU, FRI), [("10:00", "20:00")]),
                ((SAT,), [("10:00", "19:00")]),
            ]
        },
        "resources": [("Fauteuil spa pédicure", OBERKAMPF, "Fauteuils spa pédicure", 2)],
        "services": [
            {
                "key": "manicure",
                "category": "manicure",
                "name": "Manucure russe",
                "price_amount": 3500,
                "weight": 3,
                "description": "Manucure sèche à la ponceuse, cuticules soignées au millimètre.",
                "steps": [(45, True, "Manucure")],
            },
            {
                "key": "semi",
                "category": "gel-nails",
                "name": "Vernis semi-permanent",
                "price_amount": 4200,
                "price_is_from": True,
                "weight": 4,
                "steps": [(50, True, "Pose")],
                "variants": [
                    {"name": "Mains", "price_amount": 4200, "steps": [(50, True, "Pose")]},
                    {"name": "Pieds", "price_amount": 4500, "steps": [(45, True, "Pose")]},
                    {"name": "Mains et pieds", "price_amount": 7900, "steps": [(90, True, "Pose")]},
                ],
            },
            {
                "key": "gel",
                "category": "gel-nails",
                "name": "Pose complète gel avec capsules",
                "price_amount": 6500,
                "weight": 2,
                "steps": [(75, True, "Pose")],
                "buffer_after_minutes": 10,
            },
            {
                "key": "pedicure",
                "category": "pedicure",
                "name": "Beauté des pieds spa",
                "price_amount": 4800,
                "weight": 2,
                "description": "Bain de pieds, gommage, soin des ongles et massage dans nos fauteuils spa.",
                "steps": [(60, True, "Pédicure")],
                "buffer_after_minutes": 10,
                "resource_types": ["Fauteuil spa pédicure"],
            },
            {
                "key": "brows",
                "category": "brow-shaping",
                "name": "Restructuration des sourcils",
                "price_amount": 2200,
                "weight": 1,
                "steps": [(20, True, "Épilation")],
            },
        ],
        "masters": [
            {
                "name": "Camille Roux",
                "color": "#c0392b",
                "bio": "Prothésiste ongulaire, nail art minimaliste.",
                "services": ["manicure", "semi", "gel", "brows"],
                "schedule": {
                    OBERKAMPF: [
                        ((TUE, WED, THU, FRI, SAT), [("10:00", "19:00", [("14:00", "14:30")])])
                    ]
                },
            },
            {
                "name": "Sarah Benali",
                "color": "#16a085",
                "bio": "Prothésiste ongulaire certifiée, spécialiste du gel.",
                "services": ["manicure", "semi", ("gel", 7000, 0), "pedicure", "brows"],
                "schedule": {
                    OBERKAMPF: [
                        ((MON,), [("12:00", "19:00", [])]),
                        ((TUE, THU), [("10:00", "14:00", []), ("15:30", "20:00", [])]),
                        ((WED, FRI), [("11:00", "20:00", [("15:00", "15:30")])]),
                    ]
                },
            },
            {
                "name": "Yasmine Kaci",
                "color": "#8e44ad",
                "bio": "Pédicure et beauté des mains, douceur garantie.",
                "services": ["manicure", "semi", "pedicure", "brows"],
                "schedule": {
                    OBERKAMPF: [
                        ((WED, THU, FRI), [("11:00", "20:00", [("15:00", "15:30")])]),
                        ((SAT,), [("10:00", "19:00", [("13:30", "14:00")])]),
                    ]
                },
            },
        ],
        "overrides": [("Yasmine Kaci", OBERKAMPF, ("next", TUE, 2), [("10:00", "15:00")])],
        "time_off": [
            ("Camille Roux", -33, "00:00", -29, "00:00", "vacation", "Vacances de la Toussaint"),
            ("Yasmine Kaci", 11, "10:00", 11, "13:00", "training", "Formation nail art"),
        ],
        "closures": [],
    },
    "Spa des Canuts": {
        "settings": {
            "legal_name": "Spa des Canuts SAS",
            "registration_number": "81234567800031",
            "vat_number": "FR68812345678",
            "languages": ["fr", "en"],
            "lead_time_minutes": 180,
            "slot_step_minutes": 30,
            "cancellation_window_hours": 48,
            "cancellation_fee_percent": 50,
            "deposit_rule": "percent",
            "deposit_value": 30,
        },
        "audience": "any",
        "opening_hours": {
            CANUTS: [
                ((TUE, WED, THU, FRI, SAT), [("10:00", "20:00")]),
                ((SUN,), [("10:00", "18:00")]),
            ]
        },
        "resources": [
            ("Cabine de massage", CANUTS, "Cabine Soie", 1),
            ("Cabine de massage", CANUTS, "Cabine Jacquard", 1),
            ("Hammam", CANUTS, "Hammam traditionnel", 4),
        ],
        "services": [
            {
                "key": "massage",
                "category": "relaxing-massage",
                "name": "Massage relaxant aux huiles chaudes",
                "price_amount": 8500,
                "price_is_from": True,
                "weight": 4,
                "buffer_after_minutes": 15,
                "resource_types": ["Cabine de massage"],
                "description": "Massage enveloppant aux huiles végétales tièdes.",
                "steps": [(60, True, "Massage")],
                "variants": [
                    {"name": "60 minutes", "price_amount": 8500, "steps": [(60, True, "Massage")]},
                    {"name": "90 minutes", "price_amount": 11500, "steps": [(90, True, "Massage")]},
                ],
            },
            {
                "key": "deep",
                "category": "deep-tissue",
                "name": "Massage sportif des tissus profonds",
                "price_amount": 9500,
                "weight": 2,
                "buffer_after_minutes": 15,
                "resource_types": ["Cabine de massage"],
                "steps": [(60, True, "Massage")],
            },
            {
                "key": "hammam",
                "category": "hammam",
                "name": "Rituel hammam et gommage au savon noir",
                "price_amount": 7500,
                "weight": 3,
                "resource_types": ["Hammam"],
                "buffer_after_minutes": 10,
                "description": "Savon noir, bain de vapeur puis gommage au gant kessa.",
                "steps": [
                    (10, True, "Accueil et savon noir"),
                    (25, False, "Bain de vapeur"),
                    (25, True, "Gommage au gant kessa"),
                ],
            },
            {
                "key": "facial",
                "category": "facial",
                "name": "Soin visage éclat",
                "price_amount": 7000,
                "weight": 2,
                "resource_types": ["Cabine de massage"],
                "buffer_after_minutes": 10,
                "steps": [(60, True, "Soin")],
            },
            {
                "key": "scrub",
                "category": "body-scrub",
                "name": "Gommage et enveloppement au miel",
                "price_amount": 6500,
                "weight": 1,
                "resource_types": ["Cabine de massage"],
                "steps": [
                    (20, True, "Gommage"),
                    (20, False, "Temps de pose de l'enveloppement"),
                    (10, True, "Rinçage et hydratation"),
                ],
            },
            {
                "key": "yoga",
                "category": "fitness-class",
                "name": "Yoga doux en petit groupe",
                "price_amount": 2000,
                "group_capacity": 8,
                "weight": 0,
                "description": "Cours collectif de hatha yoga, tapis fournis. Huit personnes au plus.",
                "steps": [(60, True, "Cours")],
            },
        ],
        "masters": [
            {
                "name": "Julien Faure",
                "color": "#2c3e50",
                "bio": "Masseur-kinésithérapeute, massages sportifs et relaxants.",
                "services": ["massage", ("deep", 10500, 0), "scrub"],
                "schedule": {
                    CANUTS: [
                        ((TUE, WED, THU, FRI, SAT), [("11:00", "20:00", [("15:00", "15:30")])])
                    ]
                },
            },
            {
                "name": "Élodie Bonnet",
                "color": "#d35400",
                "bio": "Esthéticienne, soins du visage et rituels du monde.",
                "services": ["facial", "hammam", "scrub", "massage"],
                "schedule": {
                    CANUTS: [
                        ((TUE, WED, THU, FRI), [("10:00", "18:00", [("13:00", "14:00")])]),
                        ((SUN,), [("10:00", "18:00", [("13:00", "13:30")])]),
                    ]
                },
            },
            {
                "name": "Nadia Cherif",
                "color": "#27ae60",
                "bio": "Praticienne hammam et professeure de yoga.",
                "services": [("hammam", None, 5), "massage", "yoga"],
                "schedule": {
                    CANUTS: [
                        ((WED, THU, FRI, SAT), [("10:00", "13:00", []), ("16:00", "20:00", [])]),
                        ((SUN,), [("10:00", "13:00", []), ("14:00", "18:00", [])]),
                    ]
                },
            },
        ],
        "overrides": [("Nadia Cherif", CANUTS, ("next", TUE, 3), [("14:00", "20:00")])],
        "time_off": [
            ("Julien Faure", -25, "00:00", -20, "00:00", "vacation", "Congés"),
            ("Élodie Bonnet", 19, "00:00", 20, "00:00", "training", "Formation soins anti-âge"),
        ],
        "closures": [],
    },
    "Салон красоты «Жемчуг»": {
        "settings": {
            "legal_name": "ООО «Жемчуг»",
            "registration_number": "1177746123456",
            "vat_number": "7703123456",
            "languages": ["ru"],
            "lead_time_minutes": 60,
            "slot_step_minutes": 15,
            "cancellation_window_hours": 12,
            "cancellation_fee_percent": 0,
        },
        "audience": "women",
        "opening_hours": {
            PATRIKI: [(WEEKDAYS, [("10:00", "22:00")]), ((SAT, SUN), [("10:00", "21:00")])]
        },
        "resources": [],
        "services": [
            {
                "key": "cut_women",
                "category": "womens-haircut",
                "name": "Женская стрижка",
                "price_amount": 350000,
                "weight": 4,
                "description": "Мытьё головы, стрижка и укладка феном.",
                "steps": [(15, True, "Мытьё головы"), (45, True, "Стрижка и укладка")],
            },
            {
                "key": "colour",
                "category": "colouring",
                "name": "Окрашивание в один тон",
                "price_amount": 650000,
                "price_is_from": True,
                "weight": 2,
                "steps": [
                    (30, True, "Нанесение краски"),
                    (35, False, "Выдержка"),
                    (30, True, "Мытьё и укладка"),
                ],
            },
            {
                "key": "airtouch",
                "category": "highlights",
                "name": "Окрашивание AirTouch",
                "price_amount": 1500000,
                "price_is_from": True,
                "weight": 1,
                "description": "Мягкое осветление прядей с растяжкой цвета.",
                "steps": [
                    (60, True, "Выделение прядей и нанесение"),
                    (40, False, "Выдержка"),
                    (60, True, "Тонирование и укладка"),
                ],
            },
            {
                "key": "blowdry",
                "category": "blow-dry",
                "name": "Укладка",
                "price_amount": 200000,
                "price_is_from": True,
                "weight": 2,
                "steps": [(30, True, "Укладка")],
                "variants": [
                    {
                        "name": "Короткие волосы",
                        "price_amount": 200000,
                        "steps": [(30, True, "Укладка")],
                    },
                    {
                        "name": "Средние волосы",
                        "price_amount": 250000,
                        "steps": [(40, True, "Укладка")],
                    },
                    {
                        "name": "Длинные волосы",
                        "price_amount": 300000,
                        "steps": [(50, True, "Укладка")],
                    },
                ],
            },
            {
                "key": "manicure",
                "category": "manicure",
                "name": "Аппаратный маникюр",
                "price_amount": 180000,
                "weight": 3,
                "steps": [(60, True, "Маникюр")],
            },
            {
                "key": "gel",
                "category": "gel-nails",
                "name": "Маникюр с покрытием гель-лаком",
                "price_amount": 280000,
                "weight": 4,
                "steps": [(90, True, "Маникюр и покрытие")],
            },
            {
                "key": "pedicure",
                "category": "pedicure",
                "name": "Аппаратный педикюр",
                "price_amount": 320000,
                "weight": 2,
                "steps": [(75, True, "Педикюр")],
                "buffer_after_minutes": 10,
            },
            {
                "key": "brows",
                "category": "brow-shaping",
                "name": "Коррекция и окрашивание бровей",
                "price_amount": 150000,
                "weight": 1,
                "steps": [
                    (15, True, "Коррекция"),
                    (10, False, "Выдержка краски"),
                    (10, True, "Снятие краски"),
                ],
            },
            {
                "key": "lashes",
                "category": "lash-extensions",
                "name": "Наращивание ресниц, классика",
                "price_amount": 350000,
                "requires_patch_test": True,
                "weight": 0,
                "description": "Перед первым наращиванием нужна проба на аллергию к клею.",
                "steps": [(120, True, "Наращивание")],
            },
            {
                "key": "nail_class",
                "category": "manicure",
                "name": "Мастер-класс «Маникюр дома»",
                "price_amount": 250000,
                "group_capacity": 6,
                "weight": 0,
                "description": "Групповое занятие: уход за ногтями и покрытие лаком дома. До шести человек.",
                "steps": [(90, True, "Занятие")],
            },
        ],
        "masters": [
            {
                "name": "Екатерина Иванова",
                "color": "#9b2d5f",
                "bio": "Топ-стилист, колорист, 12 лет в профессии.",
                "services": [("cut_women", 450000, 0), "colour", "airtouch", "blowdry"],
                "schedule": {
                    PATRIKI: [((MON, TUE, THU, FRI), [("10:00", "21:00", [("14:00", "14:30")])])]
                },
            },
            {
                "name": "Мария Попова",
                "color": "#1f618d",
                "bio": "Стилист-парикмахер, любит короткие стрижки.",
                "services": ["cut_women", ("colour", None, 10), "blowdry", "brows"],
                "schedule": {
                    PATRIKI: [((WED, THU, SAT, SUN), [("10:00", "21:00", [("15:00", "15:30")])])]
                },
            },
            {
                "name": "Ольга Соколова",
                "color": "#117a65",
                "bio": "Мастер маникюра и педикюра.",
                "services": ["manicure", "gel", "pedicure"],
                "schedule": {PATRIKI: [(WEEKDAYS, [("10:00", "19:00", [("14:00", "15:00")])])]},
            },
            {
                "name": "Дарья Кузнецова",
                "color": "#b9770e",
                "bio": "Мастер ногтевого сервиса, бровист и лэшмейкер.",
                "services": ["manicure", "gel", "pedicure", "brows", "lashes", "nail_class"],
                "schedule": {
                    PATRIKI: [
                        ((TUE, THU), [("10:00", "14:00", []), ("17:00", "22:00", [])]),
                        ((SAT,), [("10:00", "14:00", []), ("16:00", "21:00", [])]),
                        ((SUN,), [("12:00", "21:00", [("16:00", "16:30")])]),
                    ]
                },
            },
        ],
        "overrides": [
            ("Екатерина Иванова", PATRIKI, ("next", FRI, 3), []),
            ("Мария Попова", PATRIKI, ("next", MON, 1), [("10:00", "16:00")]),
        ],
        "time_off": [
            ("Ольга Соколова", 10, "00:00", 17, "00:00", "vacation", "Отпуск"),
            ("Дарья Кузнецова", -15, "00:00", -13, "00:00", "sickness", "Больничный"),
        ],
        "closures": [],
    },
    "Барбершоп «Борода»": {
        "settings": {
            "legal_name": "ИП Морозов Алексей Викторович",
            "registration_number": "318774600123456",
            "languages": ["ru", "en"],
            "lead_time_minutes": 30,
            "slot_step_minutes": 15,
            "cancellation_window_hours": 3,
            "cancellation_fee_percent": 0,
        },
        "audience": "men",
        "opening_hours": {TAGANKA: [(ALL_WEEK, [("10:00", "22:00")])]},
        "resources": [],
        "services": [
            {
                "key": "cut_men",
                "category": "mens-haircut",
                "name": "Мужская стрижка",
                "price_amount": 250000,
                "weight": 5,
                "description": "Стрижка ножницами и машинкой, мытьё головы и укладка.",
                "steps": [(45, True, "Стрижка")],
                "buffer_after_minutes": 5,
            },
            {
                "key": "clipper",
                "category": "mens-haircut",
                "name": "Стрижка машинкой",
                "price_amount": 150000,
                "weight": 2,
                "steps": [(30, True, "Стрижка")],
            },
            {
                "key": "beard",
                "category": "beard",
                "name": "Моделирование бороды",
                "price_amount": 180000,
                "weight": 3,
                "steps": [(30, True, "Моделирование")],
            },
            {
                "key": "shave",
                "category": "beard",
                "name": "Королевское бритьё опасной бритвой",
                "price_amount": 220000,
                "weight": 1,
                "description": "Распаривание, горячее полотенце и бритьё опасной бритвой.",
                "steps": [
                    (15, True, "Распаривание"),
                    (10, False, "Горячее полотенце"),
                    (25, True, "Бритьё"),
                ],
            },
            {
                "key": "kids",
                "category": "kids-haircut",
                "name": "Детская стрижка",
                "price_amount": 180000,
                "weight": 1,
                "steps": [(30, True, "Стрижка")],
            },
            {
                "key": "camo",
                "category": "colouring",
                "name": "Камуфляж седины",
                "price_amount": 150000,
                "weight": 1,
                "steps": [(10, True, "Нанесение"), (10, False, "Выдержка"), (10, True, "Смывание")],
            },
        ],
        "masters": [
            {
                "name": "Алексей Морозов",
                "color": "#34495e",
                "bio": "Основатель и топ-барбер, мастер фейдов.",
                "services": [("cut_men", 320000, -5), "clipper", "beard", "shave", "camo"],
                "schedule": {
                    TAGANKA: [
                        ((TUE, WED, THU, FRI, SAT), [("11:00", "21:00", [("15:00", "15:30")])])
                    ]
                },
            },
            {
                "name": "Дмитрий Лебедев",
                "color": "#7d3c98",
                "bio": "Барбер, классические стрижки и бритьё.",
                "services": ["cut_men", "clipper", "beard", "shave", "kids"],
                "schedule": {
                    TAGANKA: [
                        ((MON, WED, FRI, SUN), [("10:00", "15:00", []), ("16:00", "22:00", [])])
                    ]
                },
            },
            {
                "name": "Артём Новиков",
                "color": "#a04000",
                "bio": "Барбер, стрижки для всей семьи.",
                "services": ["cut_men", "clipper", "beard", "kids", "camo"],
                "schedule": {
                    TAGANKA: [
                        ((MON, THU, FRI, SAT, SUN), [("12:00", "22:00", [("16:30", "17:00")])])
                    ]
                },
            },
        ],
        "overrides": [("Артём Новиков", TAGANKA, ("next", TUE, 2), [("12:00", "18:00")])],
        "time_off": [
            ("Дмитрий Лебедев", -8, "00:00", -7, "00:00", "sickness", "Больничный"),
            ("Алексей Морозов", 13, "11:00", 13, "15:00", "training", "Семинар по фейдам"),
        ],
        "closures": [(TAGANKA, 29, "Санитарный день")],
    },
    "صالون لمسة ورد": {
        "settings": {
            "legal_name": "مؤسسة لمسة ورد للتجميل",
            "registration_number": "1010456789",
            "vat_number": "310123456700003",
            "languages": ["ar", "en"],
            "lead_time_minutes": 120,
            "slot_step_minutes": 15,
            "cancellation_window_hours": 24,
            "cancellation_fee_percent": 25,
            "deposit_rule": "fixed",
            "deposit_value": 10000,
        },
        "audience": "women",
        "opening_hours": {
            OLAYA: [
                (SAUDI_WEEK, [("10:00", "13:00"), ("16:00", "22:00")]),
                ((FRI,), [("16:00", "23:00")]),
            ]
        },
        "resources": [],
        "services": [
            {
                "key": "henna",
                "category": "henna",
                "name": "نقش حناء",
                "price_amount": 15000,
                "price_is_from": True,
                "weight": 4,
                "description": "نقوش خليجية وهندية بحناء طبيعية.",
                "steps": [
                    (45, True, "رسم النقش"),
                    (30, False, "تجفيف الحناء"),
                    (10, True, "التثبيت"),
                ],
                "variants": [
                    {
                        "name": "اليدين",
                        "price_amount": 15000,
                        "steps": [
                            (45, True, "رسم النقش"),
                            (30, False, "تجفيف الحناء"),
                            (10, True, "التثبيت"),
                        ],
                    },
                    {
                        "name": "اليدين والقدمين",
                        "price_amount": 25000,
                        "steps": [
                            (75, True, "رسم النقش"),
                            (30, False, "تجفيف الحناء"),
                            (15, True, "التثبيت"),
                        ],
                    },
                    {
                        "name": "نقش العروس",
                        "price_amount": 60000,
                        "steps": [
                            (120, True, "رسم النقش"),
                            (45, False, "تجفيف الحناء"),
                            (15, True, "التثبيت"),
                        ],
                    },
                ],
            },
            {
                "key": "bridal",
                "category": "bridal-makeup",
                "name": "مكياج العروس",
                "price_amount": 180000,
                "price_is_from": True,
                "requires_consultation": True,
                "buffer_before_minutes": 15,
                "weight": 0,
                "description": "يشمل جلسة استشارة مسبقة وتجربة الرموش وتثبيت المكياج.",
                "steps": [(30, True, "تحضير البشرة"), (90, True, "المكياج وتركيب الرموش")],
            },
            {
                "key": "makeup",
                "category": "makeup",
                "name": "مكياج سهرة",
                "price_amount": 45000,
                "weight": 3,
                "steps": [(60, True, "المكياج")],
            },
            {
                "key": "cut",
                "category": "womens-haircut",
                "name": "قص شعر نسائي",
                "price_amount": 20000,
                "weight": 2,
                "steps": [(45, True, "القص")],
            },
            {
                "key": "blowdry",
                "category": "blow-dry",
                "name": "سشوار",
                "price_amount": 8000,
                "price_is_from": True,
                "weight": 3,
                "steps": [(30, True, "سشوار")],
                "variants": [
                    {"name": "شعر قصير", "price_amount": 8000, "steps": [(30, True, "سشوار")]},
                    {"name": "شعر متوسط", "price_amount": 10000, "steps": [(40, True, "سشوار")]},
                    {"name": "شعر طويل", "price_amount": 13000, "steps": [(50, True, "سشوار")]},
                ],
            },
            {
                "key": "colour",
                "category": "colouring",
                "name": "صبغة شعر كاملة",
                "price_amount": 35000,
                "price_is_from": True,
                "weight": 2,
                "steps": [
                    (30, True, "وضع الصبغة"),
                    (40, False, "وقت التفاعل"),
                    (30, True, "الغسيل والتجفيف"),
                ],
            },
            {
                "key": "brows",
                "category": "brow-shaping",
                "name": "تشقير وتشكيل الحواجب",
                "price_amount": 6000,
                "weight": 1,
                "steps": [(20, True, "التشكيل")],
            },
        ],
        "masters": [
            {
                "name": "هيفاء الشمري",
                "color": "#7b241c",
                "bio": "فنانة حناء، متخصصة في نقش العرائس.",
                "services": ["henna", "brows"],
                "schedule": {
                    OLAYA: [
                        (
                            (SAT, SUN, MON, TUE, WED),
                            [("10:00", "13:00", []), ("16:00", "22:00", [("18:45", "19:15")])],
                        )
                    ]
                },
            },
            {
                "name": "ريم الدوسري",
                "color": "#6c3483",
                "bio": "خبيرة مكياج عرائس ومناسبات.",
                "services": [("bridal", 220000, 0), "makeup", "brows"],
                "schedule": {
                    OLAYA: [
                        ((SUN, MON, TUE, WED, THU), [("16:00", "22:00", [("18:45", "19:15")])]),
                        ((FRI,), [("16:00", "23:00", [("18:45", "19:15")])]),
                    ]
                },
            },
            {
                "name": "لطيفة الحربي",
                "color": "#1a5276",
                "bio": "مصففة شعر وخبيرة ألوان.",
                "services": ["cut", "blowdry", "colour"],
                "schedule": {
                    OLAYA: [(SAUDI_WEEK, [("10:00", "13:00", []), ("16:00", "21:00", [])])]
                },
            },
            {
                "name": "منال الزهراني",
                "color": "#0e6655",
                "bio": "مصففة شعر وفنانة حناء.",
                "services": ["cut", "blowdry", ("henna", None, 10), "brows", "makeup"],
                "schedule": {
                    OLAYA: [
                        ((MON, TUE, WED, THU), [("16:00", "22:00", [("19:00", "19:30")])]),
                        ((FRI,), [("16:00", "23:00", [])]),
                        ((SAT,), [("10:00", "13:00", []), ("16:00", "22:00", [])]),
                    ]
                },
            },
        ],
        "overrides": [("ريم الدوسري", OLAYA, ("next", SAT, 2), [("10:00", "13:00")])],
        "time_off": [
            ("لطيفة الحربي", -22, "00:00", -17, "00:00", "vacation", "إجازة سنوية"),
            ("هيفاء الشمري", 8, "10:00", 8, "13:00", "training", "دورة نقش حناء"),
        ],
        "closures": [],
    },
    "سبا الواحة": {
        "settings": {
            "legal_name": "شركة سبا الواحة",
            "registration_number": "1010987654",
            "vat_number": "310987654300003",
            "languages": ["ar", "en"],
            "lead_time_minutes": 120,
            "slot_step_minutes": 30,
            "cancellation_window_hours": 24,
            "cancellation_fee_percent": 50,
            "deposit_rule": "percent",
            "deposit_value": 20,
        },
        "audience": "women",
        "opening_hours": {
            NAKHEEL: [(SAUDI_WEEK, [("12:00", "23:00")]), ((FRI,), [("14:00", "23:00")])]
        },
        "resources": [
            ("غرفة مساج", NAKHEEL, "غرفة الياسمين", 1),
            ("غرفة مساج", NAKHEEL, "غرفة العود", 1),
            ("حمام مغربي", NAKHEEL, "الحمام المغربي", 3),
        ],
        "services": [
            {
                "key": "hammam",
                "category": "hammam",
                "name": "حمام مغربي ملكي",
                "price_amount": 30000,
                "weight": 4,
                "resource_types": ["حمام مغربي"],
                "buffer_after_minutes": 10,
                "description": "صابون بلدي وبخار ثم تقشير بالكيس المغربي وماسك الغاسول.",
                "steps": [
                    (15, True, "التحضير والصابون البلدي"),
                    (20, False, "البخار"),
                    (30, True, "التقشير بالكيس"),
                ],
            },
            {
                "key": "massage",
                "category": "relaxing-massage",
                "name": "مساج استرخائي بالزيوت العطرية",
                "price_amount": 35000,
                "price_is_from": True,
                "weight": 3,
                "resource_types": ["غرفة مساج"],
                "buffer_after_minutes": 15,
                "steps": [(60, True, "المساج")],
                "variants": [
                    {"name": "60 دقيقة", "price_amount": 35000, "steps": [(60, True, "المساج")]},
                    {"name": "90 دقيقة", "price_amount": 48000, "steps": [(90, True, "المساج")]},
                ],
            },
            {
                "key": "deep",
                "category": "deep-tissue",
                "name": "مساج الأنسجة العميقة",
                "price_amount": 42000,
                "weight": 1,
                "resource_types": ["غرفة مساج"],
                "buffer_after_minutes": 15,
                "steps": [(60, True, "المساج")],
            },
            {
                "key": "facial",
                "category": "facial",
                "name": "تنظيف بشرة عميق",
                "price_amount": 28000,
                "weight": 2,
                "resource_types": ["غرفة مساج"],
                "steps": [
                    (20, True, "التنظيف"),
                    (15, False, "القناع"),
                    (40, True, "التقشير والترطيب"),
                ],
            },
            {
                "key": "scrub",
                "category": "body-scrub",
                "name": "تقشير الجسم بالسكر والعسل",
                "price_amount": 25000,
                "weight": 1,
                "resource_types": ["غرفة مساج"],
                "steps": [(45, True, "التقشير")],
            },
        ],
        "masters": [
            {
                "name": "فاطمة المطيري",
                "color": "#943126",
                "bio": "أخصائية حمام مغربي.",
                "services": ["hammam", "scrub"],
                "schedule": {
                    NAKHEEL: [
                        (
                            (SAT, SUN, MON, TUE, WED),
                            [("12:00", "16:00", []), ("18:00", "23:00", [])],
                        )
                    ]
                },
            },
            {
                "name": "أمل السبيعي",
                "color": "#5b2c6f",
                "bio": "أخصائية مساج علاجي واسترخائي.",
                "services": ["massage", ("deep", 46000, 0), "scrub"],
                "schedule": {
                    NAKHEEL: [
                        ((SUN, MON, TUE, WED, THU, FRI), [("14:00", "23:00", [("18:30", "19:00")])])
                    ]
                },
            },
            {
                "name": "جميلة العنزي",
                "color": "#1e8449",
                "bio": "أخصائية عناية بالبشرة.",
                "services": ["facial", "massage", ("hammam", None, 5)],
                "schedule": {
                    NAKHEEL: [
                        ((MON, TUE, WED, THU), [("12:00", "20:00", [("16:00", "16:30")])]),
                        ((SAT,), [("12:00", "20:00", [])]),
                    ]
                },
            },
        ],
        "overrides": [("فاطمة المطيري", NAKHEEL, ("next", THU, 3), [("14:00", "20:00")])],
        "time_off": [("أمل السبيعي", -6, "00:00", -5, "00:00", "sickness", "إجازة مرضية")],
        "closures": [],
    },
}
