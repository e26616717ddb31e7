"""The events other areas write for webhooks, inside their own transactions:
client cards (made in the office or imported), reviews, payments
(at a checkout, captured later, refunded)."""

import json

import pytest
from django_scopes import scopes_disabled

from solibook.clients import services as clients
from solibook.core.tenancy import business_scope
from solibook.developers import delivery, services
from solibook.developers.models import WebhookDelivery
from solibook.finance import services as finance
from solibook.finance.models import CheckoutLine, Payment
from solibook.finance.services import RefundLineIn, TenderIn
from solibook.reviews.services import review_create
from solibook.testing.booking import book, complete
from solibook.testing.factories import UserFactory, member
from solibook.testing.salon import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def hook(salon, partner):
    with business_scope(salon.business):
        return services.endpoint_create(
            business=salon.business,
            actor=member(salon.business),
            url=partner.url,
            events=[
                "client.created",
                "client.updated",
                "payment.refunded",
                "payment.succeeded",
                "review.published",
            ],
        ).obj


def sent(hook) -> list[tuple[str, dict]]:
    delivery.pump()
    with scopes_disabled():
        rows = WebhookDelivery.objects.filter(endpoint=hook).order_by("id")
        return [(r.event_type, json.loads(r.body)["data"]) for r in rows]


def test_client_cards(salon, hook):
    owner = member(salon.business)
    with business_scope(salon.business):
        card = clients.client_create(
            business=salon.business, actor=owner, data={"first_name": "Zoé", "phone": ""}
        )
        clients.client_update(
            business=salon.business, client=card, actor=owner, data={"last_name": "Martin"}
        )
    assert sent(hook) == [
        ("client.created", {"business_id": salon.business.pk, "client_id": card.pk}),
        (
            "client.updated",
            {"business_id": salon.business.pk, "client_id": card.pk, "fields": ["last_name"]},
        ),
    ]


def test_a_review(salon, hook):
    user = UserFactory()
    visit = book(salon, account=user, actor=user)
    complete(salon, visit)
    review = review_create(user=user, appointment_id=visit.pk, rating=5, text="Parfait")
    [(kind, data)] = [e for e in sent(hook) if e[0] == "review.published"]
    assert data["review_id"] == review.pk and data["rating"] == 5


def test_a_payment_and_its_refund(salon, hook):
    visit = book(salon)
    with business_scope(salon.business):
        done = finance.checkout_complete(
            business=salon.business,
            location_id=salon.location.pk,
            currency="EUR",
            now=NOW,
            appointment_id=visit.pk,
            shown_total=4500,
            tenders=[TenderIn("cash", 4500)],
        )
        with scopes_disabled():
            line = CheckoutLine.objects.filter(checkout=done).first()
        finance.refund_by_lines(
            business=salon.business,
            checkout_id=done.pk,
            lines=[RefundLineIn(line.pk, 1)],
            tip_ids=[],
            reason="client_request",
            now=NOW,
        )
    events = sent(hook)
    paid = [d for k, d in events if k == "payment.succeeded"]
    refunded = [d for k, d in events if k == "payment.refunded"]
    assert [(d["amount"], d["currency"], d["tender"]) for d in paid] == [(4500, "EUR", "cash")]
    assert paid[0]["appointment_id"] == visit.pk
    assert [(d["amount"], d["payment_id"]) for d in refunded] == [(4500, paid[0]["payment_id"])]


def test_every_capture_is_announced_once(salon, hook):
    """An online deposit captured later (a state change saved), a payment
    created captured, and later saves of a captured payment (refund totals)."""
    with scopes_disabled():
        online = Payment.objects.create(
            business=salon.business,
            purpose=Payment.Purpose.DEPOSIT,
            tender="online",
            provider="stripe",
            state=Payment.State.AUTHORIZED,
            amount=1500,
            currency="EUR",
            created_at=NOW,
        )
        online.state, online.amount_captured = Payment.State.CAPTURED, 1500
        online.save(update_fields=["state", "amount_captured", "updated_at"])
        online.amount_refunded = 500
        online.save(update_fields=["amount_refunded", "updated_at"])
    paid = [d for k, d in sent(hook) if k == "payment.succeeded"]
    assert [(d["payment_id"], d["purpose"], d["amount"]) for d in paid] == [
        (online.pk, "deposit", 1500)
    ]
