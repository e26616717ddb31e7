"""The demo's compliance side: صالون لمسة ورد's till sales carry ZATCA invoices
with a chained counter; Салон «Жемчуг» has ATOL's test account, sending off."""

import pytest
from django.db import transaction
from django_scopes import scopes_disabled

from solibook.compliance import zatca
from solibook.compliance.models import FiscalReceipt, FiscalSettings, ZatcaInvoice
from solibook.demo.seed import seed_demo

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed_demo()
        transaction.set_rollback(True)


def test_riyadh_receipts_carry_chained_zatca_invoices(demo):
    with scopes_disabled():
        invoices = list(ZatcaInvoice.objects.filter(business__slug="lamsat-ward").order_by("icv"))
    assert [i.icv for i in invoices] == [1, 2]
    assert invoices[1].previous_hash == invoices[0].invoice_hash
    fields = zatca.tlv_decode(invoices[0].qr)
    assert fields[2] == "310123456700003"
    assert fields[1] == "مؤسسة لمسة ورد للتجميل"
    assert invoices[0].checkout.language == "ar"


def test_moscow_has_the_operators_test_account_and_sends_nothing(demo):
    with scopes_disabled():
        row = FiscalSettings.objects.get(business__slug="zhemchug")
        assert row.sandbox and not row.enabled and row.password
        assert not FiscalReceipt.objects.exists()
