"""Background work of the finance app (Django tasks API; `db_worker` runs it).

`settle_appointment` is enqueued when a visit is cancelled or marked no-show
(after the booking commits). The periodic ones (`expire_unpaid_deposits`,
`renew_memberships`, `expire_gift_cards`) are run by `manage.py run_finance`
(a loop, or `--once` from cron)."""

from django_tasks import task

from solibook.catalog.models import Business
from solibook.core.tenancy import business_scope


@task()
def settle_appointment(*, business_id: int, appointment_id: int) -> int:
    from solibook.finance.services import appointment_settle

    business = Business.objects.get(pk=business_id)
    with business_scope(business):
        return len(appointment_settle(business=business, appointment_id=appointment_id))


@task()
def expire_unpaid_deposits() -> int:
    from solibook.finance.services import deposits_expire

    return deposits_expire()


@task()
def renew_memberships() -> int:
    from solibook.finance.services import memberships_renew_due

    return memberships_renew_due()


@task()
def expire_gift_cards() -> int:
    from django_scopes import scopes_disabled

    from solibook.finance.models import GiftCard
    from solibook.finance.services import gift_cards_expire

    with scopes_disabled():
        business_ids = set(
            GiftCard.objects.filter(expired=False).values_list("business_id", flat=True)
        )
    total = 0
    for business in Business.objects.filter(pk__in=business_ids):
        with business_scope(business):
            total += gift_cards_expire(business=business)
    return total
