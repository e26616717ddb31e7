"""Payout reconciliation against a local Stripe-like server; accounting packages' CSV."""

import csv
import io
from datetime import UTC, date, datetime

import pytest
import stripe
from django_scopes import scopes_disabled

from solibook.compliance import packages, reconcile
from solibook.compliance.tests.fake_stripe_payouts import ACCOUNT, KEY, FakePayouts
from solibook.core.errors import ValidationFailed
from solibook.core.tenancy import business_scope
from solibook.finance.models import FinanceSettings, Payment, Refund

pytestmark = pytest.mark.django_db
DAY = datetime(2030, 6, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def stripe_fake(settings, monkeypatch):
    fake = FakePayouts().start()
    monkeypatch.setattr(stripe, "api_base", fake.url)
    settings.STRIPE_SECRET_KEY = KEY
    settings.STRIPE_API_BASE = ""
    yield fake
    fake.stop()


def pay(shop, ref, amount, when=DAY):
    with scopes_disabled():
        return Payment.objects.create(
            business=shop.business,
            purpose="deposit",
            tender="online",
            provider="stripe",
            provider_ref=ref,
            state="captured",
            amount=amount,
            amount_captured=amount,
            currency=shop.business.currency,
            created_at=when,
        )


def charge_txn(payout, intent, amount, fee=100, when=DAY):
    return {
        "id": f"txn_{intent}",
        "object": "balance_transaction",
        "type": "charge",
        "amount": amount,
        "fee": fee,
        "net": amount - fee,
        "created": int(when.timestamp()),
        "payout": payout,
        "source": {"id": f"ch_{intent}", "object": "charge", "payment_intent": intent},
    }


def test_payouts_matched_missing_and_different(saudi, stripe_fake, client):
    with scopes_disabled():
        FinanceSettings.objects.filter(business=saudi.business).update(stripe_account_id=ACCOUNT)
    pay(saudi, "pi_ok", 11500)
    pay(saudi, "pi_diff", 5000)
    pay(saudi, "pi_unpaid", 2300)  # never paid out
    refunded = pay(saudi, "pi_refunded", 4000)
    with scopes_disabled():
        Refund.objects.create(
            business=saudi.business,
            payment=refunded,
            amount=1500,
            currency="SAR",
            reason="client_request",
            state="succeeded",
            provider_ref="re_1",
            created_at=DAY,
        )
    arrival = int(datetime(2030, 6, 12, tzinfo=UTC).timestamp())
    stripe_fake.payouts = [
        {
            "id": "po_1",
            "object": "payout",
            "amount": 100,
            "arrival_date": arrival,
            "status": "paid",
        },
        # Arrives long after the period: not read.
        {
            "id": "po_late",
            "object": "payout",
            "amount": 1,
            "arrival_date": arrival + 90 * 86400,
            "status": "paid",
        },
    ]
    stripe_fake.transactions = [
        charge_txn("po_1", "pi_ok", 11500),
        charge_txn("po_1", "pi_diff", 4900),
        charge_txn("po_1", "pi_refunded", 4000),
        charge_txn("po_1", "pi_stranger", 7000),  # not in our ledger
        {
            "id": "txn_re_1",
            "object": "balance_transaction",
            "type": "refund",
            "amount": -1500,
            "fee": 0,
            "net": -1500,
            "created": int(DAY.timestamp()),
            "payout": "po_1",
            "source": {"id": "re_1", "object": "refund", "payment_intent": "pi_refunded"},
        },
        charge_txn("po_late", "pi_other", 1),
    ]
    with business_scope(saudi.business):
        result = reconcile.reconcile(
            business=saudi.business, start=date(2030, 6, 1), end=date(2030, 6, 30)
        )
    by_ref = {line.reference: line for line in result.lines}
    assert by_ref["pi_ok"].status == "matched"
    assert by_ref["pi_refunded"].status == "matched"
    assert by_ref["re_1"].status == "matched" and by_ref["re_1"].kind == "refund"
    assert by_ref["pi_diff"].status == "amount_differs" and by_ref["pi_diff"].difference == -100
    assert by_ref["pi_stranger"].status == "missing_in_ledger"
    assert by_ref["pi_unpaid"].status == "missing_at_provider"
    assert "pi_other" not in by_ref
    assert result.counts == {
        "matched": 3,
        "amount_differs": 1,
        "missing_in_ledger": 1,
        "missing_at_provider": 1,
    }
    assert [p.id for p in result.payouts] == ["po_1"]
    # Every call carried the key and the salon's connected account, and expanded the sources.
    assert all(
        r["account"] == ACCOUNT and r["auth"] == f"Bearer {KEY}" for r in stripe_fake.requests
    )
    txn_calls = [r for r in stripe_fake.requests if r["path"] == "/v1/balance_transactions"]
    assert txn_calls and all(("expand[0]", "data.source") in r["params"] for r in txn_calls)

    client.force_login(saudi.owner)
    page = client.get(
        f"/en/office/{saudi.business.slug}/compliance/reconciliation/?start=2030-06-01&end=2030-06-30"
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "Missing in the ledger" in text and "pi_stranger" in text
    api = client.get(
        f"/api/v1/businesses/{saudi.business.pk}/compliance/reconciliation/?start=2030-06-01&end=2030-06-30"
    )
    assert api.status_code == 200
    assert api.json()["counts"]["amount_differs"] == 1


def test_reconcile_refuses_without_connected_account_and_bad_period(saudi, stripe_fake, client):
    with business_scope(saudi.business), pytest.raises(ValidationFailed) as refused:
        reconcile.reconcile(business=saudi.business, start=date(2030, 6, 1), end=date(2030, 6, 30))
    assert refused.value.code == "no_provider_account"
    client.force_login(saudi.owner)
    api = client.get(
        f"/api/v1/businesses/{saudi.business.pk}/compliance/reconciliation/?start=2030-06-30&end=2030-06-01"
    )
    assert api.status_code == 400


def rows(export):
    return list(csv.reader(io.StringIO(export.body)))


def test_packages_export_balanced_journals_in_their_layouts(saudi):
    checkout = saudi.sell(tender="card")
    day = checkout.created_at.date()
    with business_scope(saudi.business):
        xero = rows(
            packages.package_export(business=saudi.business, package="xero", start=day, end=day)
        )
        qbo = rows(
            packages.package_export(
                business=saudi.business, package="quickbooks", start=day, end=day
            )
        )
        sage = rows(
            packages.package_export(business=saudi.business, package="sage50", start=day, end=day)
        )
    assert xero[0][:6] == [
        "*Narration",
        "*Date",
        "Description",
        "*AccountCode",
        "*TaxRate",
        "*Amount",
    ]
    body = xero[1:]
    assert sum(round(float(r[5]) * 100) for r in body) == 0  # balanced
    by_account = {r[2]: (r[3], r[5]) for r in body}
    assert by_account["card"] == ("090", "115.00")
    assert by_account["taxes_payable"] == ("820", "-15.00")
    assert qbo[0][:6] == [
        "Journal No.",
        "Journal Date",
        "Currency Code",
        "Memo",
        "Account Name",
        "Debits",
    ]
    debits = sum(round(float(r[5] or 0) * 100) for r in qbo[1:])
    credits = sum(round(float(r[6] or 0) * 100) for r in qbo[1:])
    assert debits == credits == 11500
    assert {r[4] for r in qbo[1:]} >= {"Undeposited Funds", "VAT Control"}
    assert sage[0][:3] == ["Type", "Account Reference", "Nominal A/C Ref"]
    jd = sum(round(float(r[7]) * 100) for r in sage[1:] if r[0] == "JD")
    jc = sum(round(float(r[7]) * 100) for r in sage[1:] if r[0] == "JC")
    assert jd == jc == 11500
    assert all(r[8] == "T9" for r in sage[1:])


def test_own_account_codes_win_and_empty_period_is_header_only(saudi, client):
    checkout = saudi.sell(tender="card")
    day = checkout.created_at.date()
    client.force_login(saudi.owner)
    base = f"/api/v1/businesses/{saudi.business.pk}/compliance/exports"
    put = client.put(
        f"{base}/xero/codes/", {"codes": {"card": "1055"}}, content_type="application/json"
    )
    assert put.status_code == 200, put.content
    csv_text = client.get(f"{base}/xero.csv?start={day}&end={day}").content.decode()
    assert "1055" in csv_text
    empty = client.get(f"{base}/sage50.csv?start=2001-01-01&end=2001-01-31")
    assert empty.status_code == 200
    assert empty.content.decode().count("\r\n") == 1
    unknown = client.get(f"{base}/nope.csv?start={day}&end={day}")
    assert unknown.status_code == 404
    page = client.get(
        f"/en/office/{saudi.business.slug}/compliance/exports/?package=quickbooks&start={day}&end={day}"
    )
    assert page.status_code == 200 and page["Content-Type"].startswith("text/csv")


def test_a_period_without_payouts_or_payments_is_clean(saudi, stripe_fake, client):
    with scopes_disabled():
        FinanceSettings.objects.filter(business=saudi.business).update(stripe_account_id=ACCOUNT)
    with business_scope(saudi.business):
        result = reconcile.reconcile(
            business=saudi.business, start=date(2030, 6, 1), end=date(2030, 6, 30)
        )
    assert result.lines == [] and result.payouts == [] and result.clean
    client.force_login(saudi.owner)
    page = client.get(
        f"/en/office/{saudi.business.slug}/compliance/reconciliation/?start=2030-06-01&end=2030-06-30"
    ).content.decode()
    assert "No payout in this period." in page and "Nothing to reconcile in this period." in page
