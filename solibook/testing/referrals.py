"""Helpers for loyalty and referral tests: an open referral programme, and business B's
objects for the isolation tests (a friend's visit is `testing.booking.client_books`)."""

from solibook.core.tenancy import business_scope
from solibook.referrals import services


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
