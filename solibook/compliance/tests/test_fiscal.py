"""54-FZ receipts through ATOL Online v4, against a local server that checks every request."""

import pytest
from django_scopes import scopes_disabled

from solibook.compliance import services
from solibook.compliance.models import FiscalReceipt, FiscalSettings
from solibook.compliance.tests.fake_atol import GROUP, LOGIN, PASSWORD, FakeAtol
from solibook.core.errors import ValidationFailed
from solibook.core.tenancy import business_scope
from solibook.finance.services.refunds import RefundLineIn, refund_by_lines

pytestmark = pytest.mark.django_db


@pytest.fixture
def atol(settings):
    fake = FakeAtol().start()
    settings.COMPLIANCE_ATOL_BASE = fake.url
    settings.COMPLIANCE_ATOL_SANDBOX_BASE = fake.url + "/sandbox-must-not-be-used"
    yield fake
    fake.stop()


def configure(shop, **over):
    values = {
        "enabled": True,
        "sandbox": False,
        "login": LOGIN,
        "password": PASSWORD,
        "group_code": GROUP,
        "inn": "7707083893",
        "tax_system": "osn",
        "payment_address": "https://zhemchug.example",
        "company_email": "kassa@zhemchug.example",
    }
    values.update(over)
    with business_scope(shop.business):
        return services.fiscal_settings_update(business=shop.business, **values)


def receipts():
    with scopes_disabled():
        return list(FiscalReceipt.objects.order_by("id"))


def test_sale_is_registered_with_items_vat_payments_and_fiscal_attributes(russian, atol, client):
    configure(russian)
    checkout = russian.sell(tender="card", language="ru")
    [receipt] = receipts()
    assert receipt.status == "done", receipt.error
    assert (receipt.fn_number, receipt.fd_number, receipt.fp) == (
        "9999078900004792",
        "101",
        "3000000001",
    )
    assert atol.problems == []
    [sell] = atol.sells()
    body = sell["body"]
    assert sell["token"].startswith("tok")
    assert body["external_id"] == receipt.external_id
    r = body["receipt"]
    assert r["company"] == {
        "email": "kassa@zhemchug.example",
        "sno": "osn",
        "inn": "7707083893",
        "payment_address": "https://zhemchug.example",
    }
    # 3600.00 ₽ with 22 % VAT inside: 649.18 ₽.
    assert r["items"] == [
        {
            "name": "Haircut",
            "price": 3600.0,
            "quantity": 1.0,
            "sum": 3600.0,
            "measurement_unit": "шт",
            "payment_method": "full_payment",
            "payment_object": "service",
            "vat": {"type": "vat22", "sum": 649.18},
        }
    ]
    assert r["payments"] == [{"type": 1, "sum": 3600.0}]  # card: electronic
    assert r["vats"] == [{"type": "vat22", "sum": 649.18}]
    assert r["total"] == 3600.0
    assert r["client"] == {"email": "kassa@zhemchug.example"}  # a walk-in
    # The receipt page shows the fiscal attributes.
    client.force_login(russian.owner)
    page = client.get(
        f"/ru/office/{russian.business.slug}/finance/checkouts/{checkout.pk}/receipt/"
    ).content.decode()
    assert "ФН: 9999078900004792" in page
    assert "ФД: 101" in page and "ФП: 3000000001" in page


def test_vat_rate_matches_the_ledger_tax(russian, atol):
    configure(russian)
    checkout = russian.sell()
    body = receipts()[0].body
    assert round(body["receipt"]["vats"][0]["sum"] * 100) == checkout.tax_total
    assert body["receipt"]["payments"] == [{"type": 0, "sum": 3600.0}]  # cash


def test_operator_down_retries_then_fails_visibly_and_the_retry_button_sends_once(
    russian, atol, client
):
    configure(russian)
    atol.down = 100
    checkout = russian.sell()
    [receipt] = receipts()
    assert receipt.status == "failed"
    assert receipt.attempts == services.MAX_ATTEMPTS
    assert "503" in receipt.error
    assert atol.documents == {}
    client.force_login(russian.owner)
    page = client.get(f"/en/office/{russian.business.slug}/compliance/fiscal/").content.decode()
    assert "Failed" in page and "Send again" in page
    receipt_page = client.get(
        f"/en/office/{russian.business.slug}/finance/checkouts/{checkout.pk}/receipt/"
    ).content.decode()
    assert "Status: Failed" in receipt_page
    atol.down = 0
    answer = client.post(
        f"/en/office/{russian.business.slug}/compliance/fiscal/{receipt.pk}/retry/"
    )
    assert answer.status_code == 302
    [receipt] = receipts()
    assert receipt.status == "done"
    assert len(atol.documents) == 1
    # A registered receipt cannot be sent again.
    again = client.post(f"/en/office/{russian.business.slug}/compliance/fiscal/{receipt.pk}/retry/")
    assert again.status_code == 302
    assert len(atol.sells()) == 1


