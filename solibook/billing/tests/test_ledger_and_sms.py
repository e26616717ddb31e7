"""Both books at issue, payment, credit note and regeneration; SMS counted against the
plan's credits, charged beyond them, once per message, on the invoice as one line."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from solibook.billing import selectors, services
from solibook.billing.models import Charge, Invoice, Plan
from solibook.finance import accounts, ledger
from solibook.finance.models import LedgerEntry
from solibook.testing.clients import pages_as
from solibook.testing.factories import BusinessFactory, member

pytestmark = pytest.mark.django_db
NOW = datetime(2030, 3, 16, 9, 0, tzinfo=UTC)


def salon():
    business = BusinessFactory(country="FR", currency="EUR")
    member(business, language="fr")
    return business


def charge(business, kind, amount, source, **extra):
    return services.charge_record(
        business=business,
        kind=kind,
        amount=amount,
        currency="EUR",
        description=kind,
        source=source,
        now=extra.pop("now", NOW),
        **extra,
    )


def platform(account):
    return ledger.balance(business=None, account=account, currency="EUR")


def books(business, account):
    return ledger.balance(business=business, account=account, currency="EUR")


def balanced() -> None:
    """Every transaction balances, so debits == credits over the whole ledger."""
    with scopes_disabled():
        per_tx: dict[int, int] = {}
        debits = credits = 0
        for tx, amount in LedgerEntry.objects.values_list("transaction_id", "amount"):
            per_tx[tx] = per_tx.get(tx, 0) + amount
            debits += max(amount, 0)
            credits += max(-amount, 0)
    assert all(total == 0 for total in per_tx.values())
    assert debits == credits


def test_issue_posts_receivable_against_each_revenue_and_vat_then_payment_and_credit_note():
    business = salon()
    charge(business, "subscription", 2900, "s:1")
    charge(business, "commission", 1000, "c:1")
    charge(business, "promotion", 500, "p:1")
    charge(business, "sms", 16, "sms:x")
    assert platform(accounts.RECEIVABLES) == 0  # nothing is posted before the invoice
    invoice = services.invoice_issue(business=business, now=NOW)
    assert (invoice.net_total, invoice.tax_total, invoice.total) == (4416, 883, 5299)
    assert platform(accounts.RECEIVABLES) == 5299
    assert platform(accounts.SUBSCRIPTIONS) == -2900
    assert platform(accounts.COMMISSION_INCOME) == -1000
    assert platform(accounts.PROMOTION) == -500
    assert platform(accounts.SMS_INCOME) == -16
    assert platform(accounts.TAXES_PAYABLE) == -883
    # The salon's side: its platform fees and deductible VAT against what it owes.
    assert books(business, accounts.PLATFORM_FEES) == 4416
    assert books(business, accounts.TAXES_PAYABLE) == 883
    assert books(business, accounts.PAYABLES) == -5299
    balanced()

    # The commission is reversed after invoicing: a credit note, the invoice untouched.
    charge(business, "commission", -1000, "c:1:refund", reverses="c:1")
    with scopes_disabled():
        note = Invoice.objects.get(credit_note_of=invoice)
    assert note.total == -1200
    assert platform(accounts.COMMISSION_INCOME) == 0
    assert platform(accounts.TAXES_PAYABLE) == -683
    assert platform(accounts.RECEIVABLES) == 4099 == selectors.amount_due(invoice)
    assert books(business, accounts.PAYABLES) == -4099
    balanced()

    services.invoice_mark_paid(invoice_id=invoice.pk, reference="VIR-1", now=NOW)
    assert platform(accounts.RECEIVABLES) == 0
    assert platform(accounts.PLATFORM_BANK) == 4099
    assert books(business, accounts.PAYABLES) == 0
    assert books(business, accounts.BANK) == -4099
    balanced()


def test_a_credit_note_on_a_paid_invoice_is_deducted_from_the_next_with_its_vat_once():
    business = salon()
    charge(business, "commission", 1000, "c:2")
    first = services.invoice_issue(business=business, now=NOW)
    services.invoice_mark_paid(invoice_id=first.pk, now=NOW)
    charge(business, "commission", -1000, "c:2:refund", reverses="c:2")
    assert platform(accounts.RECEIVABLES) == -1200  # the platform owes the salon
    later = NOW + timedelta(days=20)
    charge(business, "subscription", 2900, "s:2", now=later)
    second = services.invoice_issue(business=business, now=later)
    # VAT on the subscription in full; the credit note's 12.00 (VAT included) deducted.
    assert (second.net_total, second.tax_total, second.total) == (2900, 580, 3480 - 1200)
    assert platform(accounts.RECEIVABLES) == second.total == selectors.amount_due(second)
    assert platform(accounts.TAXES_PAYABLE) == -580
    with scopes_disabled():
        assert not Charge.objects.filter(business=business, invoice__isnull=True).exists()
    pages = pages_as(business)
    page = pages.get(reverse("billing:invoice", args=[business.slug, second.pk]))
    assert 'id="invoice-deducted"' in page.content.decode()
    balanced()


def test_a_salon_refers_salon_credit_settles_the_receivable_referrals_posted():
    from solibook.referrals.models import SalonInvite
    from solibook.referrals.services import salon_went_live

    inviter, invitee = salon(), salon()
    with scopes_disabled():
        invite = SalonInvite.objects.create(
            inviter=inviter,
            invitee=invitee,
            email="x@example.test",
            code="INV9",
            currency="EUR",
            credit_amount=2000,
            created_at=NOW,
        )
    with scopes_disabled():
        salon_went_live(invite_id=invite.pk, now=NOW)
    charge(inviter, "commission", 5000, "c:ref")
    invoice = services.invoice_issue(business=inviter, now=NOW)
    assert (invoice.net_total, invoice.total) == (3000, 3600)
    receivable = ledger.balance(business=None, account=accounts.RECEIVABLES, currency="EUR")
    # the invitee's credit (2000, not invoiced yet) is still owed to it
    assert receivable == invoice.total - 2000
    services.invoice_mark_paid(invoice_id=invoice.pk, now=NOW)
    assert platform(accounts.RECEIVABLES) == -2000
    balanced()


def test_a_regenerated_invoice_reverses_its_posting_and_takes_a_new_number():
    business = salon()
    charge(business, "subscription", 2900, "s:3")
    first = services.invoice_issue(business=business, now=NOW)
    charge(business, "sms", 8, "sms:late", now=NOW)
    new = services.invoice_regenerate(business=business, invoice_id=first.pk, now=NOW)
    assert new.number != first.number and new.sequence == first.sequence + 1
    assert platform(accounts.RECEIVABLES) == new.total == 3490
    assert platform(accounts.SUBSCRIPTIONS) == -2900
    assert books(business, accounts.PAYABLES) == -3490
    balanced()


def test_sms_within_the_credits_are_free_beyond_charged_once_each_and_one_line(settings):
    settings.BILLING_SMS_PRICES = {"EUR": 8}
    business = salon()
    services.subscription_start(business=business, plan_code="starter", now=NOW)
    Plan.objects.filter(code="starter").update(sms_credits_month=2)
    for n in (1, 2, 3, 3, 4):  # message 3 is recorded twice (a task run twice)
        services.sms_record(business=business, source=f"notification:{n}", now=NOW)
    usage = selectors.sms_usage(business, now=NOW)
    assert (usage.sent, usage.included, usage.charged, usage.amount) == (4, 2, 2, 16)
    with scopes_disabled():
        assert Charge.objects.filter(business=business, kind="sms").count() == 4
    invoice = services.invoice_issue(business=business, now=NOW)
    with scopes_disabled():
        [line] = invoice.lines.filter(kind="sms")
    assert line.amount == 16 and "4" in line.description  # French: "SMS : 4 messages"
    assert platform(accounts.SMS_INCOME) == -16
    # next month the credits start again
    services.sms_record(business=business, source="notification:5", now=NOW + timedelta(days=31))
    assert selectors.sms_usage(business, now=NOW + timedelta(days=31)).charged == 0
    page = pages_as(business).get(reverse("billing:office", args=[business.slug]))
    assert 'id="sms-usage"' in page.content.decode()


def test_the_api_shows_the_months_sms_against_the_credits():
    from solibook.testing.clients import api_as

    business = salon()
    services.subscription_start(business=business, plan_code="starter")
    services.sms_record(business=business, source="notification:a")
    answer = api_as(business).get(f"/api/v1/businesses/{business.pk}/billing/")
    assert answer.status_code == 200
    assert answer.json()["sms"]["sent"] == 1 and answer.json()["sms"]["included"] == 100
