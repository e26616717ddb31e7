"""Referral flow, fraud checks, caps, review queue, clawback, partners."""

from datetime import timedelta

import pytest
from django_scopes import scopes_disabled

from solibook.booking.models import Appointment, Source
from solibook.core.errors import Conflict, ValidationFailed
from solibook.core.tenancy import business_scope
from solibook.loyalty import selectors as loyalty_selectors
from solibook.loyalty.models import WalletTransaction
from solibook.referrals import selectors, services
from solibook.referrals.models import Referral, ReferralStatus, Reward, RewardRole
from solibook.testing.booking import client_books, complete
from solibook.testing.cards import card_of, wallet_of
from solibook.testing.factories import BusinessFactory, UserFactory
from solibook.testing.referrals import open_programme
from solibook.testing.salon import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(salon):
    open_programme(salon)
    referrer = UserFactory(
        full_name="Amira Haddad", email="amira@example.test", phone="+33612345678"
    )
    friend = UserFactory(full_name="Chloé Martin", email="chloe@example.test", phone="+33698765432")
    with business_scope(salon.business):
        code = services.code_personal(business=salon.business, owner=referrer, now=NOW)
    return salon, referrer, friend, code


def attach(salon, friend, code, **kw):
    appointment = client_books(
        salon, friend, hour=kw.pop("hour", 10), day_offset=kw.pop("day_offset", 0)
    )
    with business_scope(salon.business):
        return appointment, services.referral_attach(
            appointment=appointment,
            code=code.code,
            friend=friend,
            ip=kw.pop("ip", "203.0.113.9"),
            user_agent="UA",
            now=NOW,
            **kw,
        )


def spendable(user, now):
    """The person's spendable wallet credit, over their cards (one salon here)."""
    from solibook.loyalty.models import WalletAccount

    with scopes_disabled():
        return sum(
            loyalty_selectors.wallet_balance(account=account, now=now).spendable
            for account in WalletAccount.objects.filter(client__user=user)
        )


def test_friend_rewarded_on_booking_referrer_after_paid_visit_and_review_period(world):
    salon, referrer, friend, code = world
    appointment, referral = attach(salon, friend, code)
    assert referral.status == ReferralStatus.BOOKED
    assert spendable(friend, NOW) == 1000  # the friend's welcome credit, at once
    with scopes_disabled():
        appointment.refresh_from_db()
    assert appointment.source == Source.REFERRAL and appointment.attribution == f"code:{code.code}"
    assert selectors.commission_exempt(appointment)

    complete(salon, appointment)
    paid_at = NOW + timedelta(days=2)
    with business_scope(salon.business):
        services.referral_visit_paid(appointment=appointment, paid_amount=4500, now=paid_at)
        services.referral_visit_paid(
            appointment=appointment, paid_amount=4500, now=paid_at
        )  # twice: one reward
    with scopes_disabled():
        assert Reward.objects.filter(referral=referral, role=RewardRole.REFERRER).count() == 1
        assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.REWARDED
    balance = loyalty_selectors.wallet_balance(
        account=wallet_of(salon.business, referrer), now=paid_at
    )
    assert (balance.spendable, balance.pending) == (0, 1500)
    assert spendable(referrer, paid_at + timedelta(days=14)) == 1500


def test_referrer_reward_waits_for_a_paid_completed_visit(world):
    salon, referrer, friend, code = world
    appointment, _referral = attach(salon, friend, code)
    with business_scope(salon.business), pytest.raises(ValidationFailed) as exc:
        services.referral_visit_paid(appointment=appointment, paid_amount=4500, now=NOW)
    assert exc.value.code == "visit_not_completed"
    assert spendable(referrer, NOW + timedelta(days=60)) == 0


def test_refund_after_reward_claws_it_back_once(world):
    salon, referrer, friend, code = world
    appointment, referral = attach(salon, friend, code)
    complete(salon, appointment)
    with business_scope(salon.business):
        services.referral_visit_paid(appointment=appointment, paid_amount=4500, now=NOW)
        services.referral_payment_refunded(appointment=appointment, now=NOW + timedelta(days=1))
        services.referral_payment_refunded(appointment=appointment, now=NOW + timedelta(days=2))
    later = NOW + timedelta(days=30)
    balance = loyalty_selectors.wallet_balance(
        account=wallet_of(salon.business, referrer), now=later
    )
    assert (balance.spendable, balance.pending) == (0, 0)
    with scopes_disabled():
        assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.CLAWED_BACK
        assert (
            WalletTransaction.objects.filter(
                account__client__user=referrer, kind="clawback"
            ).count()
            == 1
        )


