"""Expenses: recorded with the ledger posting in one transaction; bad input refused whole."""

from datetime import date, timedelta

import pytest
from django_scopes import scopes_disabled

from solibook.accounting import services
from solibook.accounting.models import Expense
from solibook.accounting.receipts import MAX_RECEIPT_BYTES
from solibook.accounting.tests.helpers import NOW, PDF, category, expense, png_bytes, upload
from solibook.core.errors import Conflict, ValidationFailed
from solibook.core.tenancy import business_scope
from solibook.finance import ledger
from solibook.finance.models import LedgerEntry, LedgerTransaction
from solibook.testing.factories import BusinessFactory, LocationFactory

pytestmark = pytest.mark.django_db


def counts(business):
    with scopes_disabled():
        return (
            Expense.objects.filter(business=business).count(),
            LedgerTransaction.objects.filter(business=business).count(),
        )


def test_an_expense_posts_debit_category_credit_source(salon):
    e = expense(salon, amount=12000, paid_from="bank")
    assert e.ledger_transaction_id
    bal = ledger.balance(business=salon.business, account="expenses:rent", currency="EUR")
    assert bal == 12000
    assert ledger.balance(business=salon.business, account="bank", currency="EUR") == -12000
    with scopes_disabled():
        entries = list(LedgerEntry.objects.filter(transaction_id=e.ledger_transaction_id))
    assert {x.location_id for x in entries} == {salon.location.pk}
    # Dated at the start of the local day (Paris: 22:00 UTC the day before).
    assert entries[0].occurred_at.isoformat() == "2030-05-19T22:00:00+00:00"


