"""One client, however they came (issue #15, point 3): a walk-in's card (no
online account) earns points at checkout and spends them, wallet credit and a
referral voucher at the desk; two redemptions at once, one wins; another
salon's card or voucher is not reachable."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from solibook.accounts.roles import Role
from solibook.booking.models import Status
from solibook.catalog.models import Category
from solibook.core.errors import ValidationFailed
from solibook.core.tenancy import business_scope
from solibook.finance.services.checkout import TenderIn, checkout_complete
from solibook.loyalty import selectors, services
from solibook.loyalty.models import PointsTransaction, WalletKind
from solibook.referrals.models import Voucher
from solibook.testing.booking import book
from solibook.testing.factories import BusinessFactory, LocationFactory
from solibook.testing.races import outcome, race
from solibook.testing.salon import NOW

pytestmark = pytest.mark.django_db


def walk_in(salon, hour=10, name="Inès Walker", phone="+33612345678", **kwargs):
    """A visit booked at the desk for someone with no account: a card only."""
    appointment = book(salon, hour=hour, client_name=name, client_phone=phone, **kwargs)
    assert appointment.account_id is None and appointment.client_card_id is not None
    return appointment


def pay(salon, appointment, tenders, total=None, now=NOW):
    with business_scope(salon.business):
        return checkout_complete(
            business=salon.business,
            location_id=salon.location.pk,
            currency="EUR",
            now=now,
            appointment_id=appointment.pk,
            shown_total=total if total is not None else appointment.price_amount,
            tenders=tenders,
        )


def points_of(salon, card) -> int:
    with business_scope(salon.business):
        return selectors.points_balance_of(business=salon.business, client=card)


@pytest.fixture
def loyalty_on(salon):
    with business_scope(salon.business):
        return services.programme_update(
            business=salon.business, is_active=True, points_per_unit=2, point_value=10
        )


def test_a_walk_in_earns_points_at_checkout_and_spends_them_at_the_desk(
    salon, loyalty_on, django_capture_on_commit_callbacks
):
    first = walk_in(salon)
    with django_capture_on_commit_callbacks(execute=True):
        pay(salon, first, [TenderIn("cash", first.price_amount)])
    card = first.client_card
    assert points_of(salon, card) == 90  # 45.00 € × 2
    second = walk_in(salon, hour=14)
    assert second.client_card_id == card.pk  # the same person: the same card (by phone)
    with django_capture_on_commit_callbacks(execute=True):
        pay(
            salon,
            second,
            [
                TenderIn("loyalty_points", 500, {"points": 50}),
                TenderIn("cash", second.price_amount - 500),
            ],
        )
    # 40 left + what the cash part earned (40.00 € × 2).
    assert points_of(salon, card) == 40 + 80
    with business_scope(salon.business):
        kinds = set(
            PointsTransaction.objects.filter(account__client=card).values_list("kind", flat=True)
        )
    assert kinds == {"earn", "redeem"}


def test_redeeming_more_points_than_the_card_holds_is_refused_and_nothing_is_written(
    salon, loyalty_on
):
    visit = walk_in(salon)
    card = visit.client_card
    with business_scope(salon.business):
        services.points_grant(
            business=salon.business, client=card, points=30, kind="challenge", key="seed"
        )
    with pytest.raises(ValidationFailed) as exc:
        pay(
            salon,
            visit,
            [
                TenderIn("loyalty_points", 400, {"points": 40}),
                TenderIn("cash", visit.price_amount - 400),
            ],
        )
    assert exc.value.code == "insufficient_points" and "30" in exc.value.message
    assert points_of(salon, card) == 30
    with business_scope(salon.business):
        visit.refresh_from_db()
        assert visit.status == Status.CONFIRMED and not visit.checkouts.exists()


def test_wallet_credit_on_a_walk_in_card_is_spent_at_the_desk(salon):
    visit = walk_in(salon)
    card = visit.client_card
    with business_scope(salon.business):
        services.wallet_credit(
            client=card,
            amount=1000,
            currency="EUR",
            kind=WalletKind.GRANT,
            key="seed",
            now=NOW - timedelta(days=1),
        )
    pay(
        salon, visit, [TenderIn("wallet_credit", 1000), TenderIn("card", visit.price_amount - 1000)]
    )
    with business_scope(salon.business):
        assert selectors.wallet_spendable(client=card, currency="EUR", now=NOW) == 0


def voucher_for(card, amount=1000, business=None, now=NOW):
    with scopes_disabled():
        return Voucher.objects.create(
            business=business or card.business,
            client=card,
            amount=amount,
            currency="EUR",
            available_at=now - timedelta(days=1),
            expires_at=now + timedelta(days=300),
            created_at=now - timedelta(days=1),
        )


def test_a_referral_voucher_is_redeemed_at_the_desk_once(salon):
    visit = walk_in(salon)
    voucher = voucher_for(visit.client_card)
    pay(
        salon,
        visit,
        [
            TenderIn("referral_voucher", 1000, {"voucher_id": voucher.pk}),
            TenderIn("cash", visit.price_amount - 1000),
        ],
    )
    with scopes_disabled():
        voucher.refresh_from_db()
    assert voucher.used_at is not None and voucher.appointment_id == visit.pk
    again = walk_in(salon, hour=14)
    with pytest.raises(ValidationFailed) as exc:
        pay(
            salon,
            again,
            [
                TenderIn("referral_voucher", 1000, {"voucher_id": voucher.pk}),
                TenderIn("cash", again.price_amount - 1000),
            ],
        )
    assert exc.value.code == "voucher_invalid"


def test_another_salons_voucher_is_unknown_here(salon):
    visit = walk_in(salon)
    other = BusinessFactory(currency="EUR")
    LocationFactory(business=other)
    with scopes_disabled():
        from solibook.clients.models import Client

        stranger = Client.objects.create(business=other, first_name="Zoé", last_name="B")
    voucher = voucher_for(stranger)
    with pytest.raises(ValidationFailed) as exc:
        pay(
            salon,
            visit,
            [
                TenderIn("referral_voucher", 1000, {"voucher_id": voucher.pk}),
                TenderIn("cash", visit.price_amount - 1000),
            ],
        )
    assert exc.value.code == "voucher_unknown"
    with scopes_disabled():
        voucher.refresh_from_db()
    assert voucher.used_at is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_desks_redeeming_one_voucher_at_once_one_wins(salon):
    from solibook.catalog.taxonomy import load_into

    load_into(Category)
    visits = [walk_in(salon, hour=9 + 2 * i) for i in range(4)]
    voucher = voucher_for(visits[0].client_card)

    def redeem(i):
        visit = visits[i]
        pay(
            salon,
            visit,
            [
                TenderIn("referral_voucher", 1000, {"voucher_id": voucher.pk}),
                TenderIn("cash", visit.price_amount - 1000),
            ],
        )
        return "ok"

    outcomes = sorted(outcome(r) for r in race(4, redeem))
    assert outcomes.count("ok") == 1
    assert set(outcomes) - {"ok"} <= {"voucher_used", "voucher_invalid"}
    with scopes_disabled():
        from solibook.finance.models import Checkout

        assert Checkout.objects.filter(business=salon.business).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_desks_spending_one_cards_points_at_once_never_overdraw(salon):
    from solibook.catalog.taxonomy import load_into

    load_into(Category)
    with business_scope(salon.business):
        # Paying earns nothing here, so a checkout's own cash part cannot refill the card.
        services.programme_update(
            business=salon.business, is_active=True, point_value=10, points_per_unit=0
        )
    visits = [walk_in(salon, hour=9 + 2 * i) for i in range(4)]
    card = visits[0].client_card
    with business_scope(salon.business):
        services.points_grant(
            business=salon.business, client=card, points=100, kind="challenge", key="seed"
        )

    def redeem(i):
        visit = visits[i]
        pay(
            salon,
            visit,
            [
                TenderIn("loyalty_points", 600, {"points": 60}),
                TenderIn("cash", visit.price_amount - 600),
            ],
        )
        return "ok"

    outcomes = sorted(outcome(r) for r in race(4, redeem))
    assert outcomes == ["insufficient_points"] * 3 + ["ok"]
    with scopes_disabled():
        assert (
            sum(
                PointsTransaction.objects.filter(account__client=card).values_list(
                    "points", flat=True
                )
            )
            == 40
        )


def test_the_till_and_the_card_page_show_and_take_the_cards_rewards(
    client, salon, loyalty_on, django_capture_on_commit_callbacks
):
    from solibook.testing.clients import sign_in

    visit = walk_in(salon)
    card = visit.client_card
    with business_scope(salon.business):
        services.points_grant(
            business=salon.business, client=card, points=100, kind="challenge", key="seed"
        )
    voucher = voucher_for(card, amount=500, now=timezone.now())
    sign_in(client, salon.business, Role.RECEPTIONIST)
    url = reverse("finance:checkout", args=[salon.business.slug]) + f"?appointment={visit.pk}"
    page = client.get(url)
    assert page.status_code == 200
    assert (
        "pay_points" in page.content.decode() and f'value="{voucher.pk}"' in page.content.decode()
    )
    form = {
        "appointment": visit.pk,
        "location": salon.location.pk,
        "pay_points": 100,
        "voucher": voucher.pk,
        "pay_voucher": "5",
        "pay_cash": "30",
        "action": "quote",
    }
    priced = client.post(url, form)
    assert priced.status_code == 200
    form.update(action="complete", shown_total=visit.price_amount)
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, form)
    assert done.status_code == 302, done.content.decode()[:3000]
    # 30.00 € of cash earns 60 points; the 100 held were spent.
    assert points_of(salon, card) == 60
    sign_in(client, salon.business, Role.OWNER)
    card_page = client.get(
        reverse("clients:client_detail", args=[salon.business.slug, card.pk])
    ).content.decode()
    assert 'data-testid="card-points">60<' in card_page
    assert "Redeemed" in card_page and "Earned for a visit" in card_page
