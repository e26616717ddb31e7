"""What compliance adds to a receipt (registered with finance in apps.py).

Called inside the receipt's language. A Saudi salon's receipt carries its
ZATCA QR, or says why it has none; a Russian salon's receipt carries the
54-FZ status and, once registered, the fiscal attributes (FN, FD, FP).
"""

from django.utils.translation import gettext as _

from solibook.compliance import zatca
from solibook.compliance.models import FiscalReceipt, ZatcaInvoice


def zatca_block(checkout) -> dict | None:
    business = checkout.business
    if business.country != "SA":
        return None
    invoice = ZatcaInvoice.objects.filter(checkout=checkout, refund__isnull=True).first()
    title = _("Simplified tax invoice")
    if invoice is None:
        if not zatca.valid_vat_number(business.vat_number):
            warning = _(
                "No ZATCA QR code: the salon has no valid VAT registration number "
                "(15 digits, beginning and ending with 3). Add it in the business settings."
            )
        else:
            warning = _("This sale was made before the salon's VAT number was set: no QR code.")
        return {"title": title, "lines": [], "warning": warning, "qr": ""}
    return {
        "title": title,
        "lines": [_("Invoice counter: %(icv)s") % {"icv": invoice.icv}],
        "warning": "",
        "qr": invoice.qr,
        "qr_alt": _("ZATCA QR code of this invoice"),
    }


def fiscal_block(checkout) -> dict | None:
    if checkout.business.country != "RU":
        return None
    receipt = FiscalReceipt.objects.filter(
        checkout=checkout, operation=FiscalReceipt.Operation.SELL
    ).first()
    if receipt is None:
        return None
    title = _("Fiscal receipt (54-FZ)")
    if receipt.status == FiscalReceipt.Status.DONE:
        return {
            "title": title,
            "lines": [
                _("FN: %(value)s") % {"value": receipt.fn_number},
                _("FD: %(value)s") % {"value": receipt.fd_number},
                _("FP: %(value)s") % {"value": receipt.fp},
                _("Registered: %(when)s") % {"when": receipt.registered_at},
            ],
            "warning": "",
            "qr": fns_qr(receipt),
            "qr_alt": _("QR code to check the receipt with the tax service"),
        }
    return {
        "title": title,
        "lines": [_("Status: %(status)s") % {"status": receipt.get_status_display()}],
        "warning": receipt.error and _("The operator has not registered this receipt yet.") or "",
        "qr": "",
    }


def fns_qr(receipt: FiscalReceipt) -> str:
    """The tax service's check QR: t=date, s=sum, fn, i=FD, fp, n=1 sale / 2 refund."""
    when = receipt.registered_at  # "dd.mm.yyyy HH:MM:SS" from the operator
    try:
        day, time = when.split(" ")
        d, m, y = day.split(".")
        stamp = f"{y}{m}{d}T{time.replace(':', '')[:4]}"
    except ValueError:
        return ""
    kind = 1 if receipt.operation == FiscalReceipt.Operation.SELL else 2
    total = f"{receipt.total / 100:.2f}"
    return (
        f"t={stamp}&s={total}&fn={receipt.fn_number}&i={receipt.fd_number}&fp={receipt.fp}&n={kind}"
    )
