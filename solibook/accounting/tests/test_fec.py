"""The FEC export parsed back: 18 columns, balanced écritures, AAAAMMJJ dates, comma decimals."""

import re
from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from solibook.accounting import exports, fec, services
from solibook.accounting.tests.helpers import expense, sale
from solibook.core.errors import ValidationFailed
from solibook.core.tenancy import business_scope
from solibook.finance import ledger
from solibook.finance.models import LedgerTransaction
from solibook.testing.factories import BusinessFactory, LocationFactory

pytestmark = pytest.mark.django_db


def parse_amount(text: str) -> Decimal:
    assert re.fullmatch(r"\d+,\d{2}", text), text
    return Decimal(text.replace(",", "."))


def check_fec(text: str) -> list[dict]:
    assert "\t" in text.splitlines()[0]
    rows = fec.parse(text)
    by_ecriture = defaultdict(lambda: [Decimal(0), Decimal(0)])
    numbers_per_journal = defaultdict(set)
    for row in rows:
        assert len(row) == 18
        for key in ("EcritureDate", "PieceDate", "ValidDate"):
            assert re.fullmatch(r"20\d{6}", row[key]), row[key]
            date(int(row[key][:4]), int(row[key][4:6]), int(row[key][6:]))  # a real calendar date
        assert re.fullmatch(r"[1-8]\d{5}", row["CompteNum"])
        assert (
            row["CompteLib"]
            and row["JournalCode"]
            and row["JournalLib"]
            and row["EcritureLib"]
            and row["PieceRef"]
        )
        debit, credit = parse_amount(row["Debit"]), parse_amount(row["Credit"])
        assert (debit == 0) != (credit == 0)
        key = (row["JournalCode"], row["EcritureNum"])
        by_ecriture[key][0] += debit
        by_ecriture[key][1] += credit
        numbers_per_journal[row["JournalCode"]].add(row["EcritureNum"])
    for key, (debit, credit) in by_ecriture.items():
        assert debit == credit, key
    for journal, numbers in numbers_per_journal.items():
        # A continuous sequence per journal, no gaps.
        assert sorted(numbers) == [f"{journal}{i:06d}" for i in range(1, len(numbers) + 1)]
    return rows


def test_the_fec_of_a_year_parses_back_and_balances(salon):
    salon.business.registration_number = "732 829 320 00074"
    salon.business.save()
    sale(
        salon.business,
        at=datetime(2030, 3, 5, 10, tzinfo=UTC),
        amount=4500,
        tax=900,
        tip=500,
        location=salon.location,
        master=salon.lea,
        reference="checkout:1",
    )
    sale(
        salon.business,
        at=datetime(2030, 3, 6, 10, tzinfo=UTC),
        amount=123456,
        location=salon.location,
        tender="cash",
    )
    e = expense(salon, amount=120050, day=date(2030, 4, 1), description="Loyer\tavril\nbureau")
    with business_scope(salon.business):
        services.expense_void(
            actor=None, business=salon.business, expense_id=e.pk, reason="doublon"
        )
        result = exports.fec_export(
            business=salon.business, start=date(2030, 1, 1), end=date(2030, 12, 31)
        )
    assert result.filename == "732829320FEC20301231.txt"
    rows = check_fec(result.body)
    assert result.body.endswith("\r\n")
    assert len(rows) == 4 + 2 + 2 + 2
    sale_rows = [r for r in rows if r["PieceRef"] == "checkout:1"]
    assert {r["CompteNum"]: (r["Debit"], r["Credit"]) for r in sale_rows} == {
        "511500": ("59,00", "0,00"),
        "706000": ("0,00", "45,00"),
        "445710": ("0,00", "9,00"),
        "467100": ("0,00", "5,00"),
    }
    assert {r["JournalCode"] for r in sale_rows} == {"VE"}
    rent = [r for r in rows if r["JournalCode"] == "AC"]
    assert {r["CompteNum"] for r in rent} == {
        "613200",
        "512000",
    }  # the category's own account, the bank
    assert rent[0]["EcritureDate"] == "20300401" and rent[0]["Debit"] == "1200,50"
    assert "\t" not in rent[0]["EcritureLib"] and "Loyer avril bureau" in rent[0]["EcritureLib"]
    assert any(
        r["JournalCode"] == "OD" and r["CompteNum"] == "613200" and r["Credit"] == "1200,50"
        for r in rows
    )  # the reversal
    cash = next(r for r in rows if r["CompteNum"] == "530000")
    assert cash["Debit"] == "1234,56"


