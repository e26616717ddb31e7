"""Gift cards: sold at checkout, redeemed (partially) as a tender, expired by a task.

A card's `balance` changes only through conditional updates
(`balance >= amount`) under a CHECK constraint (0 <= balance <= initial):
two checkouts spending one card at once cannot both succeed, whatever the
isolation level. Each change also writes a `GiftCardMovement` and the ledger
(`gift_cards_outstanding`).
"""

import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from solibook.core.audit import audit_log
from solibook.core.errors import NotFound, ValidationFailed
from solibook.finance import accounts, ledger
from solibook.finance.ledger import Line
from solibook.finance.models import GiftCard, GiftCardMovement

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
DEFAULT_VALIDITY = timedelta(days=365)


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def normalise(code: str) -> str:
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def gift_card_issue(
    *,
    business,
    amount: int,
    currency: str,
    now: datetime,
    checkout=None,
    purchaser=None,
    recipient_name: str = "",
    validity: timedelta = DEFAULT_VALIDITY,
) -> GiftCard:
    """A new card (its ledger credit is posted by the sale that sells it)."""
    card = GiftCard.objects.create(
        business=business,
        code=new_code(),
        initial_amount=amount,
        balance=amount,
        currency=currency,
        expires_at=now + validity,
        purchaser=purchaser,
        recipient_name=recipient_name[:150],
        sold_in=checkout,
        created_at=now,
    )
    GiftCardMovement.objects.create(
        business=business, card=card, kind="sold", amount=amount, checkout=checkout, created_at=now
    )
    return card


def _card(business, code: str) -> GiftCard:
    card = GiftCard.objects.filter(business=business, code=normalise(code)).first()
    if card is None:
        message = _("No gift card with this code.")
        raise NotFound(message, code="gift_card_unknown", fields={"code": [message]})
    return card


def gift_card_check(*, business, code: str, amount: int, currency: str, now: datetime) -> GiftCard:
    card = _card(business, code)
    if card.currency != currency:
        raise ValidationFailed(
            _("This gift card is in %(currency)s.") % {"currency": card.currency},
            code="currency_mismatch",
        )
    if card.expired or card.expires_at <= now:
        raise ValidationFailed(
            _("This gift card expired on %(date)s.") % {"date": card.expires_at.date().isoformat()},
            code="gift_card_expired",
        )
    if amount > card.balance:
        raise ValidationFailed(
            _("This gift card has only %(balance)s left.") % {"balance": card.balance},
            code="gift_card_insufficient",
            extra={"balance": card.balance},
        )
    return card


def gift_card_spend(
    *, business, code: str, amount: int, currency: str, now: datetime, checkout=None
) -> GiftCard:
    """Take `amount` off the card or refuse: one conditional UPDATE decides
    between two concurrent spends (the second finds the balance too low)."""
    card = gift_card_check(business=business, code=code, amount=amount, currency=currency, now=now)
    updated = GiftCard.objects.filter(
        pk=card.pk, balance__gte=amount, expired=False, expires_at__gt=now
    ).update(balance=F("balance") - amount)
    if not updated:
        card.refresh_from_db()
        raise ValidationFailed(
            _("This gift card has only %(balance)s left.") % {"balance": card.balance},
            code="gift_card_insufficient",
            extra={"balance": card.balance},
        )
    GiftCardMovement.objects.create(
        business=business,
        card=card,
        kind="redeemed",
        amount=-amount,
        checkout=checkout,
        created_at=now,
    )
    card.refresh_from_db()
    return card


def gift_card_restore(
    *, business, card_id: int, amount: int, now: datetime, checkout=None
) -> GiftCard:
    """Put a refunded amount back on the card (never above its initial value)."""
    updated = GiftCard.objects.filter(
        business=business, pk=card_id, balance__lte=F("initial_amount") - amount
    ).update(balance=F("balance") + amount)
    if not updated:
        raise ValidationFailed(
            _("This refund would put more on the gift card than it was sold for."),
            code="gift_card_overfilled",
        )
    card = GiftCard.objects.get(pk=card_id)
    GiftCardMovement.objects.create(
        business=business,
        card=card,
        kind="refunded",
        amount=amount,
        checkout=checkout,
        created_at=now,
    )
    return card


def gift_card_lookup(*, business, code: str) -> GiftCard:
    return _card(business, code)


def gift_cards_expire(*, business, now: datetime | None = None) -> int:
    """Expire cards past their date: the unspent balance leaves the liability
    and becomes breakage revenue. Idempotent (one ledger posting per card)."""
    now = now or timezone.now()
    count = 0
    for card_id in GiftCard.objects.filter(
        business=business, expired=False, expires_at__lte=now
    ).values_list("pk", flat=True):
        with transaction.atomic():
            card = GiftCard.objects.select_for_update().get(pk=card_id)
            if card.expired:
                continue
            left = card.balance
            GiftCard.objects.filter(pk=card.pk).update(expired=True, balance=0)
            if left:
                GiftCardMovement.objects.create(
                    business=business, card=card, kind="expired", amount=-left, created_at=now
                )
                ledger.post(
                    business=business,
                    kind="gift_card_expired",
                    memo=f"Gift card …{card.code[-4:]} expired",
                    lines=[
                        Line(accounts.GIFT_CARDS_OUTSTANDING, left, card.currency),
                        Line(accounts.GIFT_CARD_BREAKAGE, -left, card.currency),
                    ],
                    reference=f"gift_card:{card.pk}",
                    idempotency_key=f"gift_card_expired:{card.pk}",
                    occurred_at=now,
                )
            audit_log(
                action="finance.gift_card_expired",
                business=business,
                obj=card,
                data={"balance": left},
            )
            count += 1
    return count
