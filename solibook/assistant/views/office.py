"""The salon's conversation inbox: the assistant's conversations, their
transcripts, taking one over (the assistant stops; staff answer on the same
channel) and the assistant's settings. Front desk and managers
(`manage_bookings`); settings and messenger tokens: `manage_business`."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solibook.accounts.access import backoffice_view
from solibook.accounts.roles import Capability
from solibook.assistant import selectors, services
from solibook.assistant.forms import ReplyForm, SettingsForm
from solibook.assistant.models import Conversation, Mode
from solibook.core.refusals import refusals

INBOX = Capability.MANAGE_BOOKINGS
SETTINGS = Capability.MANAGE_BUSINESS


@backoffice_view(INBOX)
def conversation_list(request):
    mode = request.GET.get("mode", "")
    if mode not in Mode.values:
        mode = ""
    return render(
        request,
        "assistant/office/conversation_list.html",
        {
            "conversations": selectors.conversations(business=request.business, mode=mode)[:200],
            "mode": mode,
            "modes": Mode.choices,
            "enabled": selectors.enabled(request.business),
        },
    )


def _conversation(request, conversation_id: int) -> Conversation:
    found = Conversation.objects.filter(business=request.business, pk=conversation_id).first()
    if found is None:
        raise Http404
    return found


@backoffice_view(INBOX)
def conversation_detail(request, conversation_id: int):
    conversation = _conversation(request, conversation_id)
    form = ReplyForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        with refusals(form) as refused:
            services.staff_reply(
                business=request.business,
                conversation_id=conversation.pk,
                actor=request.user,
                text=form.cleaned_data["text"],
            )
        if not refused:
            messages.success(request, _("Answer sent."))
            return redirect(
                "assistant:conversation_detail",
                business_slug=request.business.slug,
                conversation_id=conversation.pk,
            )
        status = refused.status
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "assistant/office/conversation_detail.html",
        {
            "conversation": conversation,
            "lines": selectors.messages_after(conversation=conversation),
            "form": form,
        },
        status=status,
    )


@require_POST
@backoffice_view(INBOX)
def conversation_take_over(request, conversation_id: int):
    with refusals(request=request, not_found_404=True) as refused:
        services.conversation_take_over(
            business=request.business, conversation_id=conversation_id, actor=request.user
        )
    if not refused:
        messages.success(request, _("You answer this conversation now; the assistant is silent."))
    return redirect(
        "assistant:conversation_detail",
        business_slug=request.business.slug,
        conversation_id=conversation_id,
    )


@require_POST
@backoffice_view(INBOX)
def conversation_release(request, conversation_id: int):
    with refusals(request=request, not_found_404=True) as refused:
        services.conversation_release(
            business=request.business, conversation_id=conversation_id, actor=request.user
        )
    if not refused:
        messages.success(request, _("The assistant answers this conversation again."))
    return redirect(
        "assistant:conversation_detail",
        business_slug=request.business.slug,
        conversation_id=conversation_id,
    )


@backoffice_view(SETTINGS)
def assistant_settings(request):
    current = services.settings_for(business=request.business)
    form = SettingsForm(
        request.POST or None,
        initial={
            "enabled": current.enabled,
            "whatsapp_phone_number_id": current.whatsapp_phone_number_id,
        },
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        with refusals(form) as refused:
            current = services.assistant_settings_update(
                business=request.business, actor=request.user, **form.cleaned_data
            )
        if not refused:
            messages.success(request, _("Settings saved."))
            return redirect("assistant:settings", business_slug=request.business.slug)
        status = refused.status
    elif request.method == "POST":
        status = 400
    hooks = {
        "telegram": request.build_absolute_uri(
            reverse("assistant_api:telegram_hook", args=[current.webhook_key])
        ),
        "whatsapp": request.build_absolute_uri(
            reverse("assistant_api:whatsapp_hook", args=[current.webhook_key])
        ),
    }
    return render(
        request,
        "assistant/office/settings.html",
        {"form": form, "current": current, "hooks": hooks},
        status=status,
    )
