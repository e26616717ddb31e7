"""Random sequences of sales, split payments, gift card spends and refunds
(some refused) through the services: every ledger transaction balances, cash
and card balances equal what was paid minus what was refunded, and no
payment is ever refunded beyond what it took."""

from collections import defaultdict

import pytest
from django.db.models import F
from django_scopes import scopes_disabled
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from solibook.core.errors import DomainError
from solibook.core.tenancy import business_scope
from solibook.finance import ledger, services
from solibook.finance.models import LedgerEntry, Payment
from solibook.finance.services import LineIn, TenderIn
from solibook.finance.services.giftcards import issued_codes
from solibook.finance.services.plans import product_create
from solibook.testing.factories import BusinessFactory, LocationFactory
from solibook.testing.salon import NOW


class MoneyMachine(RuleBasedStateMachine):
    @initialize()
    def setup(self):
        self.business = BusinessFactory()
        self.location = LocationFactory(business=self.business)
        with business_scope(self.business):
            self.products = [
                product_create(business=self.business, name=f"P{i}", price_amount=p, currency="EUR")
                for i, p in enumerate((999, 2500, 12345))
            ]
        self.taken = defaultdict(int)  # tender -> money in
        self.cards: list[str] = []

    def _checkout(self, lines, total, tenders):
        with business_scope(self.business):
            return services.checkout_complete(
                business=self.business,
                location_id=self.location.pk,
                lines=lines,
                shown_total=total,
                currency="EUR",
                tenders=tenders,
                now=NOW,
            )

    @rule(
        product=st.integers(0, 2),
        quantity=st.integers(1, 3),
        cash_share=st.integers(0, 100),
        wrong=st.integers(-50, 50),
    )
    def sell(self, product, quantity, cash_share, wrong):
        total = self.products[product].price_amount * quantity
        cash = total * cash_share // 100
        card = (
            total - cash + (wrong if wrong % 7 == 0 else 0)
        )  # sometimes a split that does not add up
        tenders = [TenderIn(k, a) for k, a in (("cash", cash), ("card", card)) if a > 0]
        try:
            self._checkout(
                [LineIn("product", product_id=self.products[product].pk, quantity=quantity)],
                total,
                tenders,
            )
        except DomainError as exc:
            assert exc.code == "split_mismatch"
            assert sum(t.amount for t in tenders) != total
            return
        assert sum(t.amount for t in tenders) == total
        for tender in tenders:
            self.taken[tender.kind] += tender.amount

    @rule(amount=st.integers(100, 20000))
    def sell_gift_card(self, amount):
        done = self._checkout(
            [LineIn("gift_card", amount=amount)], amount, [TenderIn("card", amount)]
        )
        self.taken["card"] += amount
        self.cards.append(issued_codes(done)[0][1])

    @precondition(lambda self: self.cards)
    @rule(data=st.data())
    def spend_gift_card(self, data):
        code = data.draw(st.sampled_from(self.cards))
        product = self.products[0]
        try:
            self._checkout(
                [LineIn("product", product_id=product.pk)],
                product.price_amount,
                [TenderIn("gift_card", product.price_amount, {"code": code})],
            )
        except DomainError as exc:
            assert exc.code == "gift_card_insufficient"

    @rule(data=st.data(), amount=st.integers(1, 30000))
    def refund(self, data, amount):
        with scopes_disabled():
            ids = list(
                Payment.objects.filter(
                    business=self.business, tender__in=["cash", "card"]
                ).values_list("pk", flat=True)
            )
        if not ids:
            return
        payment_id = data.draw(st.sampled_from(ids))
        with scopes_disabled():
            payment = Payment.objects.get(pk=payment_id)
        left = payment.amount_captured - payment.amount_refunded
        try:
            with business_scope(self.business):
                services.refund_create(
                    business=self.business,
                    payment_id=payment_id,
                    amount=amount,
                    reason="client_request",
                    now=NOW,
                )
        except DomainError as exc:
            assert exc.code == "refund_too_large" and amount > left
            return
        assert amount <= left
        self.taken[payment.tender] -= amount

    @invariant()
    def books(self):
        if not hasattr(self, "business"):
            return
        with scopes_disabled():
            per_tx = defaultdict(int)
            for tx_id, amount in LedgerEntry.objects.filter(business=self.business).values_list(
                "transaction_id", "amount"
            ):
                per_tx[tx_id] += amount
            assert all(v == 0 for v in per_tx.values())
            assert (
                not Payment.objects.filter(business=self.business, amount_refunded__gt=0)
                .exclude(amount_refunded__lte=F("amount_captured"))
                .exists()
            )
        for tender in ("cash", "card"):
            assert (
                ledger.balance(business=self.business, account=tender, currency="EUR")
                == self.taken[tender]
            )


@pytest.mark.django_db
def test_money_machine():
    run_state_machine_as_test(
        MoneyMachine,
        settings=settings(
            max_examples=15,
            stateful_step_count=10,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
