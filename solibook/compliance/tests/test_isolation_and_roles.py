"""Another salon's invoices and receipts are 404; a receptionist cannot read them."""

import pytest
from django_scopes import scopes_disabled

from solibook.accounts.roles import Role
from solibook.compliance.models import FiscalReceipt
from solibook.compliance.tests.conftest import _shop
from solibook.testing.factories import member

pytestmark = pytest.mark.django_db


def test_another_salons_invoice_and_receipt_are_404(
    saudi, client, django_capture_on_commit_callbacks
):
    other = _shop(
        country="SA",
        currency="SAR",
        zone="Asia/Riyadh",
        city="Jeddah",
        price=5750,
        vat_number="399999999900003",
    )
    other.capture = django_capture_on_commit_callbacks
    theirs = other.sell()
    mine = saudi.sell()
    with scopes_disabled():
        receipt = FiscalReceipt.objects.create(
            business=other.business,
            checkout=theirs,
            operation="sell",
            external_id="x-1",
            body={},
            total=1,
            status="failed",
        )
    client.force_login(saudi.owner)
    slug, pk = saudi.business.slug, saudi.business.pk
    assert client.get(f"/en/office/{slug}/compliance/zatca/{mine.pk}.xml").status_code == 200
    assert client.get(f"/en/office/{slug}/compliance/zatca/{theirs.pk}.xml").status_code == 404
    api = f"/api/v1/businesses/{pk}/compliance"
    assert client.get(f"{api}/zatca/invoices/{mine.pk}/").status_code == 200
    assert client.get(f"{api}/zatca/invoices/{theirs.pk}/").status_code == 404
    assert client.get(f"{api}/zatca/invoices/{theirs.pk}/xml/").status_code == 404
    assert client.post(f"{api}/fiscal/receipts/{receipt.pk}/retry/").status_code == 404
    assert (
        client.post(f"/en/office/{slug}/compliance/fiscal/{receipt.pk}/retry/").status_code == 404
    )
    listed = client.get(f"{api}/zatca/invoices/").json()
    assert [row["checkout_id"] for row in listed["results"]] == [mine.pk]
    # The other salon's chain is its own: both start at 1.
    assert client.get(f"{api}/zatca/invoices/{mine.pk}/").json()["icv"] == 1
    # Not a member of the other salon at all: its pages are 404.
    other_slug = other.business.slug
    assert client.get(f"/en/office/{other_slug}/compliance/zatca/").status_code == 404


def test_receptionist_is_refused_and_an_accountant_reads(saudi, client):
    receptionist = member(saudi.business, Role.RECEPTIONIST)
    client.force_login(receptionist)
    assert client.get(f"/en/office/{saudi.business.slug}/compliance/zatca/").status_code == 403
    accountant = member(saudi.business, Role.ACCOUNTANT)
    client.force_login(accountant)
    assert client.get(f"/en/office/{saudi.business.slug}/compliance/zatca/").status_code == 200
    page = client.get(f"/ar/office/{saudi.business.slug}/compliance/fiscal/")
    assert page.status_code == 200
    assert "الإيصالات الضريبية (54-FZ)" in page.content.decode()


@pytest.mark.parametrize("lang", ["en", "fr", "ru", "ar"])
def test_every_page_renders_in_each_language(saudi, client, lang):
    saudi.sell()
    client.force_login(saudi.owner)
    base = f"/{lang}/office/{saudi.business.slug}/compliance"
    for path in ("zatca/", "fiscal/", "exports/", "exports/?package=sage50", "reconciliation/"):
        page = client.get(f"{base}/{path}")
        assert page.status_code == 200, (path, page.status_code)
        assert f'lang="{lang}"' in page.content.decode()
    assert client.get(f"{base}/").status_code == 302  # to the salon's own country's page
