"""Who visits the demo salons, and how often, as plain data.

Days are offsets from today in the location's time zone; times are local.
"""

from solibook.demo.catalogue_data import (
    BATIGNOLLES,
    CANUTS,
    MARAIS,
    NAKHEEL,
    OBERKAMPF,
    OLAYA,
    PATRIKI,
    TAGANKA,
)

# Average visits a day the demo invents per location (more around today,
# so this week's calendars look busy).
VISITS_PER_DAY = {
    MARAIS: 1.3, BATIGNOLLES: 0.7, OBERKAMPF: 0.7, CANUTS: 0.6,
    PATRIKI: 0.9, TAGANKA: 1.0, OLAYA: 0.6, NAKHEEL: 0.5,
}
PAST_DAYS = 60
FUTURE_DAYS = 30
NEAR_DAYS = 7  # within a week of today the calendars are twice as full

# The demo clients' own history and plans:
# (client e-mail, location, [(service key, variant name, master name)], day, preferred local time, source, outcome)
CLIENT_VISITS = [
    ("client@solibook.demo", MARAIS, [("balayage", None, "Léa Martin")], -41, "10:00", "marketplace", "completed"),
    ("client@solibook.demo", CANUTS, [("massage", "90 minutes", None)], -27, "15:00", "marketplace", "no_show"),
    ("client@solibook.demo", OBERKAMPF, [("semi", "Mains", None)], -19, "18:00", "booking_link", "completed"),
    ("client@solibook.demo", BATIGNOLLES, [("blowdry", "Cheveux longs", None)], -9, "12:00", "booking_link", "cancelled_by_client"),
    ("client@solibook.demo", MARAIS, [("cut_women", None, "Chloé Dubois")], -4, "17:30", "back_office", "completed"),
    ("client@solibook.demo", MARAIS, [("keratin", None, "Léa Martin")], 6, "10:00", "marketplace", "confirmed"),
    ("client@solibook.demo", CANUTS, [("scrub", None, None), ("massage", "60 minutes", None)], 12, "14:00", "marketplace", "confirmed"),
    ("client@solibook.demo", OBERKAMPF, [("pedicure", None, None)], 21, "11:00", "booking_link", "confirmed"),
    ("client.moscow@solibook.demo", PATRIKI, [("colour", None, "Екатерина Иванова")], -35, "12:00", "marketplace", "completed"),
    ("client.moscow@solibook.demo", PATRIKI, [("gel", None, None)], -14, "19:00", "booking_link", "completed"),
    ("client.moscow@solibook.demo", PATRIKI, [("blowdry", "Длинные волосы", None)], -6, "11:00", "marketplace", "cancelled_by_client"),
    ("client.moscow@solibook.demo", PATRIKI, [("gel", None, None), ("pedicure", None, None)], 3, "15:00", "marketplace", "confirmed"),
    ("client.moscow@solibook.demo", PATRIKI, [("cut_women", None, "Екатерина Иванова")], 15, "18:00", "booking_link", "confirmed"),
    ("client.riyadh@solibook.demo", OLAYA, [("henna", "اليدين", "هيفاء الشمري")], -30, "17:00", "marketplace", "completed"),
    ("client.riyadh@solibook.demo", NAKHEEL, [("hammam", None, None)], -16, "20:00", "booking_link", "completed"),
    ("client.riyadh@solibook.demo", OLAYA, [("makeup", None, None)], -3, "20:00", "marketplace", "cancelled_by_salon"),
    ("client.riyadh@solibook.demo", NAKHEEL, [("massage", "60 دقيقة", None)], 5, "19:30", "marketplace", "confirmed"),
    ("client.riyadh@solibook.demo", OLAYA, [("bridal", None, "ريم الدوسري")], 18, "17:00", "back_office", "confirmed"),
]

