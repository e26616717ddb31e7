"""ZATCA simplified tax invoices (Saudi Arabia): the QR code and the UBL 2.1 XML.

Per ZATCA's "E-invoicing detailed technical guidelines" and data dictionary:

- The QR is a TLV list (one byte tag, one byte length, the UTF-8 value),
  base64-encoded: 1 seller's name, 2 VAT registration number, 3 time stamp
  (ISO 8601, the invoice's IssueDate "T" IssueTime), 4 total with VAT,
  5 VAT total. Those five are phase 1's QR and what any reader decodes.
  Tags 6–9 (the invoice hash, its ECDSA signature, the public key and ZATCA's
  signature of the stamp's certificate) exist only with a cryptographic stamp
  issued at onboarding (a CSID); without one we do not print a tag 6 that no
  verifier could check against a signature.
- The XML is a UBL 2.1 `Invoice` with ProfileID `reporting:1.0`,
  InvoiceTypeCode 388 named `0200000` (simplified tax invoice), the UUID, the
  invoice counter (ICV), the previous invoice's hash (PIH) and the QR as
  additional document references, the supplier with its VAT number, the tax
  totals, the monetary totals and the lines.
- The invoice hash is SHA-256 over the canonical XML (C14N) without the
  UBLExtensions, the Signature and the QR reference, base64-encoded — as
  phase 2 computes it. Each invoice carries the previous one's hash (the
  first carries the hash of "0"), so the chain shows a removed invoice.

Tips are a line of their own, out of scope of VAT (category O), so the
invoice's total is what the client paid.
"""

import base64
import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from lxml import etree

from solibook.core.money import minor_digits
from solibook.core.time import to_local

# base64 of the hex SHA-256 of "0": the PIH of a chain's first invoice.
FIRST_PIH = base64.b64encode(hashlib.sha256(b"0").hexdigest().encode()).decode()
STANDARD_RATE = 1500  # basis points

NS = {
    "inv": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "ext": "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
}
VAT_NUMBER = re.compile(r"^3\d{13}3$")
# ZATCA's payment means codes (UN/CEFACT 4461): cash, card, credit transfer.
PAYMENT_MEANS = {"cash": "10", "card": "48", "online": "48", "bank": "42"}


def valid_vat_number(value: str) -> bool:
    """A Saudi VAT registration number: 15 digits, first and last 3."""
    return bool(VAT_NUMBER.match(value or ""))


# --- QR (TLV) ------------------------------------------------------------------------------


def tlv_encode(fields: list[tuple[int, str]]) -> str:
    out = bytearray()
    for tag, text in fields:
        value = text.encode("utf-8")
        if len(value) > 255:
            # One length byte: ZATCA's fields are far shorter; a longer seller
            # name is cut at a character boundary rather than corrupt the QR.
            value = text.encode("utf-8")[:255].decode("utf-8", "ignore").encode("utf-8")
        out += bytes([tag, len(value)]) + value
    return base64.b64encode(bytes(out)).decode("ascii")


def tlv_decode(qr: str) -> dict[int, str]:
    raw = base64.b64decode(qr)
    fields, i = {}, 0
    while i < len(raw):
        tag, length = raw[i], raw[i + 1]
        fields[tag] = raw[i + 2 : i + 2 + length].decode("utf-8")
        i += 2 + length
    return fields


# --- the invoice ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    name: str
    quantity: int
    net: int  # minor units
    tax: int
    rate: int  # basis points; 0 = out of scope


@dataclass(frozen=True)
class Invoice:
    number: str
    uuid: str
    icv: int
    previous_hash: str
    issued_local: datetime  # in the location's zone
    currency: str
    seller_name: str
    vat_number: str
    street: str
    city: str
    postal_code: str
    payment_means: str
    lines: list[Line]
    type_code: str = "388"  # 381: a credit note
    billing_reference: str = ""  # a credit note's invoice number
    reason: str = ""  # why the credit note was issued (KSA-10)

    @property
    def net_total(self) -> int:
        return sum(line.net for line in self.lines)

    @property
    def tax_total(self) -> int:
        return sum(line.tax for line in self.lines)

    @property
    def total(self) -> int:
        return self.net_total + self.tax_total

    @property
    def timestamp(self) -> str:
        return self.issued_local.strftime("%Y-%m-%dT%H:%M:%S")


def invoice_from_checkout(checkout, *, icv: int, previous_hash: str, uuid: str) -> Invoice:
    location, business = checkout.location, checkout.business
    lines = [
        Line(
            name=line.description,
            quantity=line.quantity,
            net=line.net_amount,
            tax=line.tax_amount,
            rate=line.tax_rate,
        )
        for line in checkout.lines.order_by("position")
    ]
    if checkout.tip_total:
        lines.append(Line(name="Tip", quantity=1, net=checkout.tip_total, tax=0, rate=0))
    tenders = list(checkout.payments.values_list("tender", flat=True))
    return Invoice(
        number=checkout.number,
        uuid=uuid,
        icv=icv,
        previous_hash=previous_hash,
        issued_local=to_local(checkout.created_at, location.time_zone),
        currency=checkout.currency,
        seller_name=business.legal_name or business.name,
        vat_number=business.vat_number,
        street=location.address,
        city=location.city,
        postal_code=location.postal_code,
        payment_means=PAYMENT_MEANS.get(tenders[0] if tenders else "", "1"),
        lines=lines,
    )


