"""Commission on one base (issue #15, point 6): net of VAT, after discounts,
tips apart, whether the service was checked out at the till or is a completed
visit not checked out yet; each statement line says how it was computed."""

from datetime import UTC, date, datetime

import pytest
from django_scopes import scopes_disabled

from solibook.accounting import pay, staff
from solibook.accounting.tests.test_staff_pay import JUNE, checkout, rule
from solibook.booking.models import Appointment, AppointmentItem, Status
from solibook.catalog.models import Service
from solibook.core.tenancy import business_scope
from solibook.finance.services.checkout import LineIn, TipIn

pytestmark = pytest.mark.django_db


def completed_visit(salon, service, *, price, at):
    with scopes_disabled():
        visit = Appointment.objects.create(
            business=salon.business,
            location=salon.location,
            status=Status.COMPLETED,
            starts_at=at,
            ends_at=at.replace(hour=at.hour + 1),
            price_amount=price,
            currency="EUR",
        )
        AppointmentItem.objects.create(
            business=salon.business,
            appointment=visit,
            service=service,
            master=salon.lea,
            starts_at=visit.starts_at,
            ends_at=visit.ends_at,
            price_amount=price,
        )
    return visit


def test_a_65_euro_service_earns_the_same_checked_out_or_not(salon):
    """The issue's example: VAT at 20 % included in a €65 price. The old code paid
    the checked-out line on €54.17 and the visit not checked out on €65."""
    with scopes_disabled():
        Service.objects.filter(pk=salon.cut.pk).update(price_amount=6500)
    rule(salon, kind="service_percent", rate_bp=4000, valid_from=date(2030, 1, 1))
    checkout(
        salon,
        at=datetime(2030, 6, 10, 15, tzinfo=UTC),
        lines=[LineIn("service", service_id=salon.cut.pk, master_id=salon.lea.pk)],
        tips=[TipIn(salon.lea.pk, 500)],
    )
    completed_visit(salon, salon.cut, price=6500, at=datetime(2030, 6, 12, 9, tzinfo=UTC))

    with business_scope(salon.business):
        result = staff.pay_for(
            business=salon.business, master=salon.lea, start=JUNE[0], end=JUNE[1]
        )
    assert [line["amount"] for line in result.lines] == [5417, 5417]
    assert [line["commission"] for line in result.lines] == [2167, 2167]
    for line in result.lines:
        assert line["base"] == {
            "price": 6500,
            "discount": 0,
            "tax_rate": 2000,
            "tax": 1083,
            "net": 5417,
            "inclusive": True,
        }
        assert line["rate_bp"] == 4000 and line["rule_id"]
    # Tips are paid apart, never part of the base.
    assert result.services_base == 2 * 5417
    assert result.tips == 500
    assert result.total == 2 * 2167 + 500


def test_commission_base_takes_the_discount_then_the_vat():
    base = pay.commission_base(price=6500, discount=1300, tax_rate=2000, inclusive=True)
    assert (base.net, base.tax) == (4333, 867)
    base = pay.commission_base(price=6500, discount=0, tax_rate=2000, inclusive=False)
    assert (base.net, base.tax) == (6500, 1300)
    base = pay.commission_base(price=6500, discount=0, tax_rate=0, inclusive=True)
    assert (base.net, base.tax) == (6500, 0)


def test_profit_and_loss_and_staff_performance_agree(salon):
    """Staff performance counts what was performed (checked out or not), net of
    VAT; the P&L counts the ledger and says which completed visits it lacks.
    Before, performance summed booked prices with VAT and P&L said nothing."""
    from solibook.accounting import reports
    from solibook.insights.selectors import staff_performance

    with scopes_disabled():
        Service.objects.filter(pk=salon.cut.pk).update(price_amount=6500)
    checkout(
        salon,
        at=datetime(2030, 6, 10, 15, tzinfo=UTC),
        lines=[LineIn("service", service_id=salon.cut.pk, master_id=salon.lea.pk)],
        tips=[TipIn(salon.lea.pk, 500)],
    )
    completed_visit(salon, salon.cut, price=6500, at=datetime(2030, 6, 12, 9, tzinfo=UTC))
    # Cancelled visits and other months count nowhere.
    completed_visit(salon, salon.cut, price=6500, at=datetime(2030, 7, 2, 9, tzinfo=UTC))

    with business_scope(salon.business):
        pnl = reports.profit_and_loss(business=salon.business, start=JUNE[0], end=JUNE[1])
        rows = staff_performance(
            business=salon.business,
            location=salon.location,
            first_day=JUNE[0],
            last_day=JUNE[1],
        )
    services_in_pnl = sum(r.total for r in pnl.revenue if r.account.startswith("revenue:"))
    assert services_in_pnl == 5417
    assert (pnl.unrecorded_visits, pnl.unrecorded_value) == (1, 5417)
    lea = next(r for r in rows if r.master == salon.lea)
    assert (lea.revenue, lea.revenue_not_checked_out) == (2 * 5417, 5417)
    assert services_in_pnl + pnl.unrecorded_value == sum(r.revenue for r in rows)


def test_the_statement_page_says_how_each_line_was_computed(owner_pages, salon):
    with scopes_disabled():
        Service.objects.filter(pk=salon.cut.pk).update(price_amount=6500)
    rule(salon, kind="service_percent", rate_bp=4000, valid_from=date(2030, 1, 1))
    completed_visit(salon, salon.cut, price=6500, at=datetime(2030, 6, 12, 9, tzinfo=UTC))
    html = owner_pages.get(
        f"/en/office/{salon.business.slug}/accounting/pay/statement/"
        f"?master={salon.lea.pk}&start=2030-06-01&end=2030-06-30"
    ).content.decode()
    line = html[html.index('data-testid="pay-line"') :]
    line = " ".join(line[: line.index("</tr>")].split())
    for shown in ("price €65.00", "VAT 20 % €10.83", "= €54.17", "× 40 %", "€21.67"):
        assert shown in line, (shown, line)
