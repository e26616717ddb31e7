"""Points, the wallet, expiry, tiers, badges, the leaderboard."""

from datetime import timedelta

import pytest
from django_scopes import scopes_disabled

from solibook.catalog.models import Category
from solibook.core.errors import Conflict, ValidationFailed
from solibook.core.tenancy import business_scope
from solibook.loyalty import selectors, services
from solibook.loyalty.models import BadgeAward, PointsKind, PointsTransaction, WalletKind
from solibook.testing.booking import client_books, complete
from solibook.testing.factories import UserFactory
from solibook.testing.races import outcome, race
from solibook.testing.salon import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(salon):
    with business_scope(salon.business):
        return services.programme_update(
            business=salon.business,
            is_active=True,
            points_per_unit=2,
            point_value=10,
            expiry_days=180,
        )


def card_of(salon, user):
    """The salon's card for an online account (the booking's get-or-create)."""
    with business_scope(salon.business):
        return services.card_for_account(business=salon.business, user=user)


def paid_visit(salon, client, *, hour=10, day_offset=0, service=None, paid=None):
    appointment = complete(
        salon, client_books(salon, client, hour=hour, day_offset=day_offset, service=service)
    )
    with business_scope(salon.business):
        return appointment, services.points_earn_for_visit(
            appointment=appointment,
            paid_amount=paid if paid is not None else appointment.price_amount,
            now=NOW,
        )


def test_points_per_currency_unit_once_per_visit(salon, programme):
    client = UserFactory()
    appointment, row = paid_visit(salon, client)  # 45.00 € -> 90 points
    assert row.points == 90 and row.expires_at == NOW + timedelta(days=180)
    with business_scope(salon.business):
        assert (
            services.points_earn_for_visit(appointment=appointment, paid_amount=4500, now=NOW)
            is None
        )
        assert (
            selectors.points_balance_of(business=salon.business, client=card_of(salon, client))
            == 90
        )


def test_excluded_category_and_per_visit_mode(salon, programme):
    client = UserFactory()
    with business_scope(salon.business):
        services.programme_update(
            business=salon.business,
            excluded_category_ids=[Category.objects.get(slug="colouring").pk],
        )
    _appointment, row = paid_visit(salon, client, service=salon.colour)
    assert row is None
    with business_scope(salon.business):
        services.programme_update(
            business=salon.business, earn_mode="per_visit", points_per_visit=25
        )
    _appointment, row = paid_visit(salon, client, hour=14)
    assert row.points == 25


def test_tier_multiplies_earning(salon, programme):
    client = UserFactory()
    with business_scope(salon.business):
        services.tier_save(
            business=salon.business, name="Gold", min_points=50, earn_multiplier_percent=200
        )
        with pytest.raises(ValidationFailed):
            services.tier_save(business=salon.business, name="Gold again", min_points=50)
    paid_visit(salon, client)  # 90, reaches Gold
    _appointment, row = paid_visit(salon, client, hour=14)
    assert row.points == 180
    with business_scope(salon.business):
        assert (
            selectors.tier_of(business=salon.business, client=card_of(salon, client)).name == "Gold"
        )


def test_redeeming_more_than_held_is_refused_with_a_message(salon, programme):
    client = UserFactory()
    paid_visit(salon, client)
    with business_scope(salon.business):
        with pytest.raises(ValidationFailed) as exc:
            services.points_redeem(
                business=salon.business, client=card_of(salon, client), points=91, now=NOW
            )
        assert exc.value.code == "insufficient_points" and "90" in exc.value.message
        with pytest.raises(ValidationFailed):
            services.points_redeem(
                business=salon.business, client=card_of(salon, client), points=0, now=NOW
            )
        services.points_redeem(
            business=salon.business, client=card_of(salon, client), points=90, now=NOW
        )
        assert (
            selectors.points_balance_of(business=salon.business, client=card_of(salon, client)) == 0
        )


def test_redemption_key_redeems_once(salon, programme):
    client = UserFactory()
    paid_visit(salon, client)
    with business_scope(salon.business):
        services.points_redeem(
            business=salon.business,
            client=card_of(salon, client),
            points=10,
            key="checkout:1",
            now=NOW,
        )
        with pytest.raises(Conflict):
            services.points_redeem(
                business=salon.business,
                client=card_of(salon, client),
                points=10,
                key="checkout:1",
                now=NOW,
            )
        assert (
            selectors.points_balance_of(business=salon.business, client=card_of(salon, client))
            == 80
        )


