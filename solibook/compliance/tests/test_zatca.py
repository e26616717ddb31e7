"""ZATCA: the QR decodes back to the invoice's fields, the XML has ZATCA's
structure and the ledger's totals, the chain is gapless under concurrency."""

import base64
import hashlib

import pytest
from django.db import connection
from django_scopes import scopes_disabled
from lxml import etree

from solibook.compliance import zatca
from solibook.compliance.models import ZatcaChain, ZatcaInvoice
from solibook.compliance.tests.conftest import SAUDI_VAT
from solibook.core.tenancy import business_scope
from solibook.finance.models import LedgerEntry
from solibook.testing.races import race

pytestmark = pytest.mark.django_db
NS = zatca.NS


def invoice_of(checkout) -> ZatcaInvoice:
    with scopes_disabled():
        return ZatcaInvoice.objects.get(checkout=checkout)


def test_qr_decodes_to_seller_vat_time_total_and_vat(saudi):
    checkout = saudi.sell()
    # 115.00 SAR with VAT included at 15 %: 100.00 net + 15.00 VAT.
    assert (checkout.total, checkout.net_total, checkout.tax_total) == (11500, 10000, 1500)
    fields = zatca.tlv_decode(invoice_of(checkout).qr)
    assert fields[1] == "صالون لمسة ورد"
    assert fields[2] == SAUDI_VAT
    local = checkout.created_at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Riyadh"))
    assert fields[3] == local.strftime("%Y-%m-%dT%H:%M:%S")
    assert fields[4] == "115.00"
    assert fields[5] == "15.00"
    assert set(fields) == {1, 2, 3, 4, 5}
    # The raw TLV: tag 1, then the byte length of the UTF-8 name (not its characters).
    raw = base64.b64decode(invoice_of(checkout).qr)
    assert raw[0] == 1 and raw[1] == len("صالون لمسة ورد".encode())


def test_xml_has_zatca_structure_and_the_ledgers_totals(saudi):
    checkout = saudi.sell(price_lines=2, tip=1000)
    invoice = invoice_of(checkout)
    root = etree.fromstring(invoice.xml.encode())
    one = lambda path: root.find(path, NS)  # noqa: E731
    assert root.tag == f"{{{NS['inv']}}}Invoice"
    assert one("cbc:ProfileID").text == "reporting:1.0"
    code = one("cbc:InvoiceTypeCode")
    assert (code.text, code.get("name")) == ("388", "0200000")
    assert one("cbc:UUID").text == str(invoice.uuid)
    assert one("cbc:ID").text == checkout.number
    assert one("cbc:IssueDate").text and one("cbc:IssueTime").text
    refs = {
        r.find("cbc:ID", NS).text: r for r in root.findall("cac:AdditionalDocumentReference", NS)
    }
    assert set(refs) == {"ICV", "PIH", "QR"}
    assert refs["ICV"].find("cbc:UUID", NS).text == "1"
    assert refs["PIH"].find(".//cbc:EmbeddedDocumentBinaryObject", NS).text == zatca.FIRST_PIH
    assert refs["QR"].find(".//cbc:EmbeddedDocumentBinaryObject", NS).text == invoice.qr
    party = one("cac:AccountingSupplierParty/cac:Party")
    assert party.find("cac:PartyTaxScheme/cbc:CompanyID", NS).text == SAUDI_VAT
    assert party.find("cac:PostalAddress/cac:Country/cbc:IdentificationCode", NS).text == "SA"

    # Totals against the ledger: revenue (credit) and VAT (credit) of the sale.
    with scopes_disabled():
        entries = list(LedgerEntry.objects.filter(transaction=checkout.ledger_transaction))
    ledger_tax = -sum(e.amount for e in entries if e.account == "taxes_payable")
    ledger_revenue = -sum(e.amount for e in entries if e.account.startswith("revenue:"))
    assert ledger_tax == 3000 and ledger_revenue == 20000
    money = lambda minor: f"{minor / 100:.2f}"  # noqa: E731
    tax_totals = root.findall("cac:TaxTotal", NS)
    assert [t.find("cbc:TaxAmount", NS).text for t in tax_totals] == [money(ledger_tax)] * 2
    subtotals = tax_totals[1].findall("cac:TaxSubtotal", NS)
    standard = [s for s in subtotals if s.find("cac:TaxCategory/cbc:ID", NS).text == "S"][0]
    assert standard.find("cbc:TaxableAmount", NS).text == money(ledger_revenue)
    assert standard.find("cac:TaxCategory/cbc:Percent", NS).text == "15.00"
    totals = one("cac:LegalMonetaryTotal")
    tips = 1000
    assert totals.find("cbc:TaxExclusiveAmount", NS).text == money(ledger_revenue + tips)
    assert totals.find("cbc:TaxInclusiveAmount", NS).text == money(checkout.total)
    assert totals.find("cbc:PayableAmount", NS).text == money(checkout.total)
    assert totals.find("cbc:PayableAmount", NS).get("currencyID") == "SAR"
    lines = root.findall("cac:InvoiceLine", NS)
    assert len(lines) == 3  # two services and the tip (out of scope of VAT)
    assert lines[2].find("cac:Item/cac:ClassifiedTaxCategory/cbc:ID", NS).text == "O"
    assert sum(
        int(round(float(x.find("cbc:LineExtensionAmount", NS).text) * 100)) for x in lines
    ) == (ledger_revenue + tips)
    # The QR's total is the XML's.
    assert zatca.tlv_decode(invoice.qr)[4] == money(checkout.total)


