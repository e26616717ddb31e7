from datetime import UTC, datetime, timedelta

import pytest
from django.utils import translation
from django_scopes import scopes_disabled

from solibook.billing import selectors, services
from solibook.billing.models import Charge, Invoice, Subscription
from solibook.core.errors import ValidationFailed
from solibook.testing.factories import BusinessFactory, LocationFactory, make_master, member

pytestmark = pytest.mark.django_db
NOW = datetime(2030, 3, 16, 9, 0, tzinfo=UTC)


def salon(**fields):
    business = BusinessFactory(**fields)
    member(business, language="fr")
    return business


def test_plan_of_without_subscription_is_free_and_category_overrides():
    business = salon()
    assert selectors.plan_of(business).code == "free"
    services.subscription_start(business=business, plan_code="pro", now=NOW)
    plan = selectors.plan_of(business)
    assert plan.commission_rate_bp == 1000
    assert plan.commission_rate_bp_for("massage") == 800
    assert plan.commission_rate_bp_for("womens-haircut") == 1000
    assert plan.commission_rate_bp_for(None) == 1000


def test_charge_record_is_idempotent_per_source():
    business = salon()
    first = services.charge_record(
        business=business,
        kind="commission",
        amount=450,
        currency="EUR",
        description="Commission",
        source="c:1",
        now=NOW,
    )
    again = services.charge_record(
        business=business,
        kind="commission",
        amount=450,
        currency="EUR",
        description="Commission",
        source="c:1",
        now=NOW,
    )
    assert first.pk == again.pk
    with scopes_disabled():
        assert Charge.objects.filter(business=business).count() == 1


def test_charge_record_refuses_unknown_kind():
    business = salon()
    with pytest.raises(ValidationFailed):
        services.charge_record(
            business=business,
            kind="bribe",
            amount=1,
            currency="EUR",
            description="x",
            source="x",
        )


def test_trial_then_first_paid_month():
    business = salon()
    sub = services.subscription_start(business=business, plan_code="starter", now=NOW)
    assert sub.status == Subscription.Status.TRIALING
    assert selectors.uninvoiced_charges(business) == []
    # The trial ends on March 30: the last two days of March are charged.
    services.subscription_renew(subscription_id=sub.pk, now=NOW + timedelta(days=14, hours=1))
    charges = selectors.uninvoiced_charges(business)
    assert [c.amount for c in charges] == [187]  # 2900 x 2 / 31 = 187.09


