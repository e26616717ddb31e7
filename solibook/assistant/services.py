"""The virtual consultant's writes: the one path every channel and the evaluation use.

Driving a conversation turn by turn (the widget, the messenger webhooks, the
API and `solibook.assistant.evaluation` all call these two):

    conversation = conversation_start(business=salon, channel="web", language="ru",
                                      account=user_or_None, external_id=None)
    replies = assistant_reply(conversation=conversation, text="Запишите на маникюр завтра",
                              account=user_or_None, now=aware_datetime_or_None)
    # -> list[Reply]; each has .text, .choices [{"label", "value"}] and .link

A choice's `value` is what the client sends back to pick it ("slot:0", "yes",
"visit:12"); typing the time or "yes"/"да"/"نعم" works too. Nothing is booked,
moved or cancelled before the client confirms a summary; a guest (no account)
then gives a phone and types the SMS code the wizard's service sent
(`clientarea.services.draft_send_code`; the demo inbox shows it). Bookings go
through `clientarea.services.booking_hold` / `draft_confirm` with
`source="assistant"`, moves and cancellations through `visit_reschedule` /
`visit_cancel` (signed in) or `manage_reschedule` / `manage_cancel` (a guest
who proved their phone with `phone_code_send`'s code): the same services as
the pages.

`assistant_reply` returns [] when the salon switched the assistant off or
staff took the conversation over (the message is kept for staff). It writes
the client's message, the state and the replies in one transaction; the
booking services run their own transactions inside it.

Back office: `conversation_take_over`, `conversation_release`,
`staff_reply` (sent on the conversation's channel), `assistant_settings_update`.
Messengers: `telegram_update`, `whatsapp_update` (each update processed once).
"""

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from solibook.assistant import llm, messengers
from solibook.assistant.dialogue import Reply, run_turn
from solibook.assistant.models import (
    AssistantSettings,
    Author,
    Channel,
    Conversation,
    Message,
    Mode,
    ProcessedUpdate,
)
from solibook.core.audit import audit_log
from solibook.core.errors import DomainError, NotFound, refuse
from solibook.core.tenancy import business_scope
from solibook.support import services as support

log = logging.getLogger("solibook.assistant")

__all__ = [
    "Reply",
    "assistant_reply",
    "assistant_settings_update",
    "conversation_release",
    "conversation_start",
    "conversation_take_over",
    "settings_for",
    "staff_reply",
    "telegram_update",
    "whatsapp_update",
]

LANGUAGES = ("en", "fr", "ru", "ar")


def settings_for(*, business) -> AssistantSettings:
    """The salon's assistant settings, created on first use (on by default)."""
    with business_scope(business):
        found = AssistantSettings.objects.filter(business=business).first()
        if found is not None:
            return found
        try:
            with transaction.atomic():
                return AssistantSettings.objects.create(
                    business=business,
                    webhook_key=secrets.token_urlsafe(24),
                    telegram_secret_token=secrets.token_urlsafe(32),
                    whatsapp_verify_token=secrets.token_urlsafe(24),
                )
        except IntegrityError:  # created by a concurrent first use
            return AssistantSettings.objects.get(business=business)


def conversation_start(
    *,
    business,
    channel: str = Channel.WEB,
    language: str | None = None,
    account=None,
    external_id: str | None = None,
) -> Conversation:
    """A new conversation (web: a fresh secret id), or the channel's existing
    one for that chat (messengers pass the chat or phone as `external_id`)."""
    if channel not in Channel.values:
        refuse(_("Unknown channel."), "channel")
    language = (language or translation.get_language() or "en")[:2]
    if language not in LANGUAGES:
        language = "en"
    account = account if account is not None and account.is_authenticated else None
    with business_scope(business), transaction.atomic():
        if external_id:
            found = Conversation.objects.filter(
                business=business, channel=channel, external_id=external_id
            ).first()
            if found is not None:
                return found
        return Conversation.objects.create(
            business=business,
            channel=channel,
            external_id=external_id or secrets.token_urlsafe(24),
            account=account,
            language=language,
            mode=Mode.ASSISTANT,
        )


def _add(conversation: Conversation, author: str, text: str, **fields) -> Message:
    return Message.objects.create(
        business=conversation.business,
        conversation=conversation,
        author=author,
        text=text,
        **fields,
    )


