"""The demo's billing: every salon on a plan, Ongles & Sens and Борода with an invoice to
pay by card, Spa Al Waha with one unpaid long past its due date (its back office is read-only,
its clients still book)."""

from datetime import timedelta

from solibook.billing import selectors, services
from solibook.billing.plans import DEFAULT_PLANS
from solibook.catalog.models import Business
from solibook.core.tenancy import business_scope

STARTER = {"ongles-sens", "boroda", "spa-al-waha"}
TO_PAY = {"ongles-sens", "boroda"}
OVERDUE = "spa-al-waha"


def _fits(business, code: str) -> bool:
    spec, used = DEFAULT_PLANS[code], services.usage_of(business)
    return all(
        spec[f"max_{what}"] is None or used[what] <= spec[f"max_{what}"]
        for what in ("masters", "locations")
    )


def seed_billing(*, now) -> None:
    for business in Business.objects.order_by("pk"):
        code = "starter" if business.slug in STARTER and _fits(business, "starter") else "pro"
        with business_scope(business):
            if business.slug == OVERDUE:
                # Subscribed two months ago; its invoice is unpaid past the read-only delay.
                start = now - timedelta(days=selectors.read_only_after_days() + 45)
                services.subscription_start(business=business, plan_code="free", now=start)
                services.subscription_change(business=business, plan_code=code, now=start)
                services.invoice_issue(business=business, now=start)
            elif business.slug in TO_PAY:
                start = (now - timedelta(days=40)).replace(day=1)
                services.subscription_start(business=business, plan_code="free", now=start)
                services.subscription_change(business=business, plan_code=code, now=start)
                services.invoice_issue(business=business, now=now - timedelta(days=2))
            else:
                services.subscription_start(business=business, plan_code=code, now=now)