def test_points_expire_oldest_first(salon, programme):
    client = UserFactory()
    paid_visit(salon, client)  # 90, expires NOW+180d
    with business_scope(salon.business):
        account = card_of(salon, client).points_accounts.get()
        services.points_grant(
            business=salon.business,
            client=card_of(salon, client),
            points=40,
            kind=PointsKind.CHALLENGE,
            key="c1",
            now=NOW + timedelta(days=100),
        )
        services.points_redeem(
            business=salon.business,
            client=card_of(salon, client),
            points=50,
            now=NOW + timedelta(days=120),
        )  # consumes 50 of the first lot
        assert selectors.points_upcoming_expiry(account=account, now=NOW + timedelta(days=120)) == [
            (NOW + timedelta(days=180), 40),
            (NOW + timedelta(days=280), 40),
        ]
        assert (
            services.points_expire(
                business=salon.business,
                client=card_of(salon, client),
                now=NOW + timedelta(days=181),
            )
            == 40
        )
        assert (
            services.points_expire(
                business=salon.business,
                client=card_of(salon, client),
                now=NOW + timedelta(days=182),
            )
            == 0
        )
        assert (
            selectors.points_balance_of(business=salon.business, client=card_of(salon, client))
            == 40
        )
        # Redeeming after the next expiry finds nothing spendable, before the job has run.
        with pytest.raises(ValidationFailed):
            services.points_redeem(
                business=salon.business,
                client=card_of(salon, client),
                points=1,
                now=NOW + timedelta(days=300),
            )
        assert services.points_expire_all(now=NOW + timedelta(days=300)) == 40
        assert (
            selectors.points_balance_of(business=salon.business, client=card_of(salon, client)) == 0
        )


def test_refund_reverses_points_without_going_negative(salon, programme):
    client = UserFactory()
    appointment, _row = paid_visit(salon, client)
    with business_scope(salon.business):
        services.points_redeem(
            business=salon.business, client=card_of(salon, client), points=60, now=NOW
        )
        services.points_reverse_for_visit(appointment=appointment, now=NOW)
        services.points_reverse_for_visit(appointment=appointment, now=NOW)
        assert (
            selectors.points_balance_of(business=salon.business, client=card_of(salon, client)) == 0
        )


def test_wallet_pending_then_spendable_and_never_overspent(salon):
    user = card_of(salon, UserFactory())
    with business_scope(salon.business):
        services.wallet_credit(
            client=user,
            amount=1500,
            currency="EUR",
            kind=WalletKind.REFERRAL_REWARD,
            key="r1",
            available_at=NOW + timedelta(days=14),
            now=NOW,
        )
        assert (
            services.wallet_credit(
                client=user,
                amount=1500,
                currency="EUR",
                kind=WalletKind.REFERRAL_REWARD,
                key="r1",
                now=NOW,
            )
            is None
        )
        with pytest.raises(ValidationFailed) as exc:
            services.wallet_spend(client=user, amount=100, currency="EUR", now=NOW)
        assert exc.value.code == "insufficient_credit"
        later = NOW + timedelta(days=15)
        services.wallet_spend(client=user, amount=1500, currency="EUR", now=later)
        balance = selectors.wallet_balance(account=user.wallet_accounts.get(), now=later)
        assert (balance.spendable, balance.pending) == (0, 0)


def test_badges_awarded_once(salon, programme):
    client = UserFactory()
    for i in range(5):
        paid_visit(salon, client, hour=9 + i)
    card = card_of(salon, client)
    with business_scope(salon.business):
        assert [a.badge for a in services.badges_check(client=card, now=NOW)] == ["five_visits"]
        assert services.badges_check(client=card, now=NOW) == []
        assert BadgeAward.objects.filter(client=card).count() == 1