def credit_note_from_refund(
    refund, *, invoice: Invoice, icv: int, previous_hash: str, uuid: str, issued_local: datetime
) -> Invoice:
    """The credit note of `refund` against the sale's `invoice`: the invoice's
    lines shrunk to the refunded amount in proportion (the last line takes the
    rounding), each line's VAT recomputed from its share at its rate."""
    total = invoice.total
    lines, left = [], refund.amount
    for i, line in enumerate(invoice.lines):
        gross = line.net + line.tax
        share = left if i == len(invoice.lines) - 1 else gross * refund.amount // total
        left -= share
        if share <= 0:
            continue
        tax = (share * line.rate * 2 + (10000 + line.rate)) // (2 * (10000 + line.rate))
        lines.append(Line(name=line.name, quantity=1, net=share - tax, tax=tax, rate=line.rate))
    return Invoice(
        number=f"{invoice.number}-R{refund.pk}",
        uuid=uuid,
        icv=icv,
        previous_hash=previous_hash,
        issued_local=issued_local,
        currency=invoice.currency,
        seller_name=invoice.seller_name,
        vat_number=invoice.vat_number,
        street=invoice.street,
        city=invoice.city,
        postal_code=invoice.postal_code,
        payment_means=PAYMENT_MEANS.get(refund.payment.tender, "1"),
        lines=lines,
        type_code="381",
        billing_reference=invoice.number,
        reason=(refund.note or refund.get_reason_display() or "Refund")[:1000],
    )


def amount(minor: int, currency: str) -> str:
    digits = minor_digits(currency)
    return f"{Decimal(minor).scaleb(-digits).quantize(Decimal(1).scaleb(-digits)):f}"


def qr_text(invoice: Invoice) -> str:
    return tlv_encode(
        [
            (1, invoice.seller_name),
            (2, invoice.vat_number),
            (3, invoice.timestamp),
            (4, amount(invoice.total, invoice.currency)),
            (5, amount(invoice.tax_total, invoice.currency)),
        ]
    )


def _el(parent, tag: str, text: str | None = None, **attrs) -> etree._Element:
    prefix, name = tag.split(":")
    node = etree.SubElement(parent, f"{{{NS[prefix]}}}{name}", attrs)
    if text is not None:
        node.text = text
    return node


def _tax_category(parent, tag: str, rate: int) -> None:
    cat = _el(parent, tag)
    if rate:
        _el(cat, "cbc:ID", "S")
        _el(cat, "cbc:Percent", f"{Decimal(rate) / 100:.2f}")
    else:
        _el(cat, "cbc:ID", "O")
        _el(cat, "cbc:Percent", "0.00")
        if tag == "cac:TaxCategory":
            _el(cat, "cbc:TaxExemptionReasonCode", "VATEX-SA-OOS")
            _el(cat, "cbc:TaxExemptionReason", "Gratuity, out of scope of VAT")
    _el(_el(cat, "cac:TaxScheme"), "cbc:ID", "VAT")


def _document_reference(root, name: str, *, uuid: str = "", embedded: str = "") -> None:
    ref = _el(root, "cac:AdditionalDocumentReference")
    _el(ref, "cbc:ID", name)
    if uuid:
        _el(ref, "cbc:UUID", uuid)
    else:
        _el(
            _el(ref, "cac:Attachment"),
            "cbc:EmbeddedDocumentBinaryObject",
            embedded,
            mimeCode="text/plain",
        )