def test_lost_answer_is_resent_with_the_same_external_id_and_registered_once(russian, atol):
    configure(russian)
    atol.drop_after_accept = 1
    russian.sell()
    [receipt] = receipts()
    assert receipt.status == "done"
    sells = atol.sells()
    assert len(sells) == 2  # the answer was lost; the resend is recognised
    assert sells[0]["body"]["external_id"] == sells[1]["body"]["external_id"]
    assert len(atol.documents) == 1


def test_waits_for_the_report_then_registers(russian, atol):
    configure(russian)
    atol.wait_reports = 2
    russian.sell()
    assert receipts()[0].status == "done"
    assert len([r for r in atol.requests if "/report/" in r["path"]]) == 3


def test_operator_refusal_is_failed_with_its_message(russian, atol):
    configure(russian)
    atol.fail_report = "Неверный ИНН"
    russian.sell()
    [receipt] = receipts()
    assert receipt.status == "failed"
    assert "Неверный ИНН" in receipt.error


def test_wrong_password_fails_without_retrying(russian, atol):
    configure(russian, password="wrong")
    russian.sell()
    [receipt] = receipts()
    assert receipt.status == "failed" and receipt.attempts == 1
    assert atol.sells() == []


def test_refund_sends_sell_refund(russian, atol):
    configure(russian)
    checkout = russian.sell(tender="card", price_lines=2)
    with russian.capture(execute=True), business_scope(russian.business):
        line = checkout.lines.order_by("position").first()
        refund_by_lines(
            business=russian.business,
            checkout_id=checkout.pk,
            lines=[RefundLineIn(line_id=line.pk)],
            reason="client_request",
        )
    sell, refund = receipts()
    assert sell.total == 720000
    assert refund.operation == "sell_refund" and refund.status == "done", refund.error
    [sent] = atol.sells("sell_refund")
    r = sent["body"]["receipt"]
    assert r["total"] == 3600.0
    assert r["payments"] == [{"type": 1, "sum": 3600.0}]
    assert sum(i["sum"] for i in r["items"]) == 3600.0
    assert atol.problems == []


def test_not_enabled_sends_nothing(russian, atol):
    russian.sell()
    assert receipts() == [] and atol.requests == []


def test_settings_refuse_bad_inn_and_keep_the_password_secret(russian, client):
    with pytest.raises(ValidationFailed) as refused:
        configure(russian, inn="12345")
    assert "inn" in refused.value.fields
    configure(russian)
    with scopes_disabled():
        assert FiscalSettings.objects.get(business=russian.business).password == PASSWORD
    # Saving again with an empty password keeps it; it never comes back in a page or the API.
    configure(russian, password="")
    with scopes_disabled():
        assert FiscalSettings.objects.get(business=russian.business).password == PASSWORD
    client.force_login(russian.owner)
    page = client.get(f"/en/office/{russian.business.slug}/compliance/fiscal/").content.decode()
    assert PASSWORD not in page and "A password is saved." in page
    api = client.get(f"/api/v1/businesses/{russian.business.pk}/compliance/fiscal/settings/")
    assert api.status_code == 200
    assert PASSWORD not in api.content.decode() and api.json()["password_set"] is True


def test_sandbox_goes_to_the_sandbox_base(russian, atol, settings):
    settings.COMPLIANCE_ATOL_SANDBOX_BASE = atol.url
    settings.COMPLIANCE_ATOL_BASE = "http://127.0.0.1:9/nowhere"
    configure(russian, sandbox=True)
    russian.sell()
    assert receipts()[0].status == "done"


def test_the_task_run_twice_sends_once(russian, atol):
    from solibook.compliance import tasks

    configure(russian)
    russian.sell()
    [receipt] = receipts()
    assert receipt.status == "done"
    tasks.fiscal_send.enqueue(business_id=russian.business.pk, receipt_id=receipt.pk)
    tasks.fiscal_send.enqueue(business_id=russian.business.pk, receipt_id=receipt.pk)
    assert len(atol.sells()) == 1 and len(atol.documents) == 1
    assert receipts()[0].status == "done"
