"""Gift cards: sold at checkout, redeemed (partially) as a tender, reissued
when lost, expired by a task.

The code is 16 characters from an alphabet without look-alikes (80 random
bits), grouped by four for reading. It is never stored: the card keeps its
SHA-256 (`code_digest`) and its last four characters. The full code exists
only when a card is issued (`gift_card_issue`, `gift_card_reissue` return it
on the card as `card.code`): the seller reads it on the sale page, prints it
on the gift-card PDF and sends it to the recipient (`gift_card_send`); lists,
receipts and the API show `card.masked`.

A card's `balance` changes only through conditional updates
(`balance >= amount`) under a CHECK constraint (0 <= balance <= initial):
two checkouts spending one card at once cannot both succeed, whatever the
isolation level. Each change also writes a `GiftCardMovement` and the ledger
(`gift_cards_outstanding`).
"""

import hashlib
import logging
import secrets
import uuid
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from solibook.core.audit import audit_log
from solibook.core.errors import NotFound, ValidationFailed
from solibook.core.money import format_money
from solibook.core.signals import sms_sent
from solibook.finance import accounts, ledger
from solibook.finance.ledger import Line
from solibook.finance.models import GiftCard, GiftCardMovement

log = logging.getLogger("solibook.finance")

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
CODE_LENGTH = 16
DEFAULT_VALIDITY = timedelta(days=365)


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise(code: str) -> str:
    """What a person typed, as the code is written: upper case, groups of four
    (spaces, dashes and lower case are forgiven)."""
    raw = "".join(ch for ch in str(code).upper() if ch.isalnum())
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def code_digest(code: str) -> str:
    return hashlib.sha256(normalise(code).encode()).hexdigest()


def _money(amount: int, currency: str) -> str:
    return format_money(amount, currency, translation.get_language() or "en")


def remember_issued(checkout, card: GiftCard, code: str) -> None:
    """The codes a checkout issued, on the checkout object (never saved): the
    sale page shows them to the seller once (`issued_codes`)."""
    if checkout is not None:
        checkout.__dict__.setdefault("issued_gift_codes", []).append((card.pk, code))


def issued_codes(checkout) -> list[tuple[int, str]]:
    return list(checkout.__dict__.get("issued_gift_codes", []))


def _create_card(*, business, amount: int, balance: int, currency: str, expires_at, now, **more):
    for _attempt in range(5):
        code = new_code()
        digest = code_digest(code)
        if not GiftCard.objects.filter(code_digest=digest).exists():
            break
    card = GiftCard.objects.create(
        business=business,
        code_digest=digest,
        code_last4=code.replace("-", "")[-4:],
        initial_amount=amount,
        balance=balance,
        currency=currency,
        expires_at=expires_at,
        created_at=now,
        **more,
    )
    card.code = code  # the full code, on this object only
    return card


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
    """A new card (its ledger credit is posted by the sale that sells it).
    The returned card carries its full code as `card.code`, once."""
    card = _create_card(
        business=business,
        amount=amount,
        balance=amount,
        currency=currency,
        expires_at=now + validity,
        now=now,
        purchaser=purchaser,
        recipient_name=recipient_name[:150],
        sold_in=checkout,
    )
    GiftCardMovement.objects.create(
        business=business, card=card, kind="sold", amount=amount, checkout=checkout, created_at=now
    )
    remember_issued(checkout, card, card.code)
    return card


def _unknown() -> NotFound:
    message = _("No gift card with this code.")
    return NotFound(message, code="gift_card_unknown", fields={"code": [message]})


def _card(business, code: str) -> GiftCard:
    card = GiftCard.objects.filter(business=business, code_digest=code_digest(code)).first()
    if card is None:
        raise _unknown()
    return card


def _refuse_voided(card: GiftCard) -> None:
    if card.voided_at is not None:
        message = _("This gift card's code was replaced by a new one; use the new code.")
        raise ValidationFailed(message, code="gift_card_voided", fields={"code": [message]})


