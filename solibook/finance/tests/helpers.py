"""Shared helpers for the finance tests."""

from solibook.finance import ledger


def books_balance(business) -> bool:
    totals = ledger.balances(business=business, by=("currency",))
    return all(total == 0 for total in totals.values())


def bal(business, account, **kw):
    return ledger.balance(
        business=business, account=account, currency=kw.pop("currency", "EUR"), **kw
    )