def test_voiding_reverses_the_posting_once(salon):
    e = expense(salon, amount=5000)
    with business_scope(salon.business):
        services.expense_void(
            actor=None, business=salon.business, expense_id=e.pk, reason="Entered twice"
        )
        with pytest.raises(Conflict):
            services.expense_void(
                actor=None, business=salon.business, expense_id=e.pk, reason="Again"
            )
        e.refresh_from_db()
    assert e.status == "voided" and e.reversal_transaction_id
    assert ledger.balance(business=salon.business, account="expenses:rent", currency="EUR") == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": -100}, "amount"),
        ({"amount": 0}, "amount"),
        ({"amount": 10**13}, "amount"),
        ({"amount": 12.5}, "amount"),
        ({"currency": "USD"}, "currency"),
        ({"currency": "XXX1"}, "currency"),
        (
            {"incurred_on": NOW.date() + timedelta(days=services.EXPENSE_MAX_DAYS_AHEAD + 2)},
            "incurred_on",
        ),
        ({"incurred_on": date(1999, 12, 31)}, "incurred_on"),
        ({"paid_from": "gift_card"}, "paid_from"),
        ({"description": "   "}, "description"),
        ({"location_id": 2**70}, "location_id"),
        ({"category_id": -1}, "category_id"),
        ({"supplier_id": 99999999}, "supplier_id"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(salon, changes, field):
    fields = {
        "location_id": salon.location.pk,
        "category_id": category(salon.business).pk,
        "description": "Rent",
        "amount": 1000,
        "currency": "EUR",
        "incurred_on": date(2030, 5, 20),
        "paid_from": "cash",
    }
    fields.update(changes)
    before = counts(salon.business)
    with business_scope(salon.business), pytest.raises(ValidationFailed) as caught:
        services.expense_create(actor=None, business=salon.business, now=NOW, **fields)
    assert field in caught.value.fields
    assert caught.value.fields[field][0]
    assert counts(salon.business) == before


def test_a_date_up_to_the_policy_ahead_is_accepted(salon):
    e = expense(salon, day=NOW.date() + timedelta(days=services.EXPENSE_MAX_DAYS_AHEAD))
    assert e.pk


def test_another_business_objects_cannot_be_used(salon):
    other = BusinessFactory()
    other_location = LocationFactory(business=other)
    other_category = category(other)
    with business_scope(salon.business):
        with pytest.raises(ValidationFailed) as caught:
            services.expense_create(
                actor=None,
                business=salon.business,
                location_id=other_location.pk,
                category_id=category(salon.business).pk,
                description="x",
                amount=100,
                currency="EUR",
                incurred_on=date(2030, 5, 1),
                paid_from="cash",
                now=NOW,
            )
        assert "location_id" in caught.value.fields
        with pytest.raises(ValidationFailed) as caught:
            services.expense_create(
                actor=None,
                business=salon.business,
                location_id=salon.location.pk,
                category_id=other_category.pk,
                description="x",
                amount=100,
                currency="EUR",
                incurred_on=date(2030, 5, 1),
                paid_from="cash",
                now=NOW,
            )
        assert "category_id" in caught.value.fields


def test_receipts_pdf_and_image_are_kept(salon, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    e = expense(salon, receipt=upload("facture.PDF", PDF, "application/pdf"))
    assert e.receipt.name.endswith(".pdf") and "facture" not in e.receipt.name
    assert (tmp_path / e.receipt.name).read_bytes() == PDF
    e2 = expense(salon, receipt=upload("photo.jpeg", png_bytes(), "image/jpeg"))
    assert e2.receipt.name.endswith(".png")  # named by what it is, not by what it claims


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.pdf", b"MZ\x90\x00" + b"\x00" * 100, "PDF or an image"),
        ("notes.txt", b"hello", "PDF or an image"),
        ("fake.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 10, "cannot be read"),
        ("empty.pdf", b"", "empty"),
        ("huge.pdf", b"%PDF-" + b"0" * MAX_RECEIPT_BYTES, "10 MB"),
    ],
)
def test_bad_receipts_are_refused_and_nothing_is_stored(
    salon, settings, tmp_path, name, content, message
):
    settings.MEDIA_ROOT = tmp_path
    before = counts(salon.business)
    with pytest.raises(ValidationFailed) as caught:
        expense(salon, receipt=upload(name, content))
    assert message in caught.value.fields["receipt"][0]
    assert counts(salon.business) == before
    assert not list(tmp_path.rglob("*.*"))


def test_a_ledger_refusal_leaves_no_expense_and_no_file(salon, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path

    def refuse(**kwargs):
        raise ValidationFailed("ledger says no", code="ledger_unbalanced")

    monkeypatch.setattr("solibook.accounting.ledger.post", refuse)
    before = counts(salon.business)
    with pytest.raises(ValidationFailed):
        expense(salon, receipt=upload("r.pdf", PDF))
    assert counts(salon.business) == before
    assert not list(tmp_path.rglob("*.pdf"))


def test_default_categories_are_created_once(salon):
    with business_scope(salon.business):
        services.categories_ensure_defaults(business=salon.business)
        services.categories_ensure_defaults(business=salon.business)
        from solibook.accounting.models import ExpenseCategory

        assert ExpenseCategory.objects.filter(business=salon.business).count() == len(
            services.DEFAULT_CATEGORIES
        )


def test_a_reserved_or_duplicate_category_code_is_refused(salon):
    category(salon.business)
    with business_scope(salon.business):
        with pytest.raises(ValidationFailed) as caught:
            services.category_create(
                actor=None, business=salon.business, name="Wages", code="staff_pay"
            )
        assert "code" in caught.value.fields
        with pytest.raises(ValidationFailed) as caught:
            services.category_create(
                actor=None, business=salon.business, name="Rent 2", code="rent"
            )
        assert "code" in caught.value.fields
        with pytest.raises(ValidationFailed) as caught:
            services.category_create(
                actor=None, business=salon.business, name="Bad", code="Bad Code!"
            )
        assert "code" in caught.value.fields
        with pytest.raises(ValidationFailed) as caught:
            services.category_create(
                actor=None,
                business=salon.business,
                name="Laundry",
                code="laundry",
                fec_account="abc",
            )
        assert "fec_account" in caught.value.fields
