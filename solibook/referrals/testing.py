"""Helpers for loyalty and referral tests: a friend's booked and completed visit."""

from datetime import timedelta

from solibook.booking import services as booking
from solibook.booking.models import Source, Status
from solibook.booking.selectors import ItemSpec
from solibook.core.tenancy import business_scope
from solibook.referrals import services
from solibook.testing.salon import NOW, paris


def book(salon, client, *, hour: int = 10, day_offset: int = 0, service=None):
    with business_scope(salon.business):
        return booking.appointment_create(
            business=salon.business,
            location_id=salon.location.pk,
            specs=[ItemSpec(service_id=(service or salon.cut).pk, master_id=None)],
            start=paris(hour) + timedelta(days=day_offset),
            source=Source.MARKETPLACE,
            actor=client,
            client=client,
            now=NOW,
        )


def complete(salon, appointment):
    with business_scope(salon.business):
        return booking.appointment_set_status(
            business=salon.business, appointment_id=appointment.pk, status=Status.COMPLETED
        )


def open_programme(salon, **values):
    with business_scope(salon.business):
        defaults = {
            "is_active": True,
            "review_days": 14,
            "friend_reward_kind": "wallet_credit",
            "friend_reward_value": 1000,
            "referrer_reward_kind": "wallet_credit",
            "referrer_reward_value": 1500,
        }
        return services.programme_update(business=salon.business, **{**defaults, **values})


def isolation_objects_of_b(b, appointment_b) -> dict:
    """One loyalty/referral object of business B per URL kwarg (platform/tests/test_isolation.py)."""
    from datetime import UTC, datetime

    from django_scopes import scopes_disabled

    from solibook.loyalty.models import Tier
    from solibook.referrals.models import Partner, Referral, ReferralCode, Statement
    from solibook.testing.factories import UserFactory

    when = datetime(2030, 1, 1, tzinfo=UTC)
    with scopes_disabled():
        owner, friend = UserFactory(), UserFactory()
        tier = Tier.objects.create(business=b, name="B's tier", min_points=100)
        partner = Partner.objects.create(business=b, user=owner, name="B's partner")
        code = ReferralCode.objects.create(
            business=b, owner=owner, code=f"B-{b.pk}-ISO", created_at=when
        )
        referral = Referral.objects.create(
            business=b,
            code=code,
            referrer=owner,
            friend=friend,
            appointment=appointment_b,
            status="held",
            created_at=when,
        )
        statement = Statement.objects.create(
            business=b,
            partner=partner,
            month=when.date(),
            total=100,
            currency=b.currency,
            created_at=when,
        )
    return {
        "tier_id": tier.pk,
        "partner_id": partner.pk,
        "code_id": code.pk,
        "referral_id": referral.pk,
        "statement_id": statement.pk,
    }
