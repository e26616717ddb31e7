"""Commission lines through finance's real checkout and refund: who is charged,
who is exempt and why, reversals, disputes, and both books balanced."""

from datetime import timedelta

import pytest
from django.test import Client as PageClient
from django_scopes import scopes_disabled

from solibook.billing import services as billing
from solibook.billing.models import Charge, Invoice
from solibook.booking.models import Source
from solibook.commissions import services
from solibook.commissions.models import (
    CommissionLine,
    Dispute,
    ExemptReason,
    LineStatus,
    TouchKind,
)
from solibook.core.errors import Conflict, NotFound, ValidationFailed
from solibook.core.tenancy import business_scope
from solibook.finance import accounts, ledger
from solibook.finance.models import LedgerEntry, Payment
from solibook.finance.services.checkout import TenderIn, checkout_complete
from solibook.finance.services.refunds import refund_create
from solibook.testing.booking import book, client_books, complete
from solibook.testing.factories import BusinessFactory, UserFactory
from solibook.testing.salon import NOW

pytestmark = pytest.mark.django_db


class Session(dict):
    modified = False


def visit(salon, client, *, touch=None, day_offset=0, source=Source.MARKETPLACE, hour=10):
    """A client books (a marketplace booking unless told), arrives with `touch`
    (via= of the link), the visit is completed and paid 45.00 by card."""
    appointment = (
        client_books(salon, client, day_offset=day_offset, hour=hour)
        if source == Source.MARKETPLACE
        else book(salon, source=source, account=client, day_offset=day_offset, hour=hour)
    )
    session = Session()
    if touch is not None:
        services.touch_seen(session=session, business_id=salon.business.pk, via=touch, now=NOW)
    services.touch_record(appointment=appointment, session=session, now=NOW)
    complete(salon, appointment)
    return appointment


def pay(salon, appointment, captured, total=4500):
    with captured(execute=True), business_scope(salon.business):
        return checkout_complete(
            business=salon.business,
            location_id=salon.location.pk,
            currency="EUR",
            now=NOW + timedelta(days=2),
            appointment_id=appointment.pk,
            shown_total=total,
            tenders=[TenderIn("card", total)],
        )


def line_of(appointment) -> CommissionLine:
    with scopes_disabled():
        return CommissionLine.objects.get(appointment=appointment)


def books_balanced() -> None:
    with scopes_disabled():
        per_tx: dict[tuple, int] = {}
        for tx, currency, amount in LedgerEntry.objects.values_list(
            "transaction_id", "currency", "amount"
        ):
            per_tx[(tx, currency)] = per_tx.get((tx, currency), 0) + amount
    assert all(total == 0 for total in per_tx.values())


def test_a_new_marketplace_client_is_charged_on_the_net_paid_with_its_evidence(
    salon, django_capture_on_commit_callbacks
):
    client = UserFactory()
    appointment = visit(salon, client, touch="search")
    pay(salon, appointment, django_capture_on_commit_callbacks)
    line = line_of(appointment)
    # 45.00 with 20 % VAT included: 37.50 net; the free plan's rate.
    assert line.status == LineStatus.PENDING and line.exempt_reason == ""
    assert line.base_amount == 3750
    assert line.amount == (3750 * line.rate_bp + 5000) // 10000 > 0
    assert line.touch_kind == TouchKind.SEARCH and line.touched_at == NOW
    assert line.history["earlier_visits"] == 0
    # Both books, when the line is invoiced: the salon owes, the platform earns.
    assert ledger.balance(business=None, account=accounts.COMMISSION_INCOME, currency="EUR") == 0
    billing.invoice_issue(business=salon.business)
    assert line_of(appointment).status == LineStatus.INVOICED
    assert (
        ledger.balance(business=salon.business, account=accounts.PLATFORM_FEES, currency="EUR")
        == line.amount
    )
    assert (
        ledger.balance(business=None, account=accounts.COMMISSION_INCOME, currency="EUR")
        == -line.amount
    )
    with scopes_disabled():
        charge = Charge.objects.get(source=f"commissions.line:{line.pk}")
    assert charge.amount == line.amount and charge.kind == "commission"
    books_balanced()


