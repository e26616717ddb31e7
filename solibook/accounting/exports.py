"""Exports for accounting software: the ledger journal and reports as CSV, the French FEC.

Both read ledger entries of a period of local dates (each location's own
midnights, see `accounting.queries`). CSV amounts are plain decimals with a
dot (spreadsheets of any locale import them), one row per ledger entry.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from solibook.accounting import fec, queries
from solibook.accounting.models import ExpenseCategory
from solibook.accounting.reports import ProfitAndLoss
from solibook.catalog.models import Location, Master
from solibook.core.errors import ValidationFailed
from solibook.core.money import minor_digits
from solibook.core.time import to_local
from solibook.finance.models import LedgerTransaction


@dataclass(frozen=True)
class Export:
    filename: str
    content_type: str
    body: str


def _decimal(minor: int, currency: str) -> str:
    digits = minor_digits(currency)
    return f"{Decimal(minor).scaleb(-digits).quantize(Decimal(1).scaleb(-digits)):f}"


def _period_entries(*, business, start: date, end: date, location_id: int | None):
    from django.db.models import Q

    where = Q(pk__in=[])
    for window in queries.windows(business=business, start=start, end=end, location_id=location_id):
        where |= queries._window_q(window)
    return queries.entries(business=business, currency=business.currency).filter(where)


def _transactions(
    *, business, start: date, end: date, location_id: int | None
) -> list[tuple[LedgerTransaction, list]]:
    rows = (
        _period_entries(business=business, start=start, end=end, location_id=location_id)
        .select_related("transaction")
        .order_by("transaction_id", "id")
    )
    grouped: dict[int, tuple[LedgerTransaction, list]] = {}
    for entry in rows:
        grouped.setdefault(entry.transaction_id, (entry.transaction, []))[1].append(entry)
    return list(grouped.values())


def journal_csv(*, business, start: date, end: date, location_id: int | None = None) -> Export:
    zone_of = {loc.pk: loc.time_zone for loc in Location.objects.filter(business=business)}
    names = {loc.pk: loc.name for loc in Location.objects.filter(business=business)}
    masters = {m.pk: m.display_name for m in Master.objects.filter(business=business)}
    default_zone = queries.business_zone(business)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            "date",
            "transaction",
            "kind",
            "reference",
            "memo",
            "account",
            "location",
            "master",
            "debit",
            "credit",
            "currency",
        ]
    )
    for tx, entries in _transactions(
        business=business, start=start, end=end, location_id=location_id
    ):
        for e in entries:
            day = to_local(e.occurred_at, zone_of.get(e.location_id, default_zone)).date()
            writer.writerow(
                [
                    day.isoformat(),
                    tx.pk,
                    tx.kind,
                    tx.reference,
                    tx.memo,
                    e.account,
                    names.get(e.location_id, ""),
                    masters.get(e.master_id, ""),
                    _decimal(e.amount, e.currency) if e.amount > 0 else "",
                    _decimal(-e.amount, e.currency) if e.amount < 0 else "",
                    e.currency,
                ]
            )
    return Export(
        f"{business.slug}-journal-{start:%Y%m%d}-{end:%Y%m%d}.csv",
        "text/csv; charset=utf-8",
        out.getvalue(),
    )


def pnl_csv(report: ProfitAndLoss, *, business) -> Export:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            "section",
            "account",
            "label",
            *[m.strftime("%Y-%m") for m in report.months],
            "total",
            "currency",
        ]
    )
    for section, rows in (("revenue", report.revenue), ("expenses", report.expenses)):
        for row in rows:
            writer.writerow(
                [
                    section,
                    row.account,
                    row.label,
                    *[_decimal(v, report.currency) for v in row.by_month],
                    _decimal(row.total, report.currency),
                    report.currency,
                ]
            )
    net = [
        r - e
        for r, e in zip(report.series(report.revenue), report.series(report.expenses), strict=True)
    ]
    writer.writerow(
        [
            "net",
            "",
            _("Net result"),
            *[_decimal(v, report.currency) for v in net],
            _decimal(report.net, report.currency),
            report.currency,
        ]
    )
    return Export(
        f"{business.slug}-pnl-{report.start:%Y%m%d}-{report.end:%Y%m%d}.csv",
        "text/csv; charset=utf-8",
        out.getvalue(),
    )


def fec_export(*, business, start: date, end: date) -> Export:
    """The FEC of a period (normally a fiscal year) for the whole business, in euros."""
    if business.currency != "EUR":
        raise ValidationFailed(
            _("The FEC export is for books kept in euros; this business uses %(currency)s.")
            % {"currency": business.currency},
            code="fec_currency",
        )
    zone_of = {loc.pk: loc.time_zone for loc in Location.objects.filter(business=business)}
    default_zone = queries.business_zone(business)
    overrides = {
        c.account: (c.fec_account, c.name)
        for c in ExpenseCategory.objects.filter(business=business)
    }
    transactions = []
    for tx, entries in _transactions(business=business, start=start, end=end, location_id=None):
        located = next((e.location_id for e in entries if e.location_id), None)
        zone = zone_of.get(located, default_zone)
        transactions.append(
            fec.FecTransaction(
                id=tx.pk,
                kind=tx.kind,
                memo=tx.memo,
                reference=tx.reference,
                occurred_on=to_local(tx.occurred_at, zone).date(),
                validated_on=to_local(tx.created_at, zone).date(),
                entries=[fec.FecEntry(e.account, e.amount) for e in entries],
            )
        )
    body = fec.render(transactions, overrides=overrides)
    return Export(
        fec.file_name(business.registration_number, end),
        "text/tab-separated-values; charset=utf-8",
        body,
    )