def assistant_reply(
    *, conversation: Conversation, text: str, account=None, now: datetime | None = None
) -> list[Reply]:
    """One client message in; the assistant's replies out (see the module's docstring)."""
    now = now or timezone.now()
    text = (text or "").strip()[:1000]
    if not text:
        refuse(_("Write a message."), "text")
    business = conversation.business
    settings = settings_for(business=business)
    account = account if account is not None and account.is_authenticated else None
    with business_scope(business), transaction.atomic():
        conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
        if account is not None and conversation.account_id is None:
            conversation.account = account
        elif conversation.account_id is not None and (
            account is None or account.pk != conversation.account_id
        ):
            # A conversation belongs to its account: no one else acts in it.
            raise NotFound(_("No such conversation."))
        said = _add(conversation, Author.CLIENT, text)
        conversation.last_message_at = now
        replies: list[Reply] = []
        handover = False
        if conversation.mode == Mode.ASSISTANT and not settings.enabled:
            handover = True
            with translation.override(conversation.language):
                replies = [
                    Reply(
                        text=_("The salon's team will answer you here as soon as possible."),
                        intent="handover",
                    )
                ]
        elif conversation.mode == Mode.ASSISTANT:
            outcome = run_turn(conversation=conversation, text=text, account=account, now=now)
            review = llm.review(
                language=conversation.language, client_text=text, replies=outcome.replies
            )
            replies = review.replies
            handover = outcome.handover or review.handover
            if outcome.reading is not None:
                said.intent = outcome.reading.intent[:24]
                said.save(update_fields=["intent"])
        for reply in replies:
            _add(
                conversation,
                Author.ASSISTANT,
                reply.text,
                intent=reply.intent[:24],
                choices=reply.choices,
                link=reply.link,
            )
        if handover:
            conversation.mode = Mode.HANDOVER
            transaction.on_commit(lambda: _open_ticket(conversation.pk, business))
        conversation.save()
    return replies


def _open_ticket(conversation_id: int, business) -> None:
    """A support-desk ticket with the transcript attached, for a client whose
    account gives the desk an address to answer; the salon's inbox has the
    conversation either way."""
    with business_scope(business):
        conversation = (
            Conversation.objects.select_related("account").filter(pk=conversation_id).first()
        )
        if conversation is None or conversation.account is None or conversation.ticket_id:
            return
        lines = list(conversation.messages.order_by("id"))
    account = conversation.account
    try:
        ticket = support.ticket_open(
            subject=_("Assistant hand-over: %(conversation)s") % {"conversation": conversation},
            body="\n".join(f"{m.get_author_display()}: {m.text}" for m in lines[-20:]),
            requester_email=account.email,
            requester_account=account,
            business=business,
            source="assistant",
            transcript=[{"role": m.author, "text": m.text} for m in lines],
            language=conversation.language,
        )
    except DomainError:  # the desk's refusal never loses the salon's hand-over
        log.exception("support ticket not opened for conversation %s", conversation_id)
        return
    with business_scope(business):
        Conversation.objects.filter(pk=conversation_id).update(ticket_id=ticket.pk)


# --- the back office ------------------------------------------------------------------


def _conversation(business, conversation_id: int) -> Conversation:
    conversation = (
        Conversation.objects.select_for_update()
        .filter(business=business, pk=conversation_id)
        .first()
    )
    if conversation is None:
        raise NotFound(_("No such conversation."))
    return conversation


def conversation_take_over(*, business, conversation_id: int, actor) -> Conversation:
    """Staff answer from now on; the assistant stays silent in this conversation."""
    with business_scope(business), transaction.atomic():
        conversation = _conversation(business, conversation_id)
        conversation.mode = Mode.STAFF
        conversation.taken_over_by = actor
        conversation.save(update_fields=["mode", "taken_over_by"])
        audit_log(action="assistant.take_over", actor=actor, business=business, obj=conversation)
    return conversation


def conversation_release(*, business, conversation_id: int, actor) -> Conversation:
    """Give the conversation back to the assistant."""
    with business_scope(business), transaction.atomic():
        conversation = _conversation(business, conversation_id)
        conversation.mode = Mode.ASSISTANT
        conversation.taken_over_by = None
        conversation.state = {}
        conversation.save(update_fields=["mode", "taken_over_by", "state"])
        audit_log(action="assistant.release", actor=actor, business=business, obj=conversation)
    return conversation