def test_upgrade_mid_month_prorates_and_downgrade_credits():
    business = salon()
    services.subscription_start(business=business, plan_code="free", now=NOW)
    services.subscription_change(business=business, plan_code="starter", now=NOW)
    charges = selectors.uninvoiced_charges(business)
    # 16 of 31 days left in March
    assert [c.amount for c in charges] == [(2900 * 16 * 2 + 31) // 62]
    services.subscription_change(business=business, plan_code="free", now=NOW + timedelta(days=1))
    amounts = [c.amount for c in selectors.uninvoiced_charges(business)]
    assert amounts[1] < 0


def test_downgrade_below_usage_is_refused_and_changes_nothing():
    business = salon()
    location = LocationFactory(business=business)
    services.subscription_start(business=business, plan_code="pro", now=NOW)
    make_master(business, locations=[location], name="A")
    make_master(business, locations=[location], name="B")
    with pytest.raises(ValidationFailed) as refused:
        services.subscription_change(business=business, plan_code="free", now=NOW)
    assert refused.value.code == "over_plan_limits"
    assert "2" in refused.value.message
    assert selectors.plan_of(business).code == "pro"


def test_limit_check_refuses_one_master_too_many():
    business = salon()
    location = LocationFactory(business=business)
    services.subscription_start(business=business, plan_code="free", now=NOW)
    services.limit_check(business=business, what="masters")
    make_master(business, locations=[location])
    with pytest.raises(ValidationFailed) as refused:
        services.limit_check(business=business, what="masters")
    assert refused.value.code == "plan_limit"
    assert "allows 1 master;" in refused.value.message  # a real plural, not "master(s)"
    with translation.override("ru"), pytest.raises(ValidationFailed) as in_russian:
        services.limit_check(business=business, what="masters")
    assert "не больше 1 мастера;" in in_russian.value.message


def test_invoice_numbers_have_no_gaps_and_regeneration_never_reuses():
    business = salon()
    services.subscription_start(business=business, plan_code="free", now=NOW)
    services.subscription_change(business=business, plan_code="starter", now=NOW)
    first = services.invoice_issue(business=business, now=NOW)
    assert first.total == first.net_total + first.tax_total
    assert first.vat_rate_bp == 2000
    new = services.invoice_regenerate(business=business, invoice_id=first.pk, now=NOW)
    assert new.sequence == first.sequence + 1
    first.refresh_from_db()
    assert first.status == Invoice.Status.VOID and first.number != new.number
    assert new.net_total == first.net_total
    assert new.replaces_id == first.pk


def test_refund_after_invoicing_issues_a_credit_note():
    business = salon()
    services.charge_record(
        business=business,
        kind="commission",
        amount=1000,
        currency="EUR",
        description="Commission",
        source="c:9",
        now=NOW,
    )
    invoice = services.invoice_issue(business=business, now=NOW)
    assert invoice.total == 1200
    services.charge_record(
        business=business,
        kind="commission",
        amount=-1000,
        currency="EUR",
        description="Commission reversed",
        source="c:9:refund",
        reverses="c:9",
        now=NOW,
    )
    invoice.refresh_from_db()
    with scopes_disabled():
        note = Invoice.objects.get(credit_note_of=invoice)
    assert note.kind == Invoice.Kind.CREDIT_NOTE and note.total == -1200
    assert note.number.startswith("CN-")
    assert invoice.total == 1200  # never edited
    assert selectors.amount_due(invoice) == 0
    assert invoice.status == Invoice.Status.PAID


def test_subscription_credit_from_an_invited_salon_is_on_the_invoice():
    from solibook.referrals.models import SalonInvite, SubscriptionCredit

    business = salon()
    services.charge_record(
        business=business,
        kind="commission",
        amount=5000,
        currency="EUR",
        description="Commission",
        source="c:1",
        now=NOW,
    )
    with scopes_disabled():
        invite = SalonInvite.objects.create(
            inviter=business,
            email="x@example.test",
            code="INV1",
            currency="EUR",
            credit_amount=2000,
            created_at=NOW,
        )
        SubscriptionCredit.objects.create(
            business=business, invite=invite, amount=2000, currency="EUR", created_at=NOW
        )
    invoice = services.invoice_issue(business=business, now=NOW)
    assert invoice.net_total == 3000
    with scopes_disabled():
        assert invoice.lines.filter(kind="credit", amount=-2000).exists()


def test_overdue_invoice_locks_after_the_delay():
    business = salon()
    services.charge_record(
        business=business,
        kind="sms",
        amount=500,
        currency="EUR",
        description="SMS",
        source="sms:1",
        now=NOW,
    )
    invoice = services.invoice_issue(business=business, now=NOW)
    assert selectors.overdue_lock(business, now=invoice.due_at + timedelta(days=1)) is None
    late = invoice.due_at + timedelta(days=selectors.read_only_after_days() + 1)
    assert selectors.overdue_lock(business, now=late).number == invoice.number
    services.invoice_mark_paid(invoice_id=invoice.pk, reference="VIR-1", now=late)
    assert selectors.overdue_lock(business, now=late) is None


def test_catalog_refuses_a_master_or_location_beyond_the_plan():
    from solibook.catalog.services import location_create, master_create
    from solibook.core.tenancy import business_scope

    business = salon()
    with business_scope(business):
        location = LocationFactory(business=business)
        services.subscription_start(business=business, plan_code="free", now=NOW)
        master_create(actor=None, business=business, display_name="Léa", location_ids=[location.pk])
        with pytest.raises(ValidationFailed) as refused:
            master_create(
                actor=None, business=business, display_name="Zoé", location_ids=[location.pk]
            )
        assert refused.value.code == "plan_limit"
        with pytest.raises(ValidationFailed):
            location_create(
                actor=None,
                business=business,
                name="Second",
                address="2 rue",
                city="Paris",
                time_zone="Europe/Paris",
            )
        with scopes_disabled():
            from solibook.catalog.models import Location, Master

            assert Master.objects.filter(business=business).count() == 1
            assert Location.objects.filter(business=business).count() == 1
        services.subscription_change(business=business, plan_code="pro", now=NOW)
        master_create(actor=None, business=business, display_name="Zoé", location_ids=[location.pk])