def test_clawback_after_spending_never_makes_the_wallet_negative(world):
    from solibook.loyalty import services as loyalty

    salon, referrer, friend, code = world
    appointment, _referral = attach(salon, friend, code)
    complete(salon, appointment)
    with business_scope(salon.business):
        services.referral_visit_paid(appointment=appointment, paid_amount=4500, now=NOW)
    after_review = NOW + timedelta(days=15)
    with business_scope(salon.business):
        loyalty.wallet_spend(
            client=card_of(salon.business, referrer),
            amount=1000,
            currency="EUR",
            now=after_review,
        )
    with business_scope(salon.business):
        services.referral_payment_refunded(appointment=appointment, now=after_review)
    assert spendable(referrer, after_review) == 0


def test_own_code_other_salon_expired_and_unknown_codes_are_refused(world):
    salon, referrer, friend, code = world
    own = client_books(salon, referrer, hour=12)
    with business_scope(salon.business), pytest.raises(ValidationFailed) as exc:
        services.referral_attach(appointment=own, code=code.code, friend=referrer, now=NOW)
    assert exc.value.code == "code_own"

    other = BusinessFactory()
    with scopes_disabled():
        from solibook.referrals.models import ReferralProgramme

        ReferralProgramme.objects.filter(business=other).update(is_active=True)
    with business_scope(other):
        other_code = services.code_personal(business=other, owner=referrer, now=NOW)
    appointment = client_books(salon, friend)
    with business_scope(salon.business):
        with pytest.raises(ValidationFailed) as exc:
            services.referral_attach(
                appointment=appointment, code=other_code.code, friend=friend, now=NOW
            )
        assert exc.value.code == "code_other_salon"
        with pytest.raises(ValidationFailed) as exc:
            services.referral_attach(
                appointment=appointment,
                code=code.code,
                friend=friend,
                now=code.expires_at + timedelta(seconds=1),
            )
        assert exc.value.code == "code_expired"
        with pytest.raises(ValidationFailed) as exc:
            services.referral_attach(
                appointment=appointment, code="NOPE-1234567", friend=friend, now=NOW
            )
        assert exc.value.code == "code_unknown"
        assert str(exc.value.message)


def test_existing_client_is_not_counted_as_new(world):
    salon, referrer, friend, code = world
    earlier = client_books(salon, friend, hour=9, day_offset=-1)
    assert earlier.pk
    _appointment, referral = attach(salon, friend, code)
    assert referral.status == ReferralStatus.REJECTED and referral.reasons == ["existing_client"]
    assert spendable(friend, NOW) == 0
    assert not selectors.commission_exempt(_appointment)


@pytest.mark.parametrize(
    ("friend_fields", "reason"),
    [
        ({"email": "a.m.i.r.a+promo@gmail.com"}, "self_email"),
        ({"phone": "+33 6 12 34 56 78"}, "self_phone"),
        ({"full_name": "HADDAD amira"}, "self_name"),
    ],
)
def test_self_referral_signs_hold_the_referral_with_reasons(salon, friend_fields, reason):
    open_programme(salon)
    referrer = UserFactory(full_name="Amira Haddad", email="amira@gmail.com", phone="+33612345678")
    friend = UserFactory(
        **{"full_name": "Other Person", "email": "other@example.test", **friend_fields}
    )
    with business_scope(salon.business):
        code = services.code_personal(business=salon.business, owner=referrer, now=NOW)
    _appointment, referral = attach(salon, friend, code)
    assert referral.status == ReferralStatus.HELD and reason in referral.reasons
    assert spendable(friend, NOW) == 0


