"""The dashboards as tables, out as CSV or XLSX (openpyxl): one table per
section, money in major units of the salon's currency (2 decimals for EUR).
The page's download links and the API's `format=` both come here."""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook  # type: ignore[import-untyped]

from solibook.core.money import minor_digits
from solibook.insights.dashboards import Dashboard

Table = tuple[str, list[str], list[list]]


def _money(amount: int | None, digits: int):
    return None if amount is None else amount / 10**digits


def _safe(value: str) -> str:
    """No cell starts a formula (CSV injection): names come from the salon."""
    return "'" + value if value and value[0] in "=+-@\t\r" else value


def tables(d: Dashboard) -> list[Table]:
    digits = minor_digits(d.currency)
    c, p = d.current, d.previous
    summary = [
        (_("Revenue"), _money(c.revenue, digits), _money(p.revenue, digits)),
        (_("Services"), _money(c.service_revenue, digits), _money(p.service_revenue, digits)),
        (_("Retail"), _money(c.retail_revenue, digits), _money(p.retail_revenue, digits)),
        (_("Average ticket"), _money(c.average_ticket, digits), _money(p.average_ticket, digits)),
        (_("Bookings"), c.bookings, p.bookings),
        (_("Completed"), c.completed, p.completed),
        (_("No-shows"), c.no_shows, p.no_shows),
        (_("No-show rate (%)"), c.no_show_rate, p.no_show_rate),
        (_("Cancellations"), c.cancellations, p.cancellations),
        (_("Late cancellations"), c.late_cancellations, p.late_cancellations),
        (_("Cancellation rate (%)"), c.cancellation_rate, p.cancellation_rate),
        (_("New clients"), c.new_clients, p.new_clients),
        (_("Returning clients"), c.returning_clients, p.returning_clients),
        (_("Occupancy (%)"), c.occupancy, p.occupancy),
        (
            _("Marketplace commissions"),
            _money(c.commissions, digits),
            _money(p.commissions, digits),
        ),
    ]
    period = f"{d.period.start.isoformat()} – {d.period.end.isoformat()}"
    before = f"{d.previous_period.start.isoformat()} – {d.previous_period.end.isoformat()}"
    out: list[Table] = [
        (
            _("Summary"),
            [_("Figure"), period, before],
            [[name, now, then] for name, now, then in summary],
        ),
        (
            _("Over time"),
            [_("From"), _("Bookings"), _("No-shows"), _("Revenue")],
            [
                [pt.label.isoformat(), pt.bookings, pt.no_shows, _money(pt.revenue, digits)]
                for pt in d.series
            ],
        ),
        (
            _("Masters"),
            [_("Master"), _("Working hours"), _("Busy hours"), _("Occupancy (%)")],
            [
                [
                    _safe(m.name),
                    round(m.worked_minutes / 60, 1),
                    round(m.busy_minutes / 60, 1),
                    m.occupancy,
                ]  # fmt: skip
                for m in d.masters
            ],
        ),
        (
            _("Hours of the week"),
            [_("Day"), *[f"{h:02d}:00" for h in d.hours]],
            [[day, *row] for day, row in zip(weekday_names(), d.heatmap, strict=True)],
        ),
        (
            _("Sources"),
            [_("Source"), _("Bookings"), _("Share (%)"), _("Marketplace commissions")],
            [[s.label, s.bookings, s.share, _money(s.commissions, digits)] for s in d.sources],
        ),
        (
            _("Cohorts"),
            [_("First visit"), _("Clients"), *[_("Month +%(n)d") % {"n": k} for k in range(1, 7)]],
            [[co.month.strftime("%Y-%m"), co.clients, *co.retained] for co in d.cohorts],
        ),
        (
            _("Lifetime value"),
            [_("Clients"), _("Average revenue per client"), _("Median"), _("Visits per client")],
            [
                [
                    d.lifetime.clients,
                    _money(d.lifetime.average, digits),
                    _money(d.lifetime.median, digits),
                    d.lifetime.visits,
                ]
            ],  # fmt: skip
        ),
        (
            _("Retail"),
            [_("Product"), _("Units"), _("Revenue")],
            [[_safe(r.name), r.units, _money(r.revenue, digits)] for r in d.products],
        ),
    ]
    return out


def weekday_names() -> list[str]:
    return [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"),
            _("Saturday"), _("Sunday")]  # fmt: skip


def as_csv(d: Dashboard) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for title, headers, rows in tables(d):
        writer.writerow([title])
        writer.writerow(headers)
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])
        writer.writerow([])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM: Excel reads UTF-8


def as_xlsx(d: Dashboard) -> bytes:
    book = Workbook(write_only=True)
    for title, headers, rows in tables(d):
        sheet = book.create_sheet(title=title[:31])
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_file(d: Dashboard, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the dashboards as `fmt` (csv or xlsx)."""
    name = f"dashboards-{d.location.pk}-{d.period.start}-{d.period.end}.{fmt}"
    if fmt == "xlsx":
        return as_xlsx(d), XLSX, name
    return as_csv(d), "text/csv; charset=utf-8", name