@pytest.mark.parametrize("via", ["link", "widget"])
def test_a_client_who_came_through_the_salons_own_link_or_widget_is_never_charged(
    salon, django_capture_on_commit_callbacks, via
):
    appointment = visit(salon, UserFactory(), touch=via)
    pay(salon, appointment, django_capture_on_commit_callbacks)
    line = line_of(appointment)
    assert (line.amount, line.status, line.exempt_reason) == (
        0,
        LineStatus.EXEMPT,
        ExemptReason.OWN_CHANNEL,
    )
    with scopes_disabled():
        assert not Charge.objects.filter(business=salon.business).exists()


def test_the_salons_own_earlier_client_is_not_charged_when_found_on_the_marketplace(
    salon, django_capture_on_commit_callbacks
):
    client = UserFactory()
    earlier = visit(salon, client, source=Source.BACK_OFFICE)  # booked by phone
    pay(salon, earlier, django_capture_on_commit_callbacks)
    appointment = visit(salon, client, touch="search", day_offset=7)
    pay(salon, appointment, django_capture_on_commit_callbacks)
    line = line_of(appointment)
    assert line.exempt_reason == ExemptReason.EARLIER_OWN_CLIENT and line.amount == 0
    assert line.history["own_channel_visits"] == 1
    with scopes_disabled():
        assert not CommissionLine.objects.filter(appointment=earlier).exists()


def test_a_referred_client_is_exempt(salon, django_capture_on_commit_callbacks):
    appointment = visit(salon, UserFactory(), source=Source.REFERRAL)
    pay(salon, appointment, django_capture_on_commit_callbacks)
    with scopes_disabled():
        assert not CommissionLine.objects.filter(appointment=appointment).exists()


def test_once_per_client_within_the_window(salon, django_capture_on_commit_callbacks, settings):
    settings.COMMISSION_RULES = {"repeat_after_months": 12}
    client = UserFactory()
    first = visit(salon, client, touch="search")
    pay(salon, first, django_capture_on_commit_callbacks)
    second = visit(salon, client, touch="search", day_offset=7)
    pay(salon, second, django_capture_on_commit_callbacks)
    assert line_of(first).amount > 0
    assert line_of(second).exempt_reason == ExemptReason.ALREADY_CHARGED


def test_a_full_refund_reverses_the_line_as_a_credit_and_the_books_stay_balanced(
    salon, django_capture_on_commit_callbacks
):
    appointment = visit(salon, UserFactory(), touch="search")
    checkout = pay(salon, appointment, django_capture_on_commit_callbacks)
    amount = line_of(appointment).amount
    with scopes_disabled():
        payment = Payment.objects.get(checkout=checkout)
    with django_capture_on_commit_callbacks(execute=True), business_scope(salon.business):
        refund_create(
            business=salon.business,
            payment_id=payment.pk,
            amount=4500,
            reason="client_request",
            now=NOW + timedelta(days=3),
        )
    line = line_of(appointment)
    assert line.status == LineStatus.REVERSED and line.reversed_amount == amount
    assert line.amount == amount  # never edited: the reversal is its own entry
    assert (
        ledger.balance(business=salon.business, account=accounts.PLATFORM_FEES, currency="EUR") == 0
    )
    assert ledger.balance(business=None, account=accounts.COMMISSION_INCOME, currency="EUR") == 0
    with scopes_disabled():
        credit = Charge.objects.get(
            source=f"commissions.line:{line.pk}:refund:{payment.refunds.get().pk}"
        )
    assert credit.amount == -amount
    books_balanced()


def test_a_half_refund_takes_back_half(salon, django_capture_on_commit_callbacks):
    appointment = visit(salon, UserFactory(), touch="search")
    checkout = pay(salon, appointment, django_capture_on_commit_callbacks)
    amount = line_of(appointment).amount
    with scopes_disabled():
        payment = Payment.objects.get(checkout=checkout)
    with django_capture_on_commit_callbacks(execute=True), business_scope(salon.business):
        refund_create(
            business=salon.business,
            payment_id=payment.pk,
            amount=2250,
            reason="client_request",
            now=NOW + timedelta(days=3),
        )
    line = line_of(appointment)
    assert line.status == LineStatus.PENDING
    assert line.net_amount == amount // 2 or line.net_amount == (amount + 1) // 2
    books_balanced()