def test_same_device_or_address_and_agent_hold_and_household_exception_releases(world):
    salon, referrer, friend, code = world
    services.owner_seen(user=referrer, ip="198.51.100.7", user_agent="Firefox", device="dev-1")
    appointment = client_books(salon, friend)
    with business_scope(salon.business):
        referral = services.referral_attach(
            appointment=appointment,
            code=code.code,
            friend=friend,
            ip="198.51.100.7",
            user_agent="Firefox",
            device="dev-1",
            now=NOW,
        )
        assert referral.status == ReferralStatus.HELD
        assert set(referral.reasons) == {"self_device", "self_ip_agent"}
        referral = services.referral_review(
            business=salon.business, referral_id=referral.pk, approve=True, household=True, now=NOW
        )
    assert referral.status == ReferralStatus.BOOKED and referral.household_exception
    assert spendable(friend, NOW) == 1000


def test_household_exception_does_not_cover_a_public_code(world):
    salon, referrer, friend, code = world
    with business_scope(salon.business):
        services.code_flag_public(business=salon.business, code_id=code.pk, public=True)
    _appointment, referral = attach(salon, friend, code)
    assert referral.reasons == ["public_code"]
    with business_scope(salon.business), pytest.raises(ValidationFailed) as exc:
        services.referral_review(
            business=salon.business, referral_id=referral.pk, approve=True, household=True, now=NOW
        )
    assert exc.value.code == "not_household"


def test_burst_from_one_address_is_held(world):
    salon, referrer, _friend, code = world
    statuses = []
    for i in range(5):
        friend = UserFactory(full_name=f"Friend {i}", email=f"f{i}@example.test")
        _appointment, referral = attach(salon, friend, code, hour=9 + i, ip="192.0.2.1")
        statuses.append(referral.status)
    assert statuses[:3] == [ReferralStatus.BOOKED] * 3
    assert statuses[3:] == [ReferralStatus.HELD] * 2


def test_coupon_site_click_flags_the_code(world):
    salon, _referrer, _friend, code = world
    services.click_record(
        code=code,
        ip="192.0.2.5",
        user_agent="UA",
        device="",
        referer_host="www.dealabs.com",
        now=NOW,
    )
    code.refresh_from_db()
    assert code.posted_publicly


def test_monthly_cap(world):
    salon, referrer, _friend, code = world
    with business_scope(salon.business):
        services.programme_update(business=salon.business, monthly_cap=1)
    statuses = []
    for i in range(2):
        friend = UserFactory(full_name=f"Friend {i}", email=f"cap{i}@example.test")
        appointment, referral = attach(salon, friend, code, hour=10 + i, ip=f"192.0.2.{10 + i}")
        complete(salon, appointment)
        with business_scope(salon.business):
            statuses.append(
                services.referral_visit_paid(
                    appointment=appointment, paid_amount=4500, now=NOW
                ).status
            )
    assert statuses == [ReferralStatus.REWARDED, ReferralStatus.CAPPED]


def test_referred_only_once_per_salon(world):
    salon, referrer, friend, code = world
    attach(salon, friend, code)
    second = client_books(salon, friend, hour=15)
    with business_scope(salon.business), pytest.raises(ValidationFailed) as exc:
        services.referral_attach(appointment=second, code=code.code, friend=friend, now=NOW)
    assert exc.value.code == "already_referred"


def test_points_reward_released_after_review(world):
    salon, referrer, friend, code = world
    open_programme(salon, referrer_reward_kind="points", referrer_reward_value=300)
    from solibook.loyalty import services as loyalty

    with business_scope(salon.business):
        loyalty.programme_update(business=salon.business, is_active=True)
    appointment, _referral = attach(salon, friend, code)
    complete(salon, appointment)
    with business_scope(salon.business):
        services.referral_visit_paid(appointment=appointment, paid_amount=4500, now=NOW)
        assert (
            loyalty_selectors.points_balance_of(
                business=salon.business, client=card_of(salon.business, referrer)
            )
            == 0
        )
    assert services.rewards_release_due(now=NOW + timedelta(days=13)) == 0
    assert services.rewards_release_due(now=NOW + timedelta(days=15)) == 1
    assert services.rewards_release_due(now=NOW + timedelta(days=16)) == 0
    with business_scope(salon.business):
        assert (
            loyalty_selectors.points_balance_of(
                business=salon.business, client=card_of(salon.business, referrer)
            )
            == 300
        )


