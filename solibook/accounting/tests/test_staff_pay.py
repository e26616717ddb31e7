"""Staff pay over real data: finance checkouts (service and product lines,
tips), completed visits not checked out, the ledger postings of a statement."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django_scopes import scopes_disabled

from solibook.accounting import services, staff
from solibook.accounting.models import PayStatement
from solibook.booking.models import Appointment, AppointmentItem, Status
from solibook.core.errors import Conflict, NotFound, ValidationFailed
from solibook.core.tenancy import business_scope
from solibook.finance import ledger
from solibook.finance.models import FinanceSettings, Product
from solibook.finance.services.checkout import (
    LineIn,
    TenderIn,
    TipIn,
    checkout_complete,
    checkout_quote,
)
from solibook.testing.factories import BusinessFactory, LocationFactory, make_master

pytestmark = pytest.mark.django_db

JUNE = (date(2030, 6, 1), date(2030, 6, 30))


def rule(salon, master=None, **fields):
    with business_scope(salon.business):
        return services.commission_rule_create(
            actor=None, business=salon.business, master_id=(master or salon.lea).pk, **fields
        )


def checkout(salon, *, at, lines, tips=(), location=None):
    location = location or salon.location
    with business_scope(salon.business):
        quote = checkout_quote(
            business=salon.business, location_id=location.pk, lines=lines, tips=list(tips), now=at
        )
        return checkout_complete(
            business=salon.business,
            location_id=location.pk,
            shown_total=quote.total,
            currency="EUR",
            lines=lines,
            tips=list(tips),
            tenders=[TenderIn("card", quote.to_pay)],
            now=at,
        )


@pytest.fixture
def untaxed(salon):
    """Prices without VAT, so net amounts are the list prices."""
    with scopes_disabled():
        FinanceSettings.objects.update_or_create(
            business=salon.business, defaults={"vat_registered": False}
        )
    return salon


def test_pay_from_checkouts_tips_and_uncheckedout_visits(untaxed):
    salon = untaxed
    with scopes_disabled():
        shampoo = Product.objects.create(
            business=salon.business, name="Shampoo", price_amount=2500, currency="EUR"
        )
    rule(salon, kind="service_percent", rate_bp=4000, valid_from=date(2030, 1, 1))
    rule(salon, kind="product_percent", rate_bp=1000, valid_from=date(2030, 1, 1))
    rule(salon, kind="fixed_per_period", amount=30000, valid_from=date(2030, 1, 1))
    at = datetime(2030, 6, 10, 15, tzinfo=UTC)
    checkout(
        salon,
        at=at,
        lines=[
            LineIn("service", service_id=salon.cut.pk, master_id=salon.lea.pk),
            LineIn("product", product_id=shampoo.pk, master_id=salon.lea.pk),
        ],
        tips=[TipIn(salon.lea.pk, 700)],
    )
    # Marc's work and tips are not Léa's.
    checkout(
        salon,
        at=at,
        lines=[LineIn("service", service_id=salon.cut.pk, master_id=salon.marc.pk)],
        tips=[TipIn(salon.marc.pk, 300)],
    )
    # A completed visit nobody checked out yet counts at its booked price.
    with scopes_disabled():
        visit = Appointment.objects.create(
            business=salon.business,
            location=salon.location,
            status=Status.COMPLETED,
            starts_at=datetime(2030, 6, 12, 9, tzinfo=UTC),
            ends_at=datetime(2030, 6, 12, 10, 35, tzinfo=UTC),
            price_amount=8000,
            currency="EUR",
        )
        AppointmentItem.objects.create(
            business=salon.business,
            appointment=visit,
            service=salon.colour,
            master=salon.lea,
            starts_at=visit.starts_at,
            ends_at=visit.ends_at,
            price_amount=8000,
        )
    # Outside the period: July.
    checkout(
        salon,
        at=datetime(2030, 7, 1, 9, tzinfo=UTC),
        lines=[LineIn("service", service_id=salon.cut.pk, master_id=salon.lea.pk)],
    )

    with business_scope(salon.business):
        pay = staff.pay_for(business=salon.business, master=salon.lea, start=JUNE[0], end=JUNE[1])
    assert pay.services_base == 4500 + 8000
    assert pay.products_base == 2500
    assert pay.service_commission == 1800 + 3200
    assert pay.product_commission == 250
    assert pay.fixed_amount == 30000
    assert pay.tips == 700
    assert pay.total == 1800 + 3200 + 250 + 30000 + 700
    assert {line["reference"].split(":")[0] for line in pay.lines} >= {"appointment"}


def test_approve_pay_and_the_ledger(untaxed):
    salon = untaxed
    rule(salon, kind="service_percent", rate_bp=5000, valid_from=date(2030, 1, 1))
    checkout(
        salon,
        at=datetime(2030, 6, 10, 15, tzinfo=UTC),
        lines=[LineIn("service", service_id=salon.cut.pk, master_id=salon.lea.pk)],
        tips=[TipIn(salon.lea.pk, 1000)],
    )
    b = salon.business
    assert (
        ledger.balance(business=b, account="tips_payable", currency="EUR", master=salon.lea)
        == -1000
    )
    with business_scope(b):
        statement = services.pay_statement_approve(
            actor=None, business=b, master_id=salon.lea.pk, period_start=JUNE[0], period_end=JUNE[1]
        )
    assert (statement.service_commission, statement.tips, statement.total) == (2250, 1000, 3250)
    # The accrual: staff pay expense, tips moved out of tips payable, pay owed.
    assert (
        ledger.balance(
            business=b, account="expenses:staff_pay", currency="EUR", location=salon.location
        )
        == 2250
    )
    assert ledger.balance(business=b, account="tips_payable", currency="EUR", master=salon.lea) == 0
    assert (
        ledger.balance(business=b, account="staff_pay_payable", currency="EUR", master=salon.lea)
        == -3250
    )
    # Recomputing the same period does not count the accrual's tip debit as negative tips.
    with business_scope(b):
        assert staff.pay_for(business=b, master=salon.lea, start=JUNE[0], end=JUNE[1]).tips == 1000
        with pytest.raises(Conflict):
            services.pay_statement_approve(
                actor=None,
                business=b,
                master_id=salon.lea.pk,
                period_start=date(2030, 6, 15),
                period_end=date(2030, 7, 14),
            )
        services.pay_statement_pay(
            actor=None, business=b, statement_id=statement.pk, paid_from="bank"
        )
        with pytest.raises(Conflict):
            services.pay_statement_pay(
                actor=None, business=b, statement_id=statement.pk, paid_from="bank"
            )
        with pytest.raises(Conflict):
            services.pay_statement_void(actor=None, business=b, statement_id=statement.pk)
    assert ledger.balance(business=b, account="staff_pay_payable", currency="EUR") == 0
    assert ledger.balance(business=b, account="bank", currency="EUR") == -3250


def test_voiding_an_unpaid_statement_reverses_it_and_frees_the_period(untaxed):
    salon = untaxed
    rule(salon, kind="service_percent", rate_bp=5000, valid_from=date(2030, 1, 1))
    checkout(
        salon,
        at=datetime(2030, 6, 10, 15, tzinfo=UTC),
        lines=[LineIn("service", service_id=salon.cut.pk, master_id=salon.lea.pk)],
    )
    b = salon.business
    with business_scope(b):
        first = services.pay_statement_approve(
            actor=None, business=b, master_id=salon.lea.pk, period_start=JUNE[0], period_end=JUNE[1]
        )
        services.pay_statement_void(actor=None, business=b, statement_id=first.pk)
        assert ledger.balance(business=b, account="expenses:staff_pay", currency="EUR") == 0
        again = services.pay_statement_approve(
            actor=None, business=b, master_id=salon.lea.pk, period_start=JUNE[0], period_end=JUNE[1]
        )
    assert again.total == 2250
    with scopes_disabled():
        assert PayStatement.objects.filter(business=b).exclude(status="voided").count() == 1


def test_a_master_in_moscow_is_paid_by_moscow_days(salon):
    moscow = LocationFactory(business=salon.business, time_zone="Europe/Moscow")
    ivan = make_master(salon.business, locations=[moscow], services=[salon.cut], name="Ivan")
    with scopes_disabled():
        FinanceSettings.objects.update_or_create(
            business=salon.business, defaults={"vat_registered": False}
        )
    rule(salon, master=ivan, kind="service_percent", rate_bp=10000, valid_from=date(2030, 1, 1))
    # 22:30 UTC on 31 May is 01:30 on 1 June in Moscow: June's pay.
    checkout(
        salon,
        at=datetime(2030, 5, 31, 22, 30, tzinfo=UTC),
        lines=[LineIn("service", service_id=salon.cut.pk, master_id=ivan.pk)],
        location=moscow,
    )
    with business_scope(salon.business):
        assert (
            staff.pay_for(
                business=salon.business, master=ivan, start=JUNE[0], end=JUNE[1]
            ).services_base
            == 4500
        )
        assert (
            staff.pay_for(
                business=salon.business, master=ivan, start=date(2030, 5, 1), end=date(2030, 5, 31)
            ).services_base
            == 0
        )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "service_percent", "rate_bp": 0}, "rate_bp"),
        ({"kind": "service_percent", "rate_bp": 10001}, "rate_bp"),
        ({"kind": "product_percent", "rate_bp": -5}, "rate_bp"),
        ({"kind": "fixed_per_period", "amount": -100}, "amount"),
        ({"kind": "fixed_per_service", "amount": 0}, "amount"),
        ({"kind": "bonus", "amount": 10}, "kind"),
        ({"kind": "service_percent", "rate_bp": 100, "currency": "USD"}, "currency"),
        ({"kind": "product_percent", "rate_bp": 100, "service_id": 1}, "service_id"),
        (
            {"kind": "service_percent", "rate_bp": 100, "valid_until": date(2029, 1, 1)},
            "valid_until",
        ),
    ],
)
def test_rule_bad_input(salon, fields, field):
    with business_scope(salon.business), pytest.raises(ValidationFailed) as caught:
        services.commission_rule_create(
            actor=None,
            business=salon.business,
            master_id=salon.lea.pk,
            valid_from=date(2030, 1, 1),
            **fields,
        )
    assert field in caught.value.fields


def test_statement_bad_input(salon):
    other = BusinessFactory()
    stranger = make_master(
        other, locations=[LocationFactory(business=other)], services=[], name="Other"
    )
    with business_scope(salon.business):
        with pytest.raises(ValidationFailed):
            services.pay_statement_approve(
                actor=None,
                business=salon.business,
                master_id=salon.lea.pk,
                period_start=date(2030, 6, 2),
                period_end=date(2030, 6, 1),
            )
        with pytest.raises(ValidationFailed):
            services.pay_statement_approve(
                actor=None,
                business=salon.business,
                master_id=salon.lea.pk,
                period_start=date(2030, 1, 1),
                period_end=date(2030, 12, 31),
            )
        with pytest.raises(NotFound):
            services.pay_statement_approve(
                actor=None,
                business=salon.business,
                master_id=stranger.pk,
                period_start=JUNE[0],
                period_end=JUNE[1],
            )
        with pytest.raises(ValidationFailed):
            services.pay_statement_pay(
                actor=None, business=salon.business, statement_id=1, paid_from="gift_card"
            )


def test_a_statement_with_nothing_earned_posts_nothing(salon):
    with business_scope(salon.business):
        statement = services.pay_statement_approve(
            actor=None,
            business=salon.business,
            master_id=salon.marc.pk,
            period_start=JUNE[0],
            period_end=JUNE[0] + timedelta(days=6),
        )
        assert statement.total == 0 and statement.accrual_transaction_id is None
        services.pay_statement_pay(
            actor=None, business=salon.business, statement_id=statement.pk, paid_from="cash"
        )
