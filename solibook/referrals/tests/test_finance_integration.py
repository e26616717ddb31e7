"""Through finance's real checkout and refund: tenders and signals drive the rewards."""

from datetime import timedelta

import pytest
from django_scopes import scopes_disabled

from solibook.core.errors import ValidationFailed
from solibook.core.tenancy import business_scope
from solibook.finance import ledger
from solibook.finance.models import Payment
from solibook.finance.services.checkout import TenderIn, checkout_complete
from solibook.finance.services.refunds import refund_create
from solibook.loyalty import selectors as loyalty_selectors
from solibook.loyalty import services as loyalty
from solibook.loyalty.models import PointsKind
from solibook.referrals import services
from solibook.referrals.models import Referral, ReferralStatus
from solibook.testing.booking import client_books
from solibook.testing.cards import card_of, spendable_of, wallet_of
from solibook.testing.factories import UserFactory
from solibook.testing.referrals import open_programme
from solibook.testing.salon import NOW

pytestmark = pytest.mark.django_db


def pay(salon, appointment, tenders, total=4500):
    with business_scope(salon.business):
        return checkout_complete(
            business=salon.business,
            location_id=salon.location.pk,
            currency="EUR",
            now=NOW,
            appointment_id=appointment.pk,
            shown_total=total,
            tenders=tenders,
        )


def test_paid_checkout_rewards_referrer_and_full_refund_claws_back(
    salon, django_capture_on_commit_callbacks
):
    open_programme(salon)
    with business_scope(salon.business):
        loyalty.programme_update(business=salon.business, is_active=True, points_per_unit=1)
        referrer, friend = UserFactory(), UserFactory()
        code = services.code_personal(business=salon.business, owner=referrer, now=NOW)
    appointment = client_books(salon, friend)
    with business_scope(salon.business):
        referral = services.referral_attach(
            appointment=appointment, code=code.code, friend=friend, now=NOW
        )
    with django_capture_on_commit_callbacks(execute=True):
        checkout = pay(
            salon, appointment, [TenderIn("wallet_credit", 1000), TenderIn("card", 3500)]
        )
    with scopes_disabled():
        referral.refresh_from_db()
    assert referral.status == ReferralStatus.REWARDED and referral.paid_amount == 3500
    now = NOW + timedelta(days=1)
    balance = loyalty_selectors.wallet_balance(account=wallet_of(salon.business, referrer), now=now)
    assert balance.pending == 1500
    assert spendable_of(salon.business, friend, now) == 0  # welcome credit spent at the checkout
    with business_scope(salon.business):
        assert (
            loyalty_selectors.points_balance_of(
                business=salon.business, client=card_of(salon.business, friend)
            )
            == 35
        )  # cash part only
    assert (
        ledger.balance(business=salon.business, account="expenses:referral-rewards", currency="EUR")
        == 2500
    )

    with scopes_disabled():
        card = Payment.objects.get(checkout=checkout, tender="card")
        credit = Payment.objects.get(checkout=checkout, tender="wallet_credit")
    with django_capture_on_commit_callbacks(execute=True), business_scope(salon.business):
        refund_create(
            business=salon.business,
            payment_id=card.pk,
            amount=3500,
            reason="service_issue",
            now=NOW,
        )
    with scopes_disabled():
        assert (
            Referral.objects.get(pk=referral.pk).status == ReferralStatus.REWARDED
        )  # partly refunded: kept
    with django_capture_on_commit_callbacks(execute=True), business_scope(salon.business):
        refund_create(
            business=salon.business,
            payment_id=credit.pk,
            amount=1000,
            reason="service_issue",
            now=NOW,
        )
    with scopes_disabled():
        assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.CLAWED_BACK
    later = NOW + timedelta(days=30)
    assert (
        loyalty_selectors.wallet_balance(
            account=wallet_of(salon.business, referrer), now=later
        ).spendable
        == 0
    )
    assert spendable_of(salon.business, friend, later) == 1000  # the credit spent comes back
    with business_scope(salon.business):
        assert (
            loyalty_selectors.points_balance_of(
                business=salon.business, client=card_of(salon.business, friend)
            )
            == 0
        )


def test_points_tender_refuses_more_than_held_and_writes_nothing(salon):
    client = UserFactory()
    with business_scope(salon.business):
        loyalty.programme_update(business=salon.business, is_active=True, point_value=10)
        loyalty.points_grant(
            business=salon.business,
            client=card_of(salon.business, client),
            points=100,
            kind=PointsKind.CHALLENGE,
            key="g",
        )
    appointment = client_books(salon, client)
    with pytest.raises(ValidationFailed) as exc:
        pay(
            salon,
            appointment,
            [TenderIn("loyalty_points", 1500, {"points": 150}), TenderIn("cash", 3000)],
        )
    assert exc.value.code == "insufficient_points"
    with pytest.raises(ValidationFailed) as exc:
        pay(
            salon,
            appointment,
            [TenderIn("loyalty_points", 900, {"points": 100}), TenderIn("cash", 3600)],
        )
    assert exc.value.code == "points_value_mismatch"
    pay(
        salon,
        appointment,
        [TenderIn("loyalty_points", 1000, {"points": 100}), TenderIn("cash", 3500)],
    )
    with business_scope(salon.business):
        assert (
            loyalty_selectors.points_balance_of(
                business=salon.business, client=card_of(salon.business, client)
            )
            == 0
        )
    assert ledger.balance(business=salon.business, account="loyalty_points", currency="EUR") == 1000


def test_voucher_tender_is_used_once(salon):
    open_programme(salon, friend_reward_kind="discount", friend_reward_value=500)
    with business_scope(salon.business):
        referrer, friend = UserFactory(), UserFactory()
        code = services.code_personal(business=salon.business, owner=referrer, now=NOW)
    appointment = client_books(salon, friend)
    with business_scope(salon.business):
        services.referral_attach(appointment=appointment, code=code.code, friend=friend, now=NOW)
        voucher = card_of(salon.business, friend).vouchers.get()
    pay(
        salon,
        appointment,
        [TenderIn("referral_voucher", 500, {"voucher_id": voucher.pk}), TenderIn("cash", 4000)],
    )
    second = client_books(salon, friend, hour=15)
    with pytest.raises(ValidationFailed) as exc:
        pay(
            salon,
            second,
            [TenderIn("referral_voucher", 500, {"voucher_id": voucher.pk}), TenderIn("cash", 4000)],
        )
    assert exc.value.code == "voucher_invalid"
