"""The ledger: the only writer of `LedgerTransaction` / `LedgerEntry` rows.

Double entry in integer minor units: every line has an account code from
`finance.accounts`, an amount (debit > 0, credit < 0) and a currency; a
transaction is refused unless, for every currency, its lines sum to zero.
Rows are never updated or deleted (model guards here, triggers on
PostgreSQL); a correction is a reversal. Balances are derived by summing.

`business=None` is the platform's own books (commission, subscriptions,
promotion). Callers own the surrounding database transaction: a checkout and
its ledger lines commit together or not at all.
"""

from collections import defaultdict
from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from solibook.core.errors import Conflict, ValidationFailed
from solibook.core.money import is_known_currency
from solibook.finance import accounts
from solibook.finance.models import LedgerEntry, LedgerTransaction

__all__ = ["Line", "balance", "balances", "post", "reverse", "transactions"]


def _pk(value):
    return getattr(value, "pk", value)


@dataclass(frozen=True, slots=True)
class Line:
    """One ledger line. `location`, `master` and `user` (objects or ids) are
    optional dimensions for reports (per location, tips per master, an account's
    credit)."""

    account: str
    amount: int
    currency: str
    location: object = None
    master: object = None
    user: object = None


def _check(lines: list[Line], *, platform: bool) -> list[Line]:
    if not lines:
        raise ValidationFailed(_("A ledger transaction needs lines."), code="ledger_empty")
    totals: dict[str, int] = defaultdict(int)
    kept = []
    for line in lines:
        if not isinstance(line.amount, int) or isinstance(line.amount, bool):
            raise ValidationFailed(
                _("Ledger amounts are whole minor units."), code="ledger_not_integer"
            )
        if not isinstance(line.currency, str) or not is_known_currency(line.currency):
            raise ValidationFailed(
                _("Unknown currency %(currency)s.") % {"currency": line.currency},
                code="currency_unknown",
            )
        if not accounts.is_valid(line.account, platform=platform):
            raise ValidationFailed(
                _("Unknown ledger account %(account)s.") % {"account": line.account},
                code="ledger_unknown_account",
            )
        if abs(line.amount) >= 2**62:
            raise ValidationFailed(_("This amount is too large."), code="ledger_amount_too_large")
        totals[line.currency] += line.amount
        if line.amount:
            kept.append(line)
    unbalanced = sorted(c for c, total in totals.items() if total != 0)
    if unbalanced:
        raise ValidationFailed(
            _("The ledger transaction does not balance in %(currencies)s.")
            % {"currencies": ", ".join(unbalanced)},
            code="ledger_unbalanced",
        )
    if not kept:
        raise ValidationFailed(
            _("A ledger transaction needs a non-zero amount."), code="ledger_empty"
        )
    return kept


def _book_key(business, key: str) -> str:
    return f"{_pk(business) if business is not None else 'platform'}:{key}"


def post(
    *,
    business,
    kind: str,
    memo: str,
    lines: list[Line],
    reference: str = "",
    idempotency_key: str | None = None,
    occurred_at: datetime | None = None,
    _reverses: LedgerTransaction | None = None,
) -> LedgerTransaction:
    """Write one balanced transaction. With `idempotency_key`, a second post
    with the same key (in the same book) returns the first transaction."""
    lines = _check(list(lines), platform=business is None)
    occurred_at = occurred_at or timezone.now()
    if occurred_at.tzinfo is None:
        raise ValidationFailed(_("The time needs a time zone."), code="naive_datetime")
    book_key = _book_key(business, idempotency_key) if idempotency_key else None
    with scopes_disabled():
        if book_key:
            existing = LedgerTransaction.objects.filter(idempotency_key=book_key).first()
            if existing is not None:
                return existing
        # Only a keyed post or a reversal can meet a unique row it answers for
        # (the first post, the earlier reversal): those write under a savepoint so
        # the caller's transaction survives the refusal. Any other integrity error
        # is the caller's to roll back, so a plain post inside the caller's
        # transaction saves the savepoint's two round trips; outside one, the
        # block still makes the transaction and its entries one commit.
        guarded = (
            book_key is not None
            or _reverses is not None
            or not transaction.get_connection().in_atomic_block
        )
        try:
            with transaction.atomic() if guarded else nullcontext():
                tx = LedgerTransaction.objects.create(
                    business_id=_pk(business),
                    kind=kind[:40],
                    memo=memo[:300],
                    reference=reference[:120],
                    idempotency_key=book_key,
                    occurred_at=occurred_at,
                    reverses=_reverses,
                )
                LedgerEntry.objects.bulk_create(
                    [
                        LedgerEntry(
                            transaction=tx,
                            business_id=_pk(business),
                            account=line.account,
                            amount=line.amount,
                            currency=line.currency,
                            location_id=_pk(line.location),
                            master_id=_pk(line.master),
                            user_id=_pk(line.user),
                            occurred_at=occurred_at,
                        )
                        for line in lines
                    ]
                )
        except IntegrityError:
            if book_key:
                existing = LedgerTransaction.objects.filter(idempotency_key=book_key).first()
                if existing is not None:
                    return existing
            if _reverses is not None:
                raise Conflict(
                    _("This ledger transaction has already been reversed."), code="already_reversed"
                ) from None
            raise
    return tx


