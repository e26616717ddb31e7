"""Local compliance in the demo (issue #22, point 4).

- صالون لمسة ورد (Riyadh) has its VAT number (catalogue data): two walk-in
  sales at its till, so its receipts carry the ZATCA QR code (`/ar/office/
  lamsat-ward/finance/checkouts/<id>/receipt/`) and its invoices download as
  UBL XML from Reports › Local compliance.
- Салон «Жемчуг» (Moscow) has its ATOL Online account filled with ATOL's
  published test-environment credentials, sending turned off: nothing leaves
  the machine until someone turns it on (and the demo then talks to ATOL's
  public test server, whose receipts are not fiscal)."""

from datetime import datetime, timedelta

from solibook.compliance import services as compliance
from solibook.core.tenancy import business_scope
from solibook.finance.services.checkout import LineIn, TenderIn, checkout_complete, checkout_quote

SAUDI = "صالون لمسة ورد"
RUSSIAN = "Салон красоты «Жемчуг»"
# ATOL Online's documented test environment account (public, not a secret).
ATOL_TEST = {
    "login": "v4-online-atol-ru",
    "password": "iGFFuihss",  # noqa: S105 - ATOL's published test password
    "group_code": "v4-online-atol-ru_4179",
    "inn": "5544332219",
    "payment_address": "https://v4.online.atol.ru",
}


def _walk_in_sale(catalogue, *, when: datetime, tender: str) -> None:
    business = catalogue.business
    location = next(iter(catalogue.locations.values()))
    for master_name, keys in catalogue.master_services.items():
        if keys:
            master, service = catalogue.masters[master_name], catalogue.services[sorted(keys)[0]]
            break
    else:
        return
    lines = [LineIn(kind="service", service_id=service.pk, master_id=master.pk)]
    with business_scope(business):
        quote = checkout_quote(business=business, location_id=location.pk, lines=lines, now=when)
        checkout_complete(
            business=business,
            location_id=location.pk,
            lines=lines,
            shown_total=quote.total,
            currency=quote.currency,
            tenders=[TenderIn(tender, quote.total)],
            language="ar",
            now=when,
        )


def seed_compliance(catalogues: dict, *, now: datetime) -> None:
    saudi = catalogues.get(SAUDI)
    if saudi is not None:
        _walk_in_sale(saudi, when=now - timedelta(days=1, hours=3), tender="card")
        _walk_in_sale(saudi, when=now - timedelta(hours=5), tender="cash")
    russian = catalogues.get(RUSSIAN)
    if russian is not None:
        with business_scope(russian.business):
            compliance.fiscal_settings_update(
                business=russian.business,
                enabled=False,
                sandbox=True,
                tax_system="usn_income",
                company_email="kassa@zhemchug.demo",
                **ATOL_TEST,
            )
