"""The demo lets the desk spend a card's rewards (issue #15, point 3): at
Atelier Lumière loyalty is on, each walk-in card (no account) holds 200
points and has a visit to check out, each friend Emma referred holds a usable
€10 voucher on her card and has a visit to check out."""

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from solibook.booking.models import Appointment, Status
from solibook.clients.models import Client
from solibook.demo.rewards import FRIEND_VOUCHER, FRIENDS, SALON, WALK_IN_POINTS, WALK_INS
from solibook.loyalty import selectors as loyalty
from solibook.referrals.selectors import vouchers_usable

pytestmark = pytest.mark.django_db


def upcoming(card) -> bool:
    return Appointment.objects.filter(
        client_card=card, status=Status.CONFIRMED, starts_at__gt=timezone.now()
    ).exists()


def test_walk_ins_hold_points_and_friends_a_voucher_with_a_visit_to_check_out(demo):
    now = timezone.now()
    with scopes_disabled():
        for _name, phone in WALK_INS:
            # By phone: the demo's random clients may share a first name (another Inès).
            card = Client.objects.get(business__name=SALON, phone=phone)
            assert card.user_id is None
            assert loyalty.programme_for(business=card.business).is_active
            assert loyalty.points_balance_of(business=card.business, client=card) == WALK_IN_POINTS
            assert upcoming(card)
        for name, email in FRIENDS:
            card = Client.objects.get(business__name=SALON, user__email=email)
            assert [v.amount for v in vouchers_usable(client=card, now=now)] == [FRIEND_VOUCHER]
            assert upcoming(card), name
