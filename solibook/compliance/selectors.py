"""Reads of the compliance area for pages and the API."""

from solibook.accounting.reports import account_labels
from solibook.compliance import zatca
from solibook.compliance.models import AccountCode, FiscalReceipt, ZatcaChain, ZatcaInvoice
from solibook.compliance.packages import DEFAULTS, default_code
from solibook.finance.models import LedgerEntry


def zatca_status(*, business) -> dict:
    chain = ZatcaChain.objects.filter(business=business).first()
    return {
        "applies": business.country == "SA",
        "vat_number": business.vat_number,
        "vat_number_valid": zatca.valid_vat_number(business.vat_number),
        "last_icv": chain.last_icv if chain else 0,
        "last_hash": chain.last_hash if chain else "",
    }


def zatca_invoices(*, business):
    return ZatcaInvoice.objects.filter(business=business).select_related("checkout")


def fiscal_receipts(*, business):
    return FiscalReceipt.objects.filter(business=business).select_related("checkout")


def account_codes(*, business, package: str) -> list[dict]:
    """Every ledger account the salon has used, with its code in `package`
    (the salon's own, or the package's default)."""
    own = dict(
        AccountCode.objects.filter(business=business, package=package).values_list(
            "ledger_account", "code"
        )
    )
    used = set(
        LedgerEntry.objects.filter(business=business).values_list("account", flat=True).distinct()
    )
    accounts = sorted(
        used | set(own) | {k for k in DEFAULTS[package] if not k.endswith((":", "*"))}
    )
    labels = account_labels(business=business, codes=accounts)
    return [
        {
            "ledger_account": account,
            "label": labels.get(account, account),
            "code": own.get(account, ""),
            "default": default_code(package, account),
        }
        for account in accounts
    ]


def codes_map(*, business, package: str) -> dict[str, str]:
    return dict(
        AccountCode.objects.filter(business=business, package=package).values_list(
            "ledger_account", "code"
        )
    )