# Demo clients who passed a patch test or had a consultation approved
# (what the services requiring them check): (client, business, service key, days ago).
PATCH_TESTS = [("client@solibook.demo", "Atelier Lumière", "keratin", 12)]
CONSULTATIONS = [
    ("client.riyadh@solibook.demo", "صالون لمسة ورد", "bridal",
     {"نوع البشرة": "مختلطة", "حساسية": "لا يوجد", "موعد الزفاف": "بعد شهر", "الأسلوب المفضل": "مكياج ناعم وطبيعي"}),
]

# Invented clients by country: (women's first names, men's first names, family names for women, for men).
CLIENT_NAMES = {
    "FR": (
        ["Emma", "Louise", "Chloé", "Inès", "Léna", "Manon", "Camille", "Juliette", "Alice", "Clara", "Zoé", "Anaïs", "Pauline",
         "Margaux", "Nathalie", "Isabelle", "Sophie", "Élise", "Agathe", "Hélène", "Salomé", "Maëlle"],
        ["Thomas", "Lucas", "Hugo", "Nicolas", "Antoine", "Julien", "Maxime", "Karim", "Théo", "Mathis", "Paul", "Raphaël", "Yanis"],
        ["Martin", "Bernard", "Dubois", "Durand", "Lefebvre", "Moreau", "Laurent", "Simon", "Michel", "Garcia", "Fontaine", "Rousseau",
         "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Perrin", "Morin", "Mathieu", "Clément", "Gauthier", "Mercier", "Lambert"],
        None,
    ),
    "RU": (
        ["Анна", "Мария", "Екатерина", "Елена", "Ольга", "Наталья", "Татьяна", "Юлия", "Дарья", "Алина", "Ксения", "Полина", "Виктория", "Светлана"],
        ["Александр", "Дмитрий", "Максим", "Сергей", "Андрей", "Алексей", "Артём", "Илья", "Кирилл", "Михаил", "Никита", "Иван"],
        ["Иванова", "Смирнова", "Кузнецова", "Попова", "Васильева", "Петрова", "Соколова", "Михайлова", "Новикова", "Фёдорова",
         "Морозова", "Волкова", "Алексеева", "Лебедева"],
        ["Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов", "Новиков", "Фёдоров", "Морозов", "Волков"],
    ),
    "SA": (
        ["نورة", "سارة", "ريم", "لمى", "هيا", "جود", "دانة", "شهد", "العنود", "منيرة", "رهف", "غادة", "أسماء", "مشاعل"],
        ["عبدالله", "محمد", "فهد", "سلطان", "خالد", "تركي", "فيصل", "نايف"],
        ["العتيبي", "الشهري", "الغامدي", "الدوسري", "القحطاني", "الحربي", "المطيري", "الزهراني", "العنزي", "الشمري", "السبيعي",
         "العمري", "البقمي", "التميمي"],
        None,
    ),
}
# Mobile numbers: (prefix, digits after it).
PHONE_FORMATS = {"FR": ("+336", 8), "RU": ("+79", 9), "SA": ("+9665", 8)}

NOTES = {
    "FR": ["Première visite", "Préfère un thé vert", "Allergie au latex", "Vient avec sa fille", "Cheveux très épais", "Souhaite un conseil couleur"],
    "RU": ["Первый визит", "Пришла по рекомендации", "Аллергия на латекс", "Предпочитает зелёный чай", "Просила напомнить за день"],
    "SA": ["الزيارة الأولى", "تفضل القهوة العربية", "حساسية من اللاتكس", "مناسبة عائلية", "تحتاج فاتورة ضريبية"],
}
CANCEL_REASONS = {
    "FR": {"client": ["Empêchement de dernière minute", "Malade", "Contrainte professionnelle"], "salon": ["Coiffeuse absente, rendez-vous à replanifier"]},
    "RU": {"client": ["Изменились планы", "Заболела", "Не успеваю с работы"], "salon": ["Мастер заболел, перенесём визит"]},
    "SA": {"client": ["ظرف طارئ", "تغيّرت الخطط", "مريضة"], "salon": ["اعتذار الخبيرة، سنحدد موعداً آخر"]},
}
