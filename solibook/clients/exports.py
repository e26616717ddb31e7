"""Client lists out as CSV or XLSX (openpyxl, write-only: rows stream out
without holding a workbook of 100,000 rows in memory). Audit-logged here.

The caller passes the cards with their visit totals annotated
(`booking.client_visits.with_totals`: `visit_count`, `total_spend`,
`no_show_count`, `last_visit`); `clients.api.views.export_response` is the one
caller, for the page and the API."""

import csv
import io
from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _
from openpyxl import Workbook

from solibook.clients.models import Client
from solibook.core.audit import audit_log
from solibook.core.money import minor_digits


def _columns() -> list[tuple[str, str]]:
    return [
        ("id", _("ID")),
        ("first_name", _("First name")),
        ("last_name", _("Last name")),
        ("phone", _("Phone")),
        ("email", _("E-mail")),
        ("birthday", _("Birthday")),
        ("gender", _("Gender")),
        ("source", _("Source")),
        ("tags", _("Tags")),
        ("visits", _("Visits")),
        ("total_spend", _("Total spend")),
        ("no_shows", _("No-shows")),
        ("last_visit", _("Last visit")),
        ("created_at", _("Created")),
    ]


def _safe(value: str) -> str:
    """Neutralise spreadsheet formulas (CSV injection): a cell never starts with = + - @."""
    return "'" + value if value and value[0] in "=+-@\t\r" else value


def rows(query: Iterable[Client], currency_digits: int = 2) -> Iterator[list]:
    divisor = 10**currency_digits
    for client in query:
        yield [
            client.pk,
            _safe(client.first_name),
            _safe(client.last_name),
            str(client.phone or ""),
            _safe(client.email),
            client.birthday.isoformat() if client.birthday else "",
            client.gender,
            client.source,
            _safe(", ".join(t.name for t in client.tags.all())),
            client.visit_count,
            (client.total_spend or 0) / divisor,
            client.no_show_count,
            client.last_visit.date().isoformat() if client.last_visit else "",
            client.created_at.date().isoformat(),
        ]


def _query(query):
    """`query` carries the totals (`booking.client_visits.with_totals`)."""
    return query.prefetch_related("tags").order_by("last_name", "first_name", "id")


def export_csv(*, business, actor, query, label: str = "") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([title for _key, title in _columns()])
    count = 0
    for row in rows(_query(query).iterator(chunk_size=2000), minor_digits(business.currency)):
        writer.writerow(row)
        count += 1
    audit_log(
        action="client.export",
        actor=actor,
        business=business,
        data={"format": "csv", "rows": count, "what": label},
    )
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8


def export_xlsx(*, business, actor, query, label: str = "") -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Clients"))
    sheet.append([title for _key, title in _columns()])
    count = 0
    for row in rows(_query(query).iterator(chunk_size=2000), minor_digits(business.currency)):
        sheet.append(row)
        count += 1
    out = io.BytesIO()
    book.save(out)
    audit_log(
        action="client.export",
        actor=actor,
        business=business,
        data={"format": "xlsx", "rows": count, "what": label},
    )
    return out.getvalue()