def lines_of(tx: LedgerTransaction) -> list[Line]:
    with scopes_disabled():
        return [
            Line(e.account, e.amount, e.currency, e.location_id, e.master_id, e.user_id)
            for e in LedgerEntry.objects.filter(transaction=tx).order_by("id")
        ]


def reverse(
    tx: LedgerTransaction, *, memo: str, occurred_at: datetime | None = None
) -> LedgerTransaction:
    """Post the mirror image of `tx` (once): the correction of a mistake."""
    with scopes_disabled():
        if tx.reverses_id is not None:
            raise ValidationFailed(
                _("A reversal cannot itself be reversed: post a new transaction."),
                code="reversal_of_reversal",
            )
        if LedgerTransaction.objects.filter(reverses=tx).exists():
            raise Conflict(
                _("This ledger transaction has already been reversed."), code="already_reversed"
            )
        mirror = [
            Line(line.account, -line.amount, line.currency, line.location, line.master, line.user)
            for line in lines_of(tx)
        ]
    return post(
        business=tx.business_id,
        kind="reversal",
        memo=memo,
        lines=mirror,
        reference=tx.reference,
        occurred_at=occurred_at,
        _reverses=tx,
    )


def _entries(
    *,
    business,
    currency: str | None = None,
    location=None,
    master=None,
    user=None,
    since=None,
    until=None,
):
    query = (
        LedgerEntry.objects.filter(business__isnull=True)
        if business is None
        else LedgerEntry.objects.filter(business_id=_pk(business))
    )
    if currency is not None:
        query = query.filter(currency=currency)
    if location is not None:
        query = query.filter(location_id=_pk(location))
    if master is not None:
        query = query.filter(master_id=_pk(master))
    if user is not None:
        query = query.filter(user_id=_pk(user))
    if since is not None:
        query = query.filter(occurred_at__gte=since)
    if until is not None:
        query = query.filter(occurred_at__lt=until)
    return query


def balance(
    *,
    business,
    account: str,
    currency: str,
    location=None,
    master=None,
    user=None,
    since=None,
    until=None,
) -> int:
    """Debits minus credits of `account` (entries before `until`, from `since`)."""
    with scopes_disabled():
        total = (
            _entries(
                business=business,
                currency=currency,
                location=location,
                master=master,
                user=user,
                since=since,
                until=until,
            )
            .filter(account=account)
            .aggregate(total=Sum("amount"))["total"]
        )
    return int(total or 0)


def balances(
    *,
    business,
    currency: str | None = None,
    accounts_in: Iterable[str] | None = None,
    prefix: str | None = None,
    location=None,
    master=None,
    user=None,
    since=None,
    until=None,
    by: tuple[str, ...] = ("account",),
) -> dict:
    """Sums grouped by `by` (any of account, currency, location, master, user):
    `{("revenue:hair",): -12000, ...}`, or keyed by the account code alone when
    `by == ("account",)`."""
    fields = [f"{name}_id" if name in ("location", "master", "user") else name for name in by]
    with scopes_disabled():
        query = _entries(
            business=business,
            currency=currency,
            location=location,
            master=master,
            user=user,
            since=since,
            until=until,
        )
        if accounts_in is not None:
            query = query.filter(account__in=list(accounts_in))
        if prefix is not None:
            query = query.filter(Q(account__startswith=prefix))
        rows = query.order_by().values(*fields).annotate(total=Sum("amount"))
        result = {tuple(row[f] for f in fields): int(row["total"]) for row in rows}
    if by == ("account",):
        return {key[0]: total for key, total in result.items()}
    return result


def transactions(*, business, since=None, until=None, reference: str | None = None):
    """Transactions of a book (a queryset, newest last), with their entries prefetched."""
    with scopes_disabled():
        query = (
            LedgerTransaction.objects.filter(business__isnull=True)
            if business is None
            else LedgerTransaction.objects.filter(business_id=_pk(business))
        )
        if since is not None:
            query = query.filter(occurred_at__gte=since)
        if until is not None:
            query = query.filter(occurred_at__lt=until)
        if reference is not None:
            query = query.filter(reference=reference)
        return query.prefetch_related("entries")