def test_hash_is_of_the_canonical_xml_without_qr_and_chains(saudi):
    first, second = saudi.sell(), saudi.sell()
    a, b = invoice_of(first), invoice_of(second)
    root = etree.fromstring(b.xml.encode())
    for ref in root.findall("cac:AdditionalDocumentReference", NS):
        if ref.find("cbc:ID", NS).text == "QR":
            root.remove(ref)
    digest = base64.b64encode(hashlib.sha256(etree.tostring(root, method="c14n")).digest())
    assert digest.decode() == b.invoice_hash
    assert (a.icv, b.icv) == (1, 2)
    assert b.previous_hash == a.invoice_hash
    with scopes_disabled():
        chain = ZatcaChain.objects.get(business=saudi.business)
    assert (chain.last_icv, chain.last_hash) == (2, b.invoice_hash)


def test_no_vat_number_no_invoice_but_receipt_says_why(saudi_no_vat, client):
    checkout = saudi_no_vat.sell()
    with scopes_disabled():
        assert not ZatcaInvoice.objects.exists()
    client.force_login(saudi_no_vat.owner)
    page = client.get(
        f"/en/office/{saudi_no_vat.business.slug}/finance/checkouts/{checkout.pk}/receipt/"
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "no valid VAT registration number" in text
    assert "<img" not in text
    pdf = client.get(
        f"/en/office/{saudi_no_vat.business.slug}/finance/checkouts/{checkout.pk}/receipt.pdf"
    )
    assert pdf.status_code == 200


def test_wrong_vat_number_gives_no_qr(saudi):
    saudi.business.vat_number = "123"
    saudi.business.save(update_fields=["vat_number"])
    saudi.sell()
    with scopes_disabled():
        assert not ZatcaInvoice.objects.exists()


def test_receipt_page_and_pdf_show_the_qr_in_arabic(saudi, client):
    checkout = saudi.sell(language="ar")
    client.force_login(saudi.owner)
    base = f"/ar/office/{saudi.business.slug}/finance/checkouts/{checkout.pk}"
    page = client.get(f"{base}/receipt/").content.decode()
    assert 'src="data:image/svg+xml' in page
    assert "فاتورة ضريبية مبسطة" in page
    pdf = client.get(f"{base}/receipt.pdf").content
    assert b"/Subtype /Image" in pdf


def test_french_receipt_has_no_zatca_block(client, saudi):
    saudi.business.country = "FR"
    saudi.business.save(update_fields=["country"])
    checkout = saudi.sell()
    client.force_login(saudi.owner)
    page = client.get(
        f"/en/office/{saudi.business.slug}/finance/checkouts/{checkout.pk}/receipt/"
    ).content.decode()
    assert "Simplified tax invoice" not in page


@pytest.mark.django_db(transaction=True)
def test_concurrent_receipts_get_distinct_consecutive_counters(saudi):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    results = race(4, lambda i: saudi.sell().pk)
    assert all(isinstance(r, int) for r in results), results
    with scopes_disabled():
        rows = list(ZatcaInvoice.objects.order_by("icv"))
    assert [r.icv for r in rows] == [1, 2, 3, 4]
    assert {r.checkout_id for r in rows} == set(results)
    for before, after in zip(rows, rows[1:], strict=False):
        assert after.previous_hash == before.invoice_hash


def test_a_refund_gets_a_credit_note_next_in_the_chain(saudi, client):
    from solibook.finance.services.refunds import RefundLineIn, refund_by_lines

    checkout = saudi.sell(price_lines=2, tender="card")
    sale = invoice_of(checkout)
    with saudi.capture(execute=True), business_scope(saudi.business):
        line = checkout.lines.order_by("position").first()
        refund_by_lines(
            business=saudi.business,
            checkout_id=checkout.pk,
            lines=[RefundLineIn(line_id=line.pk)],
            reason="client_request",
        )
    with scopes_disabled():
        note = ZatcaInvoice.objects.get(refund__isnull=False)
    assert (note.icv, note.type_code, note.previous_hash) == (2, "381", sale.invoice_hash)
    root = etree.fromstring(note.xml.encode())
    assert root.find("cbc:InvoiceTypeCode", NS).text == "381"
    assert root.find("cbc:InvoiceTypeCode", NS).get("name") == "0200000"
    ref = root.find("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID", NS)
    assert ref.text == checkout.number
    assert root.find("cac:PaymentMeans/cbc:InstructionNote", NS).text == "Client's request"
    totals = root.find("cac:LegalMonetaryTotal", NS)
    assert totals.find("cbc:PayableAmount", NS).text == "115.00"  # one of the two lines
    assert root.find("cac:TaxTotal/cbc:TaxAmount", NS).text == "15.00"
    fields = zatca.tlv_decode(note.qr)
    assert (fields[4], fields[5]) == ("115.00", "15.00")
    # The receipt still shows the sale's QR; the credit note downloads on its own.
    client.force_login(saudi.owner)
    base = f"/en/office/{saudi.business.slug}/compliance/zatca"
    xml = client.get(f"{base}/credit-notes/{note.refund_id}.xml")
    assert xml.status_code == 200 and b"<cbc:InvoiceTypeCode" in xml.content
    api = client.get(f"/api/v1/businesses/{saudi.business.pk}/compliance/zatca/invoices/")
    assert [row["type_code"] for row in api.json()["results"]] == ["381", "388"]
