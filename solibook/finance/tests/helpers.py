"""Shared helpers for the finance tests."""

from solibook.booking import services as booking
from solibook.booking.models import Source
from solibook.booking.selectors import ItemSpec
from solibook.core.tenancy import business_scope
from solibook.finance import ledger
from solibook.testing.salon import NOW, paris


def book(
    salon, start=None, *, client=None, source=Source.BACK_OFFICE, service=None, master=None, now=NOW
):
    with business_scope(salon.business):
        return booking.appointment_create(
            business=salon.business,
            location_id=salon.location.pk,
            specs=[ItemSpec((service or salon.cut).pk, master_id=(master or salon.lea).pk)],
            start=start or paris(10),
            source=source,
            client=client,
            now=now,
        )


def books_balance(business) -> bool:
    totals = ledger.balances(business=business, by=("currency",))
    return all(total == 0 for total in totals.values())


def bal(business, account, **kw):
    return ledger.balance(
        business=business, account=account, currency=kw.pop("currency", "EUR"), **kw
    )