def test_dispute_accepted_waives_the_line_and_credits_it(salon, django_capture_on_commit_callbacks):
    appointment = visit(salon, UserFactory(), touch="search")
    pay(salon, appointment, django_capture_on_commit_callbacks)
    line = line_of(appointment)
    owner = UserFactory()
    with business_scope(salon.business):
        with pytest.raises(ValidationFailed) as empty:
            services.dispute_open(
                business=salon.business, line_id=line.pk, reason="  ", actor=owner
            )
        assert "reason" in empty.value.fields
        dispute = services.dispute_open(
            business=salon.business, line_id=line.pk, reason="She is our client", actor=owner
        )
        with pytest.raises(Conflict):
            services.dispute_open(
                business=salon.business, line_id=line.pk, reason="again", actor=owner
            )
    assert line_of(appointment).status == LineStatus.DISPUTED
    operator = UserFactory(is_staff=True)
    with pytest.raises(ValidationFailed):
        services.dispute_decide(dispute_id=dispute.pk, accept=True, reason="", actor=operator)
    services.dispute_decide(
        dispute_id=dispute.pk, accept=True, reason="Card shows earlier visits", actor=operator
    )
    line = line_of(appointment)
    assert line.status == LineStatus.WAIVED and line.net_amount == 0
    with pytest.raises(Conflict):
        services.dispute_decide(dispute_id=dispute.pk, accept=False, reason="x", actor=operator)
    assert (
        ledger.balance(business=salon.business, account=accounts.PLATFORM_FEES, currency="EUR") == 0
    )
    books_balanced()


def test_dispute_rejected_keeps_the_charge(salon, django_capture_on_commit_callbacks):
    appointment = visit(salon, UserFactory(), touch="search")
    pay(salon, appointment, django_capture_on_commit_callbacks)
    line = line_of(appointment)
    with business_scope(salon.business):
        dispute = services.dispute_open(
            business=salon.business, line_id=line.pk, reason="Not ours", actor=None
        )
    services.dispute_decide(
        dispute_id=dispute.pk, accept=False, reason="First visit, from search", actor=None
    )
    line = line_of(appointment)
    assert line.status == LineStatus.PENDING and line.net_amount == line.amount > 0
    with scopes_disabled():
        assert Dispute.objects.get().decision_reason == "First visit, from search"


def test_a_dispute_on_another_salons_line_is_not_found(salon, django_capture_on_commit_callbacks):
    appointment = visit(salon, UserFactory(), touch="search")
    pay(salon, appointment, django_capture_on_commit_callbacks)
    line = line_of(appointment)
    other = BusinessFactory()
    with business_scope(other), pytest.raises(NotFound):
        services.dispute_open(business=other, line_id=line.pk, reason="mine?", actor=None)
    with scopes_disabled():
        assert not Dispute.objects.exists()


def test_dispute_page_on_another_salons_line_is_404(salon, django_capture_on_commit_callbacks):
    from solibook.testing.clients import pages_as

    appointment = visit(salon, UserFactory(), touch="search")
    pay(salon, appointment, django_capture_on_commit_callbacks)
    line = line_of(appointment)
    other = BusinessFactory()
    pages = pages_as(other)
    response = pages.post(
        f"/en/office/{other.slug}/commissions/{line.pk}/dispute/", {"reason": "mine?"}
    )
    assert response.status_code == 404
    anonymous = PageClient().get(f"/en/office/{salon.business.slug}/commissions/")
    assert anonymous.status_code == 302
    with scopes_disabled():
        assert not Dispute.objects.exists()


def test_a_captured_no_show_fee_of_a_marketplace_client_is_a_line(salon):
    from solibook.booking.models import Status

    appointment = client_books(salon, UserFactory())
    services.touch_record(appointment=appointment, session=Session(), now=NOW)
    with business_scope(salon.business):
        # Marked a no-show after its start (the desk's rules are booking's own tests).
        type(appointment).objects.filter(pk=appointment.pk).update(status=Status.NO_SHOW)
        appointment.refresh_from_db()
        fee = Payment.objects.create(
            business=salon.business,
            purpose=Payment.Purpose.FEE,
            tender="card",
            state=Payment.State.CAPTURED,
            amount=2000,
            amount_captured=2000,
            currency="EUR",
            appointment=appointment,
            created_at=NOW,
        )
        line = services.commission_for_fee(payment=fee, now=NOW)
        assert line.kind == "no_show_fee" and line.base_amount == 2000 and line.amount == 400
        assert services.commission_for_fee(payment=fee, now=NOW).pk == line.pk  # once
    books_balanced()


