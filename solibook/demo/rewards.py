"""Loyalty and referral rewards at the front desk (issue #15, point 3): at
Atelier Lumière the loyalty programme is on, walk-ins (client cards with no
online account) already hold points from a visit paid at the desk, and
friends Emma referred hold the €10 voucher her link gave them. Each has a
visit coming up that the desk checks out, spending the points or the voucher
(the journey `test_walk_in_earns_and_spends_at_the_desk`, one pair per
language it runs in)."""

from datetime import timedelta

from django.contrib.auth.hashers import make_password

from solibook.accounts.models import User
from solibook.booking.models import Source
from solibook.booking.selectors import ItemSpec
from solibook.core.tenancy import business_scope
from solibook.demo.catalogue import clock
from solibook.demo.catalogue_data import MARAIS
from solibook.demo.data import DEMO_PASSWORD
from solibook.loyalty import services as loyalty
from solibook.loyalty.models import PointsKind
from solibook.referrals import services as referrals

SALON = "Atelier Lumière"
SERVICE = "blowdry"
POINTS_PER_EURO = 1
POINT_VALUE = 10  # cents: 100 points take €10 off the bill
WALK_IN_POINTS = 200
FRIEND_VOUCHER = 1000  # cents
REFERRER = "client@solibook.demo"

# (walk-in's name, phone) and (friend's name, e-mail), one pair per journey language.
WALK_INS = [
    ("Inès Garnier", "+33611220001"),
    ("Ольга Лебедева", "+33611220002"),
]
FRIENDS = [
    ("Élodie Fabre", "elodie.fabre@solibook.demo"),
    ("Мария Орлова", "maria.orlova@solibook.demo"),
]


def add_desk_rewards(maker, places: dict) -> None:
    """Run inside `make_visits` (before the everyday visits fill the calendar)."""
    place = places[MARAIS]
    business = place.business
    specs = [ItemSpec(service_id=place.catalogue.services[SERVICE].pk)]
    with business_scope(business):
        loyalty.programme_update(
            business=business,
            is_active=True,
            points_per_unit=POINTS_PER_EURO,
            point_value=POINT_VALUE,
        )
        referrals.programme_update(
            business=business,
            is_active=True,
            friend_reward_kind="discount",
            friend_reward_value=FRIEND_VOUCHER,
            referrer_reward_kind="points",
            referrer_reward_value=100,
        )
    for n, (name, phone) in enumerate(WALK_INS):
        past = maker._nearest(place, specs, -10 - n, clock("11:00"), past=True)
        coming = maker._nearest(place, specs, 1 + n, clock("10:00"), past=False)
        if past is None or coming is None:
            maker.missed.append(f"walk-in {name}: no free time")
            continue
        with business_scope(business):
            first = maker.book(
                place,
                specs,
                past,
                source=Source.BACK_OFFICE,
                outcome="completed",
                name=name,
                phone=phone,
            )
            loyalty.points_grant(
                business=business,
                client=first.client_card,
                points=WALK_IN_POINTS,
                kind=PointsKind.EARN,
                key=f"earn:{first.pk}",
                appointment=first,
                now=first.ends_at,
            )
            maker.book(
                place,
                specs,
                coming,
                source=Source.BACK_OFFICE,
                outcome="confirmed",
                name=name,
                phone=phone,
            )
    referrer = maker.users[REFERRER]
    password = make_password(DEMO_PASSWORD)
    for n, (name, email) in enumerate(FRIENDS):
        coming = maker._nearest(place, specs, 2 + n, clock("15:00"), past=False)
        if coming is None:
            maker.missed.append(f"friend {name}: no free time")
            continue
        friend = User.objects.create(
            email=email,
            password=password,
            full_name=name,
            language="fr",
            time_zone="Europe/Paris",
            email_verified_at=maker.now - timedelta(days=3),
        )
        with business_scope(business):
            code = referrals.code_personal(business=business, owner=referrer, now=maker.now)
            visit = maker.book(
                place,
                specs,
                coming,
                source=Source.MARKETPLACE,
                outcome="confirmed",
                account=friend,
            )
            referrals.referral_attach(
                appointment=visit,
                code=code.code,
                friend=friend,
                ip=f"198.51.100.{10 + n}",
                user_agent=f"Demo friend {n}",
                now=maker.now - timedelta(days=3),
            )