def test_the_fec_date_is_the_local_day(salon):
    # 23:30 in Paris on 31 December is still 2030 there, though 2030-12-31T22:30Z.
    sale(
        salon.business,
        at=datetime(2030, 12, 31, 22, 30, tzinfo=UTC),
        amount=1000,
        location=salon.location,
    )
    sale(
        salon.business,
        at=datetime(2030, 12, 31, 23, 30, tzinfo=UTC),
        amount=2000,
        location=salon.location,
    )  # 2031 in Paris
    with business_scope(salon.business):
        rows = check_fec(
            exports.fec_export(
                business=salon.business, start=date(2030, 1, 1), end=date(2030, 12, 31)
            ).body
        )
    assert {r["EcritureDate"] for r in rows} == {"20301231"}
    assert len(rows) == 2


def test_the_fec_is_refused_for_books_not_in_euros(db):
    business = BusinessFactory(currency="RUB", country="RU")
    LocationFactory(business=business, time_zone="Europe/Moscow")
    with business_scope(business), pytest.raises(ValidationFailed) as caught:
        exports.fec_export(business=business, start=date(2030, 1, 1), end=date(2030, 12, 31))
    assert caught.value.code == "fec_currency"


def test_an_empty_period_is_just_the_header(salon):
    with business_scope(salon.business):
        body = exports.fec_export(
            business=salon.business, start=date(2030, 1, 1), end=date(2030, 12, 31)
        ).body
    assert body == "\t".join(fec.COLUMNS) + "\r\n"
    assert fec.parse(body) == []


def test_render_numbers_by_validation_order_and_maps_unknown_accounts_to_suspense():
    txs = [
        fec.FecTransaction(
            2,
            "checkout",
            "b",
            "",
            date(2030, 1, 2),
            date(2030, 1, 3),
            [fec.FecEntry("cash", 100), fec.FecEntry("revenue:x", -100)],
        ),
        fec.FecTransaction(
            1,
            "checkout",
            "a",
            "",
            date(2030, 1, 5),
            date(2030, 1, 1),
            [fec.FecEntry("mystery", 250), fec.FecEntry("cash", -250)],
        ),
    ]
    rows = fec.parse(fec.render(txs))
    assert [r["EcritureNum"] for r in rows] == ["VE000001", "VE000001", "VE000002", "VE000002"]
    assert rows[0]["EcritureLib"] == "a" and rows[0]["CompteNum"] == "471000"
    assert (
        fec.amount_text(5) == "0,05"
        and fec.amount_text(-0) == "0,00"
        and fec.amount_text(100000000) == "1000000,00"
    )


def test_journal_csv_lists_every_entry(salon):
    sale(
        salon.business,
        at=datetime(2030, 3, 5, 10, tzinfo=UTC),
        amount=4500,
        tip=500,
        location=salon.location,
        master=salon.lea,
    )
    with business_scope(salon.business):
        body = exports.journal_csv(
            business=salon.business, start=date(2030, 1, 1), end=date(2030, 12, 31)
        ).body
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == 3
    assert (
        sum(Decimal(r["debit"] or 0) for r in rows)
        == sum(Decimal(r["credit"] or 0) for r in rows)
        == Decimal("50.00")
    )
    assert {r["master"] for r in rows if r["account"] == "tips_payable"} == {"Léa"}


def test_categories_name_their_own_account_in_the_fec(salon):
    with business_scope(salon.business):
        laundry = services.category_create(
            actor=None,
            business=salon.business,
            name="Blanchisserie",
            code="laundry",
            fec_account="606400",
        )
    with scopes_disabled():
        ledger.post(
            business=salon.business,
            kind="expense",
            memo="linge",
            lines=[
                ledger.Line(laundry.account, 999, "EUR", location=salon.location),
                ledger.Line("cash", -999, "EUR", location=salon.location),
            ],
            occurred_at=datetime(2030, 2, 1, 12, tzinfo=UTC),
        )
        assert LedgerTransaction.objects.filter(business=salon.business).count() == 1
    with business_scope(salon.business):
        rows = check_fec(
            exports.fec_export(
                business=salon.business, start=date(2030, 1, 1), end=date(2030, 12, 31)
            ).body
        )
    assert {(r["CompteNum"], r["CompteLib"]) for r in rows} == {
        ("606400", "Blanchisserie"),
        ("530000", "Caisse"),
    }
