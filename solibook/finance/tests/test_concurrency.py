"""Races on PostgreSQL: a gift card spent twice at once, a payment refunded twice at once."""

import pytest
from django.db import transaction
from django_scopes import scopes_disabled

from solibook.catalog.models import Category
from solibook.catalog.taxonomy import load_into
from solibook.core.errors import DomainError
from solibook.core.tenancy import business_scope
from solibook.finance import services
from solibook.finance.models import Checkout, GiftCard, Payment, Refund
from solibook.finance.services import LineIn, TenderIn
from solibook.finance.services.giftcards import issued_codes
from solibook.finance.services.plans import product_create
from solibook.finance.tests.helpers import bal, books_balance
from solibook.testing.races import race
from solibook.testing.salon import NOW

RACERS = 8


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_gift_card_spent_by_eight_checkouts_at_once_is_spent_once(salon):
    business = salon.business
    load_into(Category)  # an earlier transactional test's flush may have removed them
    try:
        with business_scope(business):
            sale = services.checkout_complete(
                business=business,
                location_id=salon.location.pk,
                lines=[LineIn("gift_card", amount=10000)],
                shown_total=10000,
                currency="EUR",
                tenders=[TenderIn("card", 10000)],
                now=NOW,
            )
            serum = product_create(
                business=business, name="Serum", price_amount=8000, currency="EUR"
            )
        with scopes_disabled():
            card = GiftCard.objects.get(sold_in=sale)

        def attempt(i):
            with business_scope(business), transaction.atomic():
                return services.checkout_complete(
                    business=business,
                    location_id=salon.location.pk,
                    lines=[LineIn("product", product_id=serum.pk)],
                    shown_total=8000,
                    currency="EUR",
                    tenders=[TenderIn("gift_card", 8000, {"code": issued_codes(sale)[0][1]})],
                    now=NOW,
                )

        results = race(RACERS, attempt)
        wins = [r for r in results if isinstance(r, Checkout)]
        refused = [r for r in results if isinstance(r, DomainError)]
        assert len(wins) == 1, results
        assert len(refused) == RACERS - 1 and {r.code for r in refused} <= {
            "gift_card_insufficient"
        }, results
        card.refresh_from_db()
        assert card.balance == 2000
        assert bal(business, "gift_cards_outstanding") == -2000
        assert books_balance(business)
    finally:
        load_into(Category)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eight_refunds_at_once_never_exceed_what_was_paid(salon):
    business = salon.business
    load_into(Category)  # an earlier transactional test's flush may have removed them
    try:
        with business_scope(business):
            serum = product_create(
                business=business, name="Serum", price_amount=4500, currency="EUR"
            )
            done = services.checkout_complete(
                business=business,
                location_id=salon.location.pk,
                lines=[LineIn("product", product_id=serum.pk)],
                shown_total=4500,
                currency="EUR",
                tenders=[TenderIn("card", 4500)],
                now=NOW,
            )
        with scopes_disabled():
            payment = Payment.objects.get(checkout=done)

        def attempt(i):
            with business_scope(business):
                return services.refund_create(
                    business=business,
                    payment_id=payment.pk,
                    amount=3000,
                    reason="client_request",
                    now=NOW,
                )

        results = race(RACERS, attempt)
        assert len([r for r in results if isinstance(r, Refund)]) == 1, results
        assert all(
            isinstance(r, Refund) or getattr(r, "code", "") == "refund_too_large" for r in results
        ), results
        payment.refresh_from_db()
        assert payment.amount_refunded == 3000
        assert bal(business, "card") == 1500
        assert books_balance(business)
    finally:
        load_into(Category)


class _GiveBack(Exception):
    """Raised after a checkout succeeded, to roll its transaction back."""


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_receipts_taken_at_once_are_consecutive_and_a_rolled_back_one_leaves_no_gap(salon):
    """Checkouts run side by side up to their number (its lock is their last
    step): eight at once, three of them rolled back after numbering, still
    leave the numbers 1..5 with no gap and no repeat."""
    business = salon.business
    load_into(Category)  # an earlier transactional test's flush may have removed them
    try:
        with business_scope(business):
            serum = product_create(
                business=business, name="Serum", price_amount=2500, currency="EUR"
            )

        def attempt(i):
            with business_scope(business), transaction.atomic():
                done = services.checkout_complete(
                    business=business,
                    location_id=salon.location.pk,
                    lines=[LineIn("product", product_id=serum.pk)],
                    shown_total=2500,
                    currency="EUR",
                    tenders=[TenderIn("cash", 2500)],
                    now=NOW,
                )
                if i % 3 == 0:
                    raise _GiveBack(done.number)
                return done

        results = race(RACERS, attempt)
        kept = [r for r in results if isinstance(r, Checkout)]
        given_back = [r for r in results if isinstance(r, _GiveBack)]
        assert len(kept) == 5 and len(given_back) == 3, results
        with scopes_disabled():
            numbers = sorted(
                Checkout.objects.filter(business=business).values_list("number", flat=True)
            )
        assert numbers == [f"{NOW:%Y}-{n:06d}" for n in range(1, 6)]
        assert books_balance(business)
    finally:
        load_into(Category)
