"""The chat widget on a salon's pages: server-rendered fragments for htmx.

The conversation lives in the visitor's session (one per salon); a signed-in
client talks as their account, so the assistant can book for them. The
fragments are the only thing the widget's script swaps in (no inline
script: CSP)."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from solibook.assistant import selectors, services
from solibook.assistant.models import Channel, Conversation
from solibook.catalog.models import Business
from solibook.core.ids import is_db_id
from solibook.core.refusals import refusals
from solibook.core.tenancy import business_scope

SESSION_KEY = "assistant:{business_id}"


def _business(slug: str) -> Business:
    business = Business.objects.filter(slug=slug, is_listed=True).first()
    if business is None:
        raise Http404
    return business


def _conversation(request, business: Business, *, create: bool) -> Conversation | None:
    key = SESSION_KEY.format(business_id=business.pk)
    conversation_id = request.session.get(key)
    account = request.user if request.user.is_authenticated else None
    if conversation_id and is_db_id(conversation_id):
        with business_scope(business):
            found = Conversation.objects.filter(
                business=business, pk=conversation_id, channel=Channel.WEB
            ).first()
        # A conversation started signed in stays that account's.
        if found is not None and found.account_id in (None, getattr(account, "pk", None)):
            return found
    if not create:
        return None
    conversation = services.conversation_start(
        business=business, channel=Channel.WEB, account=account
    )
    request.session[key] = conversation.pk
    return conversation


@require_GET
def panel(request, slug: str):
    business = _business(slug)
    conversation = _conversation(request, business, create=False)
    messages = selectors.messages_after(conversation=conversation) if conversation else []
    return render(
        request,
        "assistant/public/panel.html",
        {"business": business, "messages": messages, "enabled": selectors.enabled(business)},
    )


@require_POST
def send(request, slug: str):
    business = _business(slug)
    text = (request.POST.get("text") or "").strip()
    if not text:
        return HttpResponse(status=204)
    conversation = _conversation(request, business, create=True)
    assert conversation is not None
    last = selectors.last_message_id(conversation=conversation)
    # A refusal is shown in the chat, not as an error page.
    with refusals() as refused:
        services.assistant_reply(
            conversation=conversation,
            text=text,
            account=request.user if request.user.is_authenticated else None,
        )
    error = refused.message
    return render(
        request,
        "assistant/public/messages.html",
        {
            "business": business,
            "messages": selectors.messages_after(conversation=conversation, after=last),
            "error": error,
        },
    )


@require_GET
def poll(request, slug: str):
    """Lines written since `after` (staff answers after a take-over)."""
    business = _business(slug)
    conversation = _conversation(request, business, create=False)
    after = request.GET.get("after", "")
    if conversation is None or not is_db_id(after):
        return HttpResponse(status=204)
    messages = selectors.messages_after(conversation=conversation, after=int(after))
    if not messages:
        return HttpResponse(status=204)
    return render(
        request, "assistant/public/messages.html", {"business": business, "messages": messages}
    )