def invoiced_line(salon, captured):
    appointment = visit(salon, UserFactory(), touch="search")
    checkout = pay(salon, appointment, captured)
    invoice = billing.invoice_issue(business=salon.business)
    line = line_of(appointment)
    assert line.status == LineStatus.INVOICED and invoice is not None
    with scopes_disabled():
        assert invoice.charges.filter(source=line.source_key).exists()
        invoice.snapshot = (
            invoice.total,
            invoice.net_total,
            list(invoice.lines.values_list("amount")),
        )
    return appointment, checkout, invoice, line


def unchanged_with_a_credit_note(invoice, amount) -> Invoice:
    with scopes_disabled():
        now = Invoice.objects.get(pk=invoice.pk)
        assert (now.total, now.net_total, list(now.lines.values_list("amount"))) == invoice.snapshot
        [note] = Invoice.objects.filter(credit_note_of=invoice)
    assert note.kind == Invoice.Kind.CREDIT_NOTE and note.net_total == -amount
    assert ledger.balance(business=None, account=accounts.COMMISSION_INCOME, currency="EUR") == 0
    assert (
        ledger.balance(business=salon_of(invoice), account=accounts.PLATFORM_FEES, currency="EUR")
        == 0
    )
    books_balanced()
    return note


def salon_of(invoice):
    return invoice.business


def test_a_refund_after_the_line_was_invoiced_is_a_credit_note(
    salon, django_capture_on_commit_callbacks
):
    appointment, checkout, invoice, line = invoiced_line(salon, django_capture_on_commit_callbacks)
    with scopes_disabled():
        payment = Payment.objects.get(checkout=checkout)
    with django_capture_on_commit_callbacks(execute=True), business_scope(salon.business):
        refund_create(
            business=salon.business,
            payment_id=payment.pk,
            amount=4500,
            reason="client_request",
            now=NOW + timedelta(days=3),
        )
    unchanged_with_a_credit_note(invoice, line.amount)
    assert line_of(appointment).status == LineStatus.REVERSED


def test_a_cancelled_invoiced_visit_is_a_credit_note(salon, django_capture_on_commit_callbacks):
    appointment, _checkout, invoice, line = invoiced_line(salon, django_capture_on_commit_callbacks)
    with business_scope(salon.business):
        services.commission_after_cancellation(appointment=appointment)
    unchanged_with_a_credit_note(invoice, line.amount)


def test_a_dispute_accepted_on_an_invoiced_line_is_a_credit_note_rejected_stays_invoiced(
    salon, django_capture_on_commit_callbacks
):
    appointment, _checkout, invoice, line = invoiced_line(salon, django_capture_on_commit_callbacks)
    with business_scope(salon.business):
        first = services.dispute_open(
            business=salon.business, line_id=line.pk, reason="Ours", actor=None
        )
    services.dispute_decide(dispute_id=first.pk, accept=False, reason="From search", actor=None)
    assert line_of(appointment).status == LineStatus.INVOICED
    with business_scope(salon.business):
        second = services.dispute_open(
            business=salon.business, line_id=line.pk, reason="Card shows", actor=None
        )
    services.dispute_decide(dispute_id=second.pk, accept=True, reason="Agreed", actor=None)
    assert line_of(appointment).status == LineStatus.WAIVED
    unchanged_with_a_credit_note(invoice, line.amount)


def test_the_invoice_page_lists_each_commission_line_with_its_evidence(
    salon, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from solibook.testing.clients import pages_as

    _appointment, _checkout, invoice, line = invoiced_line(
        salon, django_capture_on_commit_callbacks
    )
    page = pages_as(salon.business).get(
        reverse("billing:invoice", args=[salon.business.slug, invoice.pk])
    )
    text = page.content.decode()
    assert f'data-line="{line.pk}"' in text and "First touch:" in text
    assert "Marketplace search" in text and "0 earlier visits" in text
    assert f"#line-{line.pk}" in text