def _insufficient(card: GiftCard) -> ValidationFailed:
    message = _("This gift card has only %(balance)s left.") % {
        "balance": _money(card.balance, card.currency)
    }
    return ValidationFailed(
        message,
        code="gift_card_insufficient",
        fields={"code": [message]},
        extra={"balance": card.balance},
    )


def gift_card_check(*, business, code: str, amount: int, currency: str, now: datetime) -> GiftCard:
    card = _card(business, code)
    _refuse_voided(card)
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
        raise _insufficient(card)
    return card


def gift_card_spend(
    *, business, code: str, amount: int, currency: str, now: datetime, checkout=None
) -> GiftCard:
    """Take `amount` off the card or refuse: one conditional UPDATE decides
    between two concurrent spends (the second finds the balance too low)."""
    card = gift_card_check(business=business, code=code, amount=amount, currency=currency, now=now)
    updated = GiftCard.objects.filter(
        pk=card.pk,
        balance__gte=amount,
        expired=False,
        voided_at__isnull=True,
        expires_at__gt=now,
    ).update(balance=F("balance") - amount)
    if not updated:
        card.refresh_from_db()
        _refuse_voided(card)
        raise _insufficient(card)
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


def _live(business, card_id: int) -> int:
    """A reissued card's refunds go to the card that replaced it."""
    seen = set()
    while card_id not in seen:
        seen.add(card_id)
        following = (
            GiftCard.objects.filter(business=business, pk=card_id)
            .values_list("replaced_by_id", flat=True)
            .first()
        )
        if not following:
            return card_id
        card_id = following
    return card_id


def gift_card_restore(
    *, business, card_id: int, amount: int, now: datetime, checkout=None
) -> GiftCard:
    """Put a refunded amount back on the card (never above its initial value)."""
    card_id = _live(business, card_id)
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
    """The till's lookup: the card with this code in this salon (a voided
    card is found, to say it was replaced)."""
    return _card(business, code)


def gift_card_balance(*, code: str) -> GiftCard:
    """The holder's check on the public page: any salon's card by its code
    (the code is the secret; the page is rate-limited). A voided card is
    unknown here: its holder no longer holds anything."""
    normalised = normalise(code)
    if len(normalised.replace("-", "")) != CODE_LENGTH:
        raise _unknown()
    with scopes_disabled():
        card = (
            GiftCard.objects.select_related("business")
            .filter(code_digest=code_digest(normalised), voided_at__isnull=True)
            .first()
        )
    if card is None:
        raise _unknown()
    return card


def gift_card_reissue(*, business, card_id: int, actor=None, now: datetime | None = None):
    """A lost or leaked code: the card is voided and its balance moves to a new
    card with a new code (returned on the card as `card.code`, once). The
    liability is unchanged, so the ledger has nothing to post; both movements
    and the audit log say what happened."""
    now = now or timezone.now()
    with transaction.atomic():
        old = GiftCard.objects.select_for_update().filter(business=business, pk=card_id).first()
        if old is None:
            raise NotFound(_("No such gift card."), code="gift_card_unknown")
        _refuse_voided(old)
        if old.expired or old.expires_at <= now:
            raise ValidationFailed(
                _("This gift card has expired; there is nothing to move."),
                code="gift_card_expired",
            )
        new = _create_card(
            business=business,
            amount=old.initial_amount,
            balance=old.balance,
            currency=old.currency,
            expires_at=old.expires_at,
            now=now,
            purchaser=old.purchaser,
            recipient_name=old.recipient_name,
            sold_in=old.sold_in,
        )
        moved = old.balance
        GiftCard.objects.filter(pk=old.pk).update(balance=0, voided_at=now, replaced_by=new)
        GiftCardMovement.objects.create(
            business=business, card=old, kind="reissued", amount=-moved, created_at=now
        )
        GiftCardMovement.objects.create(
            business=business, card=new, kind="reissued", amount=moved, created_at=now
        )
        audit_log(
            action="finance.gift_card_reissued",
            actor=actor,
            business=business,
            obj=new,
            data={"voided": old.pk, "voided_last4": old.code_last4, "balance": moved},
        )
    return new