def staff_reply(*, business, conversation_id: int, actor, text: str) -> Message:
    """A staff member answers; it goes out on the conversation's channel (the
    widget reads it; a messenger gets it through its API after commit).
    Answering takes the conversation over."""
    text = (text or "").strip()
    if not text:
        refuse(_("Write a message."), "text")
    if len(text) > 2000:
        refuse(_("Keep the message under 2,000 characters."), "text")
    with business_scope(business), transaction.atomic():
        conversation = _conversation(business, conversation_id)
        if conversation.mode != Mode.STAFF:
            conversation.mode = Mode.STAFF
            conversation.taken_over_by = actor
        conversation.last_message_at = timezone.now()
        conversation.save(update_fields=["mode", "taken_over_by", "last_message_at"])
        message = _add(conversation, Author.STAFF, text, staff=actor)
        audit_log(action="assistant.staff_reply", actor=actor, business=business, obj=conversation)
        if conversation.channel != Channel.WEB:
            transaction.on_commit(
                lambda: messengers.send(conversation=conversation, replies=[Reply(text=text)])
            )
    return message


SECRET_FIELDS = (
    "whatsapp_access_token",
    "whatsapp_app_secret",
    "whatsapp_verify_token",
    "telegram_bot_token",
)


def assistant_settings_update(*, business, actor, **changes) -> AssistantSettings:
    """Switch the assistant on or off and connect messengers. A secret left
    empty keeps the one saved (they are never shown back)."""
    allowed = {"enabled", "whatsapp_phone_number_id", *SECRET_FIELDS}
    unknown = set(changes) - allowed
    if unknown:
        refuse(_("Unknown setting."), sorted(unknown)[0])
    current = settings_for(business=business)
    with business_scope(business), transaction.atomic():
        found = AssistantSettings.objects.select_for_update().get(pk=current.pk)
        changed = []
        for name, value in changes.items():
            if name == "enabled":
                found.enabled = bool(value)
            else:
                value = (value or "").strip()
                if name in SECRET_FIELDS and not value:
                    continue
                if len(value) > 500 or any(c.isspace() for c in value):
                    refuse(_("Paste the value exactly as the messenger gave it."), name)
                setattr(found, name, value)
            changed.append(name)
        found.save()
        audit_log(
            action="assistant.settings",
            actor=actor,
            business=business,
            obj=found,
            data={"changed": sorted(changed)},
        )
    return found


# --- messengers ----------------------------------------------------------------------


@dataclass(frozen=True)
class Incoming:
    update_id: str
    chat_id: str
    text: str
    language: str | None


def _process_once(*, business, channel: str, incoming: Incoming) -> list[Reply] | None:
    """The update's effect and its id in one transaction: a replay is skipped."""
    try:
        with business_scope(business), transaction.atomic():
            ProcessedUpdate.objects.create(
                business=business, channel=channel, update_id=incoming.update_id
            )
            conversation = conversation_start(
                business=business,
                channel=channel,
                language=incoming.language,
                external_id=incoming.chat_id,
            )
            if not incoming.text:
                return []
            return assistant_reply(conversation=conversation, text=incoming.text)
    except IntegrityError:
        return None


def telegram_update(*, business, update: dict) -> list[Reply] | None:
    """One Telegram update (a text message); replies go out by sendMessage.
    None when it was already processed."""
    message = update.get("message") or update.get("edited_message") or {}
    chat = message.get("chat") or {}
    if "update_id" not in update or "id" not in chat:
        return []
    incoming = Incoming(
        update_id=str(update["update_id"]),
        chat_id=str(chat["id"]),
        text=str(message.get("text") or "")[:1000],
        language=((message.get("from") or {}).get("language_code") or "")[:2] or None,
    )
    replies = _process_once(business=business, channel=Channel.TELEGRAM, incoming=incoming)
    if replies:
        with business_scope(business):
            conversation = Conversation.objects.get(
                business=business, channel=Channel.TELEGRAM, external_id=incoming.chat_id
            )
        messengers.send(conversation=conversation, replies=replies)
    return replies


def whatsapp_update(*, business, payload: dict) -> int:
    """A WhatsApp Cloud API notification: every text message in it, once each.
    Returns how many messages were processed now."""
    processed = 0
    for entry in payload.get("entry") or []:
        for change in entry.get("changes") or []:
            value = change.get("value") or {}
            for message in value.get("messages") or []:
                if not message.get("id") or not message.get("from"):
                    continue
                incoming = Incoming(
                    update_id=str(message["id"])[:128],
                    chat_id=str(message["from"])[:64],
                    text=str((message.get("text") or {}).get("body") or "")[:1000],
                    language=None,
                )
                replies = _process_once(
                    business=business, channel=Channel.WHATSAPP, incoming=incoming
                )
                if replies is None:
                    continue
                processed += 1
                if replies:
                    with business_scope(business):
                        conversation = Conversation.objects.get(
                            business=business,
                            channel=Channel.WHATSAPP,
                            external_id=incoming.chat_id,
                        )
                    messengers.send(conversation=conversation, replies=replies)
    return processed