def build_xml(invoice: Invoice, *, qr: str | None) -> etree._Element:
    """The UBL 2.1 tree; without `qr` it is the form that is hashed."""
    cur = invoice.currency
    root = etree.Element(
        f"{{{NS['inv']}}}Invoice",
        nsmap={None: NS["inv"], "cac": NS["cac"], "cbc": NS["cbc"], "ext": NS["ext"]},
    )
    _el(root, "cbc:ProfileID", "reporting:1.0")
    _el(root, "cbc:ID", invoice.number)
    _el(root, "cbc:UUID", invoice.uuid)
    _el(root, "cbc:IssueDate", invoice.issued_local.strftime("%Y-%m-%d"))
    _el(root, "cbc:IssueTime", invoice.issued_local.strftime("%H:%M:%S"))
    _el(root, "cbc:InvoiceTypeCode", invoice.type_code, name="0200000")
    _el(root, "cbc:DocumentCurrencyCode", cur)
    _el(root, "cbc:TaxCurrencyCode", cur)
    if invoice.billing_reference:
        reference = _el(_el(root, "cac:BillingReference"), "cac:InvoiceDocumentReference")
        _el(reference, "cbc:ID", invoice.billing_reference)
    _document_reference(root, "ICV", uuid=str(invoice.icv))
    _document_reference(root, "PIH", embedded=invoice.previous_hash)
    if qr is not None:
        _document_reference(root, "QR", embedded=qr)

    party = _el(_el(root, "cac:AccountingSupplierParty"), "cac:Party")
    address = _el(party, "cac:PostalAddress")
    _el(address, "cbc:StreetName", invoice.street)
    _el(address, "cbc:CityName", invoice.city)
    _el(address, "cbc:PostalZone", invoice.postal_code)
    _el(_el(address, "cac:Country"), "cbc:IdentificationCode", "SA")
    scheme = _el(party, "cac:PartyTaxScheme")
    _el(scheme, "cbc:CompanyID", invoice.vat_number)
    _el(_el(scheme, "cac:TaxScheme"), "cbc:ID", "VAT")
    _el(_el(party, "cac:PartyLegalEntity"), "cbc:RegistrationName", invoice.seller_name)
    _el(root, "cac:AccountingCustomerParty")
    means = _el(root, "cac:PaymentMeans")
    _el(means, "cbc:PaymentMeansCode", invoice.payment_means)
    if invoice.reason:
        _el(means, "cbc:InstructionNote", invoice.reason)

    # Two TaxTotals, as BR-KSA asks: the total in the tax currency, then with subtotals.
    _el(_el(root, "cac:TaxTotal"), "cbc:TaxAmount", amount(invoice.tax_total, cur), currencyID=cur)
    tax_total = _el(root, "cac:TaxTotal")
    _el(tax_total, "cbc:TaxAmount", amount(invoice.tax_total, cur), currencyID=cur)
    by_rate: dict[int, list[int]] = {}
    for line in invoice.lines:
        sums = by_rate.setdefault(line.rate, [0, 0])
        sums[0] += line.net
        sums[1] += line.tax
    for rate, (net, tax) in sorted(by_rate.items(), reverse=True):
        sub = _el(tax_total, "cac:TaxSubtotal")
        _el(sub, "cbc:TaxableAmount", amount(net, cur), currencyID=cur)
        _el(sub, "cbc:TaxAmount", amount(tax, cur), currencyID=cur)
        _tax_category(sub, "cac:TaxCategory", rate)

    totals = _el(root, "cac:LegalMonetaryTotal")
    _el(totals, "cbc:LineExtensionAmount", amount(invoice.net_total, cur), currencyID=cur)
    _el(totals, "cbc:TaxExclusiveAmount", amount(invoice.net_total, cur), currencyID=cur)
    _el(totals, "cbc:TaxInclusiveAmount", amount(invoice.total, cur), currencyID=cur)
    _el(totals, "cbc:AllowanceTotalAmount", amount(0, cur), currencyID=cur)
    _el(totals, "cbc:PrepaidAmount", amount(0, cur), currencyID=cur)
    _el(totals, "cbc:PayableAmount", amount(invoice.total, cur), currencyID=cur)

    digits = minor_digits(cur)
    for position, line in enumerate(invoice.lines, start=1):
        node = _el(root, "cac:InvoiceLine")
        _el(node, "cbc:ID", str(position))
        _el(node, "cbc:InvoicedQuantity", f"{line.quantity}.000000", unitCode="PCE")
        _el(node, "cbc:LineExtensionAmount", amount(line.net, cur), currencyID=cur)
        line_tax = _el(node, "cac:TaxTotal")
        _el(line_tax, "cbc:TaxAmount", amount(line.tax, cur), currencyID=cur)
        _el(line_tax, "cbc:RoundingAmount", amount(line.net + line.tax, cur), currencyID=cur)
        item = _el(node, "cac:Item")
        _el(item, "cbc:Name", line.name)
        _tax_category(item, "cac:ClassifiedTaxCategory", line.rate)
        unit = (Decimal(line.net).scaleb(-digits) / line.quantity).quantize(Decimal("0.000001"))
        _el(_el(node, "cac:Price"), "cbc:PriceAmount", f"{unit:f}", currencyID=cur)
    return root


def invoice_hash(invoice: Invoice) -> str:
    """base64(SHA-256(C14N of the invoice without the QR reference)). Our
    XML has no UBLExtensions or Signature yet (see the module's docstring)."""
    canonical = etree.tostring(build_xml(invoice, qr=None), method="c14n")
    return base64.b64encode(hashlib.sha256(canonical).digest()).decode("ascii")


def xml_bytes(invoice: Invoice, qr: str) -> bytes:
    return etree.tostring(build_xml(invoice, qr=qr), xml_declaration=True, encoding="UTF-8")