def test_challenge_rewards_points_once(salon, programme):
    client = UserFactory()
    with business_scope(salon.business):
        services.programme_update(business=salon.business, badges_enabled=True)
        services.challenge_save(
            business=salon.business,
            name="Two visits in June",
            metric="visits",
            target=2,
            reward_points=100,
            starts_on=NOW.date(),
            ends_on=NOW.date() + timedelta(days=30),
        )
    paid_visit(salon, client)
    with business_scope(salon.business):
        assert (
            services.challenges_check(
                business=salon.business, client=card_of(salon, client), now=NOW
            )
            == []
        )
    paid_visit(salon, client, hour=14)
    with business_scope(salon.business):
        assert (
            len(
                services.challenges_check(
                    business=salon.business, client=card_of(salon, client), now=NOW
                )
            )
            == 1
        )
        assert (
            services.challenges_check(
                business=salon.business, client=card_of(salon, client), now=NOW
            )
            == []
        )
        assert (
            selectors.points_balance_of(business=salon.business, client=card_of(salon, client))
            == 90 + 90 + 100
        )


def test_leaderboard_rebooking_rate(salon, programme):
    a, b = UserFactory(), UserFactory()
    with scopes_disabled():
        from solibook.booking.models import AppointmentItem

    first, _ = paid_visit(salon, a, hour=10)
    paid_visit(salon, b, hour=11)
    client_books(salon, a, hour=10, day_offset=7)  # a comes back
    with business_scope(salon.business):
        rows = selectors.staff_leaderboard(
            business=salon.business, since=NOW, until=NOW + timedelta(days=30)
        )
        by_master = {r.master.pk: r for r in rows}
        total_visits = sum(r.visits for r in rows)
        assert total_visits == 2
        master_of_a = AppointmentItem.objects.get(appointment=first).master_id
        assert by_master[master_of_a].rebooked == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_redemptions_at_once_never_overdraw(salon):
    """Eight threads redeem 60 of 100 points at the same moment: one wins."""
    from solibook.catalog.taxonomy import load_into

    load_into(Category)
    with business_scope(salon.business):
        services.programme_update(business=salon.business, is_active=True)
    client = UserFactory()
    with business_scope(salon.business):
        services.points_grant(
            business=salon.business,
            client=card_of(salon, client),
            points=100,
            kind=PointsKind.CHALLENGE,
            key="seed",
            now=NOW,
        )

    def redeem(i):
        with business_scope(salon.business):
            services.points_redeem(
                business=salon.business, client=card_of(salon, client), points=60, now=NOW
            )
        return "ok"

    outcomes = [outcome(r) for r in race(8, redeem)]
    assert sorted(outcomes) == ["insufficient_points"] * 7 + ["ok"]
    with scopes_disabled():
        assert (
            sum(
                PointsTransaction.objects.filter(
                    account__client=card_of(salon, client)
                ).values_list("points", flat=True)
            )
            == 40
        )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_wallet_spends_at_once_never_overdraw(salon):
    from solibook.catalog.taxonomy import load_into

    load_into(Category)
    user = card_of(salon, UserFactory())
    with business_scope(salon.business):
        services.wallet_credit(
            client=user, amount=1000, currency="EUR", kind=WalletKind.GRANT, key="seed", now=NOW
        )

    def spend(i):
        with business_scope(salon.business):
            services.wallet_spend(client=user, amount=700, currency="EUR", now=NOW)
        return "ok"

    outcomes = [outcome(r) for r in race(6, spend)]
    assert sorted(outcomes) == ["insufficient_credit"] * 5 + ["ok"]
    with business_scope(salon.business):
        assert selectors.wallet_spendable(client=user, currency="EUR", now=NOW) == 300


def test_first_review_badge(salon, programme, django_capture_on_commit_callbacks):
    from solibook.reviews.models import Review

    client = UserFactory()
    appointment, _row = paid_visit(salon, client)
    with django_capture_on_commit_callbacks(execute=True), scopes_disabled():
        Review.objects.create(
            business=salon.business,
            appointment=appointment,
            location=salon.location,
            author=client,
            author_name="A",
            rating=5,
        )
    with scopes_disabled():
        assert list(
            BadgeAward.objects.filter(client__user=client).values_list("badge", flat=True)
        ) == ["first_review"]


def test_periodic_jobs_command_runs_and_is_repeatable(salon, programme):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("run_loyalty_jobs", stdout=out)
    call_command("run_loyalty_jobs", stdout=out)
    call_command("run_referral_jobs", stdout=out)
    call_command("run_referral_jobs", stdout=out)
    assert out.getvalue().count("points expired: 0") == 2
    assert out.getvalue().count("rewards released: 0; salon invitations credited: 0") == 2
