"""The ledger of a period as journal imports for accounting packages.

Each ledger transaction becomes one balanced journal, each of its entries one
line, in the package's own import layout:

- **Xero** — Manual journals import (Accounting › Manual journals › Import):
  `*Narration, *Date, Description, *AccountCode, *TaxRate, *Amount,
  TrackingName1, TrackingOption1, TrackingName2, TrackingOption2`; one journal
  per narration and date; amount positive for a debit, negative for a credit;
  dates dd/mm/yyyy. VAT is already its own line in our ledger, so every line's
  tax rate is "Tax Exempt" (Xero would otherwise split the VAT out again).
- **QuickBooks Online** — Journal entries import (Settings › Import data ›
  Journal entries): `Journal No., Journal Date, Currency Code, Memo, Account
  Name, Debits, Credits, Description, Name, Location, Class`; QuickBooks
  matches accounts by name.
- **Sage 50 Accounts** (UK) — Audit trail transactions import (File › Import
  › Audit trail transactions): `Type, Account Reference, Nominal A/C Ref,
  Department Code, Date, Reference, Details, Net Amount, Tax Code, Tax Amount`;
  journals are `JD` (debit) and `JC` (credit) with a positive net amount and
  tax code T9 (outside the scope of VAT: the VAT is its own line).

Our ledger's accounts map to the package's accounts through a default chart
(each package's own default chart of accounts) that the salon overrides per
account (`AccountCode`). Amounts are plain decimals with a dot.
"""

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from solibook.accounting import queries
from solibook.catalog.models import Location
from solibook.core.errors import ValidationFailed
from solibook.core.money import minor_digits
from solibook.core.time import to_local

PACKAGES = {
    "xero": gettext_lazy("Xero (manual journals)"),
    "quickbooks": gettext_lazy("QuickBooks Online (journal entries)"),
    "sage50": gettext_lazy("Sage 50 Accounts (audit trail)"),
}

# Ledger account (exact, or a prefix ending with ":") → the package's default account.
DEFAULTS: dict[str, dict[str, str]] = {
    "xero": {
        "cash": "090",
        "card": "090",
        "online": "090",
        "bank": "090",
        "revenue:": "200",
        "retail_revenue": "200",
        "refunds": "200",
        "fee_revenue": "260",
        "membership_revenue": "260",
        "gift_card_breakage": "260",
        "taxes_payable": "820",
        "platform_fees": "404",
        "expenses:": "429",
        "cost_of_goods_sold": "310",
        "inventory": "630",
        "payables": "800",
        "staff_pay_payable": "814",
        "*": "850",  # Suspense: the bookkeeper maps it
    },
    "quickbooks": {
        "cash": "Cash on hand",
        "card": "Undeposited Funds",
        "online": "Undeposited Funds",
        "bank": "Checking",
        "revenue:": "Services",
        "retail_revenue": "Sales of Product Income",
        "refunds": "Refunds-Allowances",
        "fee_revenue": "Other Income",
        "membership_revenue": "Services",
        "gift_card_breakage": "Other Income",
        "taxes_payable": "VAT Control",
        "platform_fees": "Bank Charges",
        "expenses:": "Other Business Expenses",
        "cost_of_goods_sold": "Cost of Goods Sold",
        "inventory": "Inventory Asset",
        "payables": "Accounts Payable (A/P)",
        "*": "Suspense",
    },
    "sage50": {
        "cash": "1230",
        "card": "1200",
        "online": "1200",
        "bank": "1200",
        "revenue:": "4000",
        "retail_revenue": "4000",
        "refunds": "4000",
        "fee_revenue": "4900",
        "membership_revenue": "4900",
        "gift_card_breakage": "4900",
        "taxes_payable": "2200",
        "platform_fees": "7900",
        "expenses:": "8200",
        "cost_of_goods_sold": "5000",
        "inventory": "1001",
        "payables": "2100",
        "staff_pay_payable": "7000",
        "*": "9998",  # Suspense
    },
}


@dataclass(frozen=True)
class Export:
    filename: str
    content_type: str
    body: str


def default_code(package: str, account: str) -> str:
    table = DEFAULTS[package]
    if account in table:
        return table[account]
    for key, code in table.items():
        if key.endswith(":") and account.startswith(key):
            return code
    return table["*"]


def _decimal(minor: int, currency: str) -> str:
    digits = minor_digits(currency)
    return f"{Decimal(minor).scaleb(-digits).quantize(Decimal(1).scaleb(-digits)):f}"