def check_code(card: GiftCard, code: str) -> None:
    """The code the seller holds is this card's (the PDF and the message are
    made only with the real code, which the server does not keep)."""
    if not code or not secrets.compare_digest(code_digest(code), card.code_digest):
        raise ValidationFailed(
            _("The full code of this card is no longer shown: reissue the card to get a new one."),
            code="gift_card_code_gone",
        )


def gift_card_message(card: GiftCard, code: str, *, language: str, note: str = "") -> dict:
    """The recipient's message (subject, text) in their language."""
    business = card.business
    with translation.override(language):
        subject = _("A gift card for you at %(salon)s") % {"salon": business.name}
        lines = [
            _("You have a gift card of %(amount)s at %(salon)s.")
            % {"amount": _money(card.balance, card.currency), "salon": business.name},
            _("Your code: %(code)s") % {"code": code},
            _("Valid until %(date)s. Give the code at the till to pay with it.")
            % {"date": card.expires_at.date().isoformat()},
        ]
        if note:
            lines.insert(0, note[:500])
        return {"subject": subject, "text": "\n\n".join(lines), "language": language}


def gift_card_send(
    *,
    business,
    card_id: int,
    code: str,
    channel: str,
    to: str,
    language: str,
    note: str = "",
    actor=None,
) -> GiftCard:
    """Send the card to its recipient by e-mail (with the PDF) or SMS, through
    the notifications' providers (the demo profile's inbox in the demo). Only
    with the card's real code; a voided card is refused."""
    from solibook.finance.giftcard_pdf import gift_card_pdf
    from solibook.notifications.providers import (
        OutgoingMessage,
        PermanentFailure,
        check_email,
        check_phone,
        provider_for,
    )

    card = GiftCard.objects.select_related("business").filter(business=business, pk=card_id).first()
    if card is None:
        raise NotFound(_("No such gift card."), code="gift_card_unknown")
    _refuse_voided(card)
    check_code(card, code)
    to = (to or "").strip()
    try:
        if channel == "email":
            check_email(to)
        elif channel == "sms":
            to = check_phone(to)
        else:
            raise PermanentFailure(channel)
    except PermanentFailure:
        message = (
            _("Enter a valid e-mail address.")
            if channel == "email"
            else _("Enter a valid phone number, with its country code.")
        )
        raise ValidationFailed(
            message, code="gift_card_address", fields={"to": [message]}
        ) from None
    content = gift_card_message(card, normalise(code), language=language, note=note)
    outgoing = OutgoingMessage(
        channel=channel,
        to=to,
        subject=content["subject"],
        text=content["text"],
        from_name=business.name,
        language=language,
    )
    if channel == "email":
        outgoing.attachments.append(
            (
                f"gift-card-{card.code_last4}.pdf",
                gift_card_pdf(card, normalise(code), language=language),
                "application/pdf",
            )
        )
    try:
        provider_for(channel).send(outgoing)
    except Exception as exc:  # the seller may try again; never a 500 for a provider's trouble
        log.warning("gift card %s not sent: %s", card.pk, type(exc).__name__)
        raise ValidationFailed(
            _("The message could not be sent. Check the address and try again."),
            code="gift_card_not_sent",
        ) from exc
    if channel == "sms":
        # Sent by the salon's staff, so it counts against the salon's SMS credits
        # like the dispatcher's messages (billing hears the signal); each send is
        # its own message, hence its own source.
        sms_sent.send(
            sender=GiftCard,
            business=business,
            source=f"gift_card:{card.pk}:{uuid.uuid4().hex}",
            sent_at=timezone.now(),
        )
    audit_log(
        action="finance.gift_card_sent",
        actor=actor,
        business=business,
        obj=card,
        data={"channel": channel, "last4": card.code_last4},
    )
    return card


def gift_cards_expire(*, business, now: datetime | None = None) -> int:
    """Expire cards past their date: the unspent balance leaves the liability
    and becomes breakage revenue. Idempotent (one ledger posting per card)."""
    now = now or timezone.now()
    count = 0
    for card_id in GiftCard.objects.filter(
        business=business, expired=False, voided_at__isnull=True, expires_at__lte=now
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
                    memo=f"Gift card …{card.code_last4} expired",
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