def test_partner_commission_statement_and_payout(salon):
    from solibook.finance import ledger

    open_programme(salon)
    blogger = UserFactory(full_name="Blog Ger")
    friend = UserFactory(full_name="New Client")
    with business_scope(salon.business):
        partner = services.partner_signup(business=salon.business, user=blogger, name="Beauty Blog")
        with pytest.raises(Conflict):
            services.partner_signup(business=salon.business, user=blogger, name="Again")
        partner = services.partner_decide(
            business=salon.business,
            partner_id=partner.pk,
            approve=True,
            commission_kind="percent_first",
            commission_percent=20,
            now=NOW,
        )
        code = partner.codes.get()
    appointment, referral = attach(salon, friend, code)
    with scopes_disabled():
        appointment.refresh_from_db()
    assert appointment.source == Source.PARTNER
    complete(salon, appointment)
    with business_scope(salon.business):
        services.referral_visit_paid(appointment=appointment, paid_amount=4500, now=NOW)
        dashboard = selectors.partner_dashboard(partner=partner)
        assert dashboard.totals == {"clicks": 0, "signups": 1, "first_visits": 1, "commission": 900}
        statement = services.statement_close(
            business=salon.business,
            partner_id=partner.pk,
            month=NOW.date(),
            now=NOW + timedelta(days=31),
        )
        assert statement.total == 900
        services.statement_pay(
            business=salon.business,
            statement_id=statement.pk,
            reference="SEPA-1",
            now=NOW + timedelta(days=32),
        )
        with pytest.raises(Conflict):
            services.statement_pay(
                business=salon.business, statement_id=statement.pk, now=NOW + timedelta(days=33)
            )
    assert (
        ledger.balance(
            business=salon.business, account="expenses:partner-commissions", currency="EUR"
        )
        == 900
    )
    assert ledger.balance(business=salon.business, account="bank", currency="EUR") == -900


def test_salon_refers_salon_credits_both_once(salon):
    from solibook.finance import ledger

    with business_scope(salon.business):
        invite = services.salon_invite_create(business=salon.business, email="new@salon.test")
    newcomer = BusinessFactory()
    with pytest.raises(ValidationFailed):
        services.salon_invite_accept(business=salon.business, code=invite.code)  # itself
    services.salon_invite_accept(business=newcomer, code=invite.code)
    with pytest.raises(ValidationFailed):
        services.salon_invite_accept(business=BusinessFactory(), code=invite.code)  # used
    services.salon_went_live(invite_id=invite.pk)
    services.salon_went_live(invite_id=invite.pk)
    assert invite.credits.count() == 2
    assert (
        ledger.balance(business=None, account="subscriptions", currency="EUR")
        == 2 * invite.credit_amount
    )


def test_commission_exempt_for_later_visits_of_a_referred_client(world):
    salon, _referrer, friend, code = world
    attach(salon, friend, code)
    later = client_books(salon, friend, hour=16)
    with scopes_disabled():
        later = Appointment.objects.get(pk=later.pk)
    assert later.source == Source.MARKETPLACE and selectors.commission_exempt(later)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [("percent_months", [450, 450]), ("fixed", [700]), ("percent_first", [450])],
)
def test_commission_rules_over_later_visits(salon, kind, expected):
    from solibook.referrals.models import Commission

    open_programme(salon)
    blogger, friend = UserFactory(), UserFactory()
    with business_scope(salon.business):
        partner = services.partner_signup(business=salon.business, user=blogger, name="Glow")
        partner = services.partner_decide(
            business=salon.business,
            partner_id=partner.pk,
            approve=True,
            commission_kind=kind,
            commission_percent=10,
            commission_months=2,
            commission_fixed=700,
            now=NOW,
        )
        code = partner.codes.get()
    first, _referral = attach(salon, friend, code)
    complete(salon, first)
    second = complete(salon, client_books(salon, friend, hour=10, day_offset=14))
    too_late = complete(salon, client_books(salon, friend, hour=10, day_offset=90))
    with business_scope(salon.business):
        for appointment in (first, second, too_late):
            services.referral_visit_paid(
                appointment=appointment,
                paid_amount=4500,
                now=appointment.starts_at + timedelta(hours=2),
            )
        services.referral_visit_paid(
            appointment=second, paid_amount=4500, now=NOW
        )  # again: nothing more
        assert (
            list(
                Commission.objects.filter(partner=partner)
                .order_by("appointment__starts_at")
                .values_list("amount", flat=True)
            )
            == expected
        )