def _period_q(*, business, start: date, end: date) -> Q:
    where = Q(pk__in=[])
    for w in queries.windows(business=business, start=start, end=end):
        located = Q(location_id__in=w.location_ids) if w.location_ids else Q(pk__in=[])
        if w.include_unlocated:
            located |= Q(location_id__isnull=True)
        where |= located & Q(occurred_at__gte=w.start, occurred_at__lt=w.end)
    return where


def ledger_transactions(*, business, start: date, end: date) -> list[dict]:
    """The period's transactions in the business's currency, each with its entries."""
    zones = {loc.pk: loc.time_zone for loc in Location.objects.filter(business=business)}
    default_zone = queries.business_zone(business)
    rows = (
        queries.entries(business=business, currency=business.currency)
        .filter(_period_q(business=business, start=start, end=end))
        .select_related("transaction")
        .order_by("occurred_at", "transaction_id", "id")
    )
    grouped: dict[int, dict] = {}
    for e in rows:
        tx = grouped.setdefault(
            e.transaction_id,
            {
                "id": e.transaction_id,
                "kind": e.transaction.kind,
                "memo": e.transaction.memo,
                "reference": e.transaction.reference,
                "day": to_local(e.occurred_at, zones.get(e.location_id, default_zone)).date(),
                "entries": [],
            },
        )
        tx["entries"].append((e.account, e.amount))
    return list(grouped.values())


def check_period(start: date, end: date) -> None:
    if end < start:
        raise ValidationFailed(
            _("The end date cannot be before the start date."),
            code="invalid_period",
            fields={"end": [_("The end date cannot be before the start date.")]},
        )
    if (end - start).days > 3 * 366:
        raise ValidationFailed(
            _("An export covers at most three years."),
            code="invalid_period",
            fields={"end": [_("An export covers at most three years.")]},
        )


def package_export(
    *, business, package: str, start: date, end: date, codes: dict[str, str] | None = None
) -> Export:
    """The journal file of `package` for the local days [start, end].

    A period without entries gives the header alone (a valid, empty import)."""
    if package not in PACKAGES:
        raise ValidationFailed(
            _("Unknown accounting package."),
            code="unknown_package",
            fields={"package": [_("Unknown accounting package.")]},
        )
    check_period(start, end)
    codes = codes or {}
    currency = business.currency
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS[package])
    for tx in ledger_transactions(business=business, start=start, end=end):
        narration = f"{tx['memo'] or tx['kind']} #{tx['id']}"[:200]
        # Entries on the same account within one transaction are one line.
        per_account: dict[str, int] = defaultdict(int)
        for account, amount in tx["entries"]:
            per_account[account] += amount
        for account, amount in per_account.items():
            if amount == 0:
                continue
            code = codes.get(account) or default_code(package, account)
            writer.writerow(WRITERS[package](tx, narration, account, code, amount, currency))
    return Export(
        f"{business.slug}-{package}-{start:%Y%m%d}-{end:%Y%m%d}.csv",
        "text/csv; charset=utf-8",
        out.getvalue(),
    )


HEADERS = {
    "xero": [
        "*Narration",
        "*Date",
        "Description",
        "*AccountCode",
        "*TaxRate",
        "*Amount",
        "TrackingName1",
        "TrackingOption1",
        "TrackingName2",
        "TrackingOption2",
    ],
    "quickbooks": [
        "Journal No.",
        "Journal Date",
        "Currency Code",
        "Memo",
        "Account Name",
        "Debits",
        "Credits",
        "Description",
        "Name",
        "Location",
        "Class",
    ],
    "sage50": [
        "Type",
        "Account Reference",
        "Nominal A/C Ref",
        "Department Code",
        "Date",
        "Reference",
        "Details",
        "Net Amount",
        "Tax Code",
        "Tax Amount",
    ],
}


def _xero(tx, narration, account, code, amount, currency):
    return [
        narration,
        tx["day"].strftime("%d/%m/%Y"),
        account,
        code,
        "Tax Exempt",
        _decimal(amount, currency),
        "",
        "",
        "",
        "",
    ]


def _quickbooks(tx, narration, account, code, amount, currency):
    return [
        f"SB{tx['id']}",
        tx["day"].strftime("%m/%d/%Y"),
        currency,
        narration,
        code,
        _decimal(amount, currency) if amount > 0 else "",
        _decimal(-amount, currency) if amount < 0 else "",
        account,
        "",
        "",
        "",
    ]


def _sage50(tx, narration, account, code, amount, currency):
    return [
        "JD" if amount > 0 else "JC",
        "",
        code,
        "0",
        tx["day"].strftime("%d/%m/%Y"),
        f"SB{tx['id']}"[:30],
        narration[:60],
        _decimal(abs(amount), currency),
        "T9",
        "0.00",
    ]


WRITERS = {"xero": _xero, "quickbooks": _quickbooks, "sage50": _sage50}
