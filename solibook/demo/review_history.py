"""Demo reviews in four languages, for review analysis (issue #20, point 5).

- Every demo salon: about half of its completed visits with an online account are reviewed
  through `reviews.services.review_create` (the client of the visit, once, 1-5 stars), dated
  a few hours to three days after the visit.
- The history salon (a year of visits, `demo.history`): its visits are walk-in cards without
  an account, so their reviews are written as rows that keep the reviews app's rules (a
  completed visit, one review each, 1-5 stars, the visit's location, dated after it) with the
  card's first name shown and no author account. Known structure: the welcome and the result
  are strengths, punctuality and (after the price rise) price are weaknesses, one master's
  bad spell four to six months ago makes a dip in the trend, and the last three reviews are
  bad ones for the same master (one alert for the salon, one for the master).

The texts are the demo's own sentences (not the labelled training set). The reviews are read
by a task after the seed commits (`reviewanalysis.tasks.analyse_business_reviews`), as a new
review is; `manage.py analyse_reviews` reads them at once.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from functools import partial

from django.db import transaction
from django_scopes import scopes_disabled

from solibook.booking.models import Appointment, AppointmentItem, Status
from solibook.reviewanalysis.tasks import analyse_business_reviews
from solibook.reviews.models import Review
from solibook.reviews.services import review_create

# (aspect, polarity) → sentences, per language. Written for the demo.
PHRASES: dict[str, dict[tuple[str, str], list[str]]] = {
    "en": {
        ("welcome", "pos"): [
            "Such a friendly team at the door",
            "They made me a lovely coffee and chatted with me",
        ],
        ("welcome", "neg"): ["The front desk barely looked at me", "Nobody greeted me at all"],
        ("result", "pos"): [
            "My colour is exactly the shade I wanted",
            "The cut grows out beautifully",
        ],
        ("result", "neg"): ["The ends were left uneven", "The colour faded after one wash"],
        ("cleanliness", "pos"): ["Everything was sparkling clean"],
        ("cleanliness", "neg"): ["The basin area was not clean"],
        ("price", "pos"): ["Honest prices"],
        ("price", "neg"): [
            "Prices went up and it is now too expensive",
            "Much pricier than last year",
        ],
        ("punctuality", "pos"): ["Started exactly on time"],
        ("punctuality", "neg"): [
            "I waited half an hour past my time",
            "They were running very late again",
        ],
        ("master", "pos"): ["My stylist is patient and really talented"],
        ("master", "neg"): ["The stylist was in a hurry and did not listen"],
        ("none", "pos"): ["Will definitely be back", "Thank you so much"],
        ("none", "neg"): ["Not worth it", "I am not coming back"],
    },
    "fr": {
        ("welcome", "pos"): [
            "Une équipe adorable dès l'entrée",
            "On m'a servi un bon café avec le sourire",
        ],
        ("welcome", "neg"): ["L'accueil m'a à peine regardée", "Personne ne m'a saluée"],
        ("result", "pos"): [
            "Ma couleur est exactement la nuance voulue",
            "La coupe repousse joliment",
        ],
        ("result", "neg"): [
            "Les pointes sont restées inégales",
            "La couleur a passé au premier shampoing",
        ],
        ("cleanliness", "pos"): ["Tout était d'une propreté impeccable"],
        ("cleanliness", "neg"): ["L'espace des bacs n'était pas propre"],
        ("price", "pos"): ["Des prix honnêtes"],
        ("price", "neg"): [
            "Les prix ont augmenté, c'est devenu trop cher",
            "Bien plus cher que l'an dernier",
        ],
        ("punctuality", "pos"): ["Commencé pile à l'heure"],
        ("punctuality", "neg"): [
            "J'ai attendu une demi-heure après mon heure",
            "Encore beaucoup de retard",
        ],
        ("master", "pos"): ["Ma coiffeuse est patiente et vraiment douée"],
        ("master", "neg"): ["La coiffeuse était pressée et n'a pas écouté"],
        ("none", "pos"): ["Je reviendrai sans hésiter", "Merci infiniment"],
        ("none", "neg"): ["Ça ne vaut pas le coup", "Je ne reviendrai pas"],
    },
    "ru": {
        ("welcome", "pos"): [
            "Очень дружелюбные девочки на входе",
            "Угостили вкусным кофе и было о чём поболтать",
        ],
        ("welcome", "neg"): [
            "На ресепшене на меня даже не посмотрели",
            "Со мной никто не поздоровался",
        ],
        ("result", "pos"): [
            "Цвет получился ровно тот оттенок, что я хотела",
            "Стрижка красиво отрастает",
        ],
        ("result", "neg"): ["Кончики остались неровными", "Цвет смылся после первого мытья"],
        ("cleanliness", "pos"): ["Везде идеально чисто"],
        ("cleanliness", "neg"): ["У моек было грязновато"],
        ("price", "pos"): ["Честные цены"],
        ("price", "neg"): [
            "Цены подняли, теперь слишком дорого",
            "Намного дороже, чем в прошлом году",
        ],
        ("punctuality", "pos"): ["Начали минута в минуту"],
        ("punctuality", "neg"): ["Ждала полчаса после своего времени", "Опять сильно задержали"],
        ("master", "pos"): ["Мой мастер терпеливая и очень талантливая"],
        ("master", "neg"): ["Мастер торопилась и не слушала"],
        ("none", "pos"): ["Обязательно вернусь", "Огромное спасибо"],
        ("none", "neg"): ["Не стоит своих денег", "Больше не приду"],
    },
    "ar": {
        ("welcome", "pos"): ["فريق ودود جدا عند المدخل", "قدموا لي قهوة لذيذة وتحدثوا معي بلطف"],
        ("welcome", "neg"): ["موظفة الاستقبال لم تنظر إلي تقريبا", "لم يرحب بي أحد"],
        ("result", "pos"): ["اللون هو الدرجة التي أردتها تماما", "القصة تنمو بشكل جميل"],
        ("result", "neg"): ["بقيت الأطراف غير متساوية", "بهت اللون بعد أول غسلة"],
        ("cleanliness", "pos"): ["كل شيء كان نظيفا ولامعا"],
        ("cleanliness", "neg"): ["منطقة المغاسل لم تكن نظيفة"],
        ("price", "pos"): ["أسعار عادلة"],
        ("price", "neg"): ["ارتفعت الأسعار وأصبحت غالية جدا", "أغلى بكثير من العام الماضي"],
        ("punctuality", "pos"): ["بدأوا في الموعد بالضبط"],
        ("punctuality", "neg"): ["انتظرت نصف ساعة بعد موعدي", "تأخروا كثيرا مرة أخرى"],
        ("master", "pos"): ["مصففتي صبورة وموهوبة حقا"],
        ("master", "neg"): ["كانت المصففة مستعجلة ولم تستمع"],
        ("none", "pos"): ["سأعود بالتأكيد", "شكرا جزيلا"],
        ("none", "neg"): ["لا يستحق", "لن أعود"],
    },
}
# Languages clients write in, by the salon's country.
LANGUAGE_MIX = {
    "FR": {"fr": 0.7, "en": 0.2, "ar": 0.05, "ru": 0.05},
    "RU": {"ru": 0.75, "en": 0.15, "fr": 0.05, "ar": 0.05},
    "SA": {"ar": 0.7, "en": 0.2, "fr": 0.1},
}
# How likely each aspect is praised (else criticised) at a salon in normal times.
PRAISE = {
    "welcome": 0.92,
    "result": 0.88,
    "cleanliness": 0.85,
    "master": 0.85,
    "price": 0.55,
    "punctuality": 0.35,
}
REVIEW_SHARE = 0.5  # of completed visits with an account (the demo salons)
HISTORY_SHARE = 0.3  # of the history salon's completed visits


def _language(rng: random.Random, country: str) -> str:
    mix = LANGUAGE_MIX.get(country, LANGUAGE_MIX["FR"])
    return rng.choices(list(mix), weights=list(mix.values()))[0]


def _compose(rng: random.Random, language: str, *, bad: bool, praise: dict) -> tuple[str, int]:
    """A review's text and stars: two or three sentences about aspects, praised or criticised
    according to `praise` (all criticised for a bad one)."""
    aspects = rng.sample(list(praise), k=rng.choice((1, 2, 2, 3)))
    polarities = {
        a: "neg" if bad else ("pos" if rng.random() < praise[a] else "neg") for a in aspects
    }
    if not bad and all(p == "neg" for p in polarities.values()):
        polarities[aspects[0]] = "pos"  # a good visit is praised for something
    bank = PHRASES[language]
    parts = [rng.choice(bank[(a, p)]) for a, p in polarities.items()]
    negatives = sum(p == "neg" for p in polarities.values())
    if bad:
        stars = rng.choice((1, 2))
    elif negatives == 0:
        stars = rng.choice((4, 5, 5))
    elif negatives < len(polarities):
        stars = rng.choice((3, 4))
    else:
        stars = 3
    if rng.random() < 0.5:
        parts.append(rng.choice(bank[("none", "neg" if stars <= 2 else "pos")]))
    return ". ".join(parts) + ".", stars


def _masters(appointment_ids: list[int]) -> dict[int, int]:
    return dict(
        AppointmentItem.objects.filter(appointment_id__in=appointment_ids)
        .filter(master__isnull=False)
        .order_by("appointment_id", "position")
        .values_list("appointment_id", "master_id")
    )


# The demo's sign-in logins (client@solibook.demo…) keep their visits unreviewed: a newcomer
# (and the review journey) writes the first review of a visit from the client account.
DEMO_LOGIN_DOMAIN = "@solibook.demo"


def _reviews_for_accounts(rng: random.Random, business, now: datetime) -> int:
    visits = list(
        Appointment.objects.filter(
            business=business, status=Status.COMPLETED, account__isnull=False, review__isnull=True
        )
        .exclude(account__email__endswith=DEMO_LOGIN_DOMAIN)
        .select_related("account")
        .order_by("ends_at", "pk")
    )
    count = 0
    for visit in visits:
        if rng.random() > REVIEW_SHARE:
            continue
        language = getattr(visit.account, "language", "") or "en"
        language = language if language in PHRASES else "en"
        text, stars = _compose(rng, language, bad=False, praise=PRAISE)
        review = review_create(user=visit.account, appointment_id=visit.pk, rating=stars, text=text)
        moment = min(visit.ends_at + timedelta(hours=rng.uniform(2, 72)), now)
        Review.objects.filter(pk=review.pk).update(created_at=moment)
        count += 1
    return count


def _history_reviews(rng: random.Random, business, now: datetime) -> int:
    """The history salon's year: a trend, strengths, weaknesses and one run of bad reviews."""
    visits = list(
        Appointment.objects.filter(
            business=business, status=Status.COMPLETED, review__isnull=True, ends_at__lt=now
        )
        .exclude(account__email__endswith=DEMO_LOGIN_DOMAIN)
        .select_related("client_card")
        .order_by("ends_at", "pk")
    )
    if not visits:
        return 0
    masters = _masters([v.pk for v in visits])
    # The alert: the last three visits of the last visit's master, all reviewed badly, dated
    # after every other review of the year.
    alert_master = masters.get(visits[-1].pk)
    final_run = [v for v in visits if masters.get(v.pk) == alert_master][-3:]
    run_start = now - timedelta(days=3, hours=2)
    spell_master = max(set(masters.values()), key=list(masters.values()).count)
    rows: list[Review] = []
    last_bad: dict[object, int] = {"salon": 0}
    for visit in visits:
        if visit in final_run or visit.ends_at > run_start - timedelta(hours=3):
            continue
        if rng.random() > HISTORY_SHARE:
            continue
        days_ago = (now - visit.ends_at).days
        master = masters.get(visit.pk)
        praise = dict(PRAISE)
        if 120 <= days_ago <= 180 and master == spell_master:  # a bad spell: the dip
            praise.update(result=0.3, master=0.25, punctuality=0.15)
        if days_ago < 150:  # after the price rise
            praise["price"] = 0.3
        bad = rng.random() < (0.35 if praise["master"] < 0.5 else 0.06)
        if bad and (last_bad["salon"] >= 2 or last_bad.get(master, 0) >= 2):
            bad = False  # no accidental run of three: the one alert is the final run
        for key in ("salon", master):
            last_bad[key] = last_bad.get(key, 0) + 1 if bad else 0
        moment = min(
            visit.ends_at + timedelta(hours=rng.uniform(2, 72)), run_start - timedelta(hours=1)
        )
        rows.append(_history_row(rng, business, visit, moment, bad=bad, praise=praise))
    for i, visit in enumerate(final_run):
        moment = max(run_start + timedelta(days=i), visit.ends_at + timedelta(hours=1))
        rows.append(_history_row(rng, business, visit, min(moment, now), bad=True, praise=PRAISE))
    moments = [r.created_at for r in rows]
    Review.objects.bulk_create(rows, batch_size=500)  # auto_now_add stamps "now" here…
    for row, moment in zip(rows, moments, strict=True):
        row.created_at = moment
    Review.objects.bulk_update(rows, ["created_at"], batch_size=500)  # …so the dates go back
    return len(rows)


def _history_row(rng, business, visit, moment, *, bad: bool, praise: dict) -> Review:
    text, stars = _compose(rng, _language(rng, business.country), bad=bad, praise=praise)
    card = visit.client_card
    name = (card.full_name.split(" ")[0] if card and card.full_name else "") or "Client"
    return Review(
        business=business,
        appointment=visit,
        location_id=visit.location_id,
        author=None,
        author_name=name[:80],
        rating=stars,
        text=text,
        created_at=moment,
    )


def seed_review_history(catalogues: dict, *, now: datetime, seed: int, history_slug: str) -> int:
    """Reviews for every demo salon (and the history salon's year when it was written)."""
    rng = random.Random(seed + 20)
    count = 0
    with scopes_disabled():
        for catalogue in catalogues.values():
            business = catalogue.business
            count += _reviews_for_accounts(rng, business, now)
            if business.slug == history_slug:
                count += _history_reviews(rng, business, now)
            business_id = business.pk
            transaction.on_commit(
                partial(analyse_business_reviews.enqueue, business_id=business_id)
            )
    return count
