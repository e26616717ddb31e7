"""The assistant's API: the widget's conversation (start, send, read) for
anyone, the salon's inbox and settings for its team, and the messengers'
webhooks (plain views: their bodies are checked byte for byte).

Thin views over `assistant.services` and `assistant.selectors`."""

import json

from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from django_scopes import scopes_disabled
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from solibook.accounts.roles import Capability
from solibook.api.inputs import body
from solibook.api.pagination import Pagination, paginated
from solibook.api.scoping import BusinessScopedMixin
from solibook.assistant import messengers, selectors, services
from solibook.assistant.api.serializers import (
    AssistantConversationDetailOut,
    AssistantConversationOut,
    AssistantMessageOut,
    AssistantReplyOut,
    AssistantSayIn,
    AssistantSettingsIn,
    AssistantSettingsOut,
    AssistantStaffReplyIn,
    AssistantStartIn,
    AssistantStartOut,
)
from solibook.assistant.models import AssistantSettings, Channel, Conversation
from solibook.catalog.models import Business

TAGS = ["assistant"]


def _account(request):
    return request.user if request.user.is_authenticated else None


# --- the widget's conversation ----------------------------------------------------------


@extend_schema(tags=TAGS)
class ChatStartApi(APIView):
    permission_classes = [AllowAny]
    throttle_scope = "booking"

    @extend_schema(
        request=AssistantStartIn,
        responses={201: AssistantStartOut},
        summary="Start a conversation with a salon's assistant",
    )
    def post(self, request, slug: str):
        business = Business.objects.filter(slug=slug, is_listed=True).first()
        if business is None:
            raise Http404
        data = body(AssistantStartIn, request)
        conversation = services.conversation_start(
            business=business,
            channel=Channel.WEB,
            language=data.get("language"),
            account=_account(request),
        )
        return Response(
            AssistantStartOut(
                {"token": conversation.external_id, "language": conversation.language}
            ).data,
            status=status.HTTP_201_CREATED,
        )


def _by_token(request, token: str) -> Conversation:
    with scopes_disabled():
        found = (
            Conversation.objects.select_related("business")
            .filter(channel=Channel.WEB, external_id=token)
            .first()
            if 10 < len(token) <= 64
            else None
        )
    account = _account(request)
    if found is None or found.account_id not in (None, getattr(account, "pk", None)):
        raise Http404
    return found


@extend_schema(tags=TAGS)
class ChatMessagesApi(APIView):
    permission_classes = [AllowAny]
    throttle_scope = "booking"

    @extend_schema(responses=AssistantMessageOut(many=True), summary="The conversation so far")
    def get(self, request, token: str):
        conversation = _by_token(request, token)
        return Response(
            AssistantMessageOut(selectors.messages_after(conversation=conversation), many=True).data
        )

    @extend_schema(
        request=AssistantSayIn,
        responses=AssistantReplyOut(many=True),
        summary="Say something; the assistant's replies come back",
    )
    def post(self, request, token: str):
        conversation = _by_token(request, token)
        data = body(AssistantSayIn, request)
        replies = services.assistant_reply(
            conversation=conversation, text=data["text"], account=_account(request)
        )
        return Response(AssistantReplyOut([r.as_dict() for r in replies], many=True).data)


# --- the salon's inbox ------------------------------------------------------------------


class InboxApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_BOOKINGS


def _conversation(business, conversation_id: int) -> Conversation:
    found = Conversation.objects.filter(business=business, pk=conversation_id).first()
    if found is None:
        raise Http404
    return found


@extend_schema(tags=TAGS)
class ConversationListApi(InboxApi):
    pagination_class = Pagination

    @extend_schema(responses=AssistantConversationOut(many=True), summary="Conversations")
    def get(self, request, business_id: int):
        return paginated(
            self, selectors.conversations(business=self.business), AssistantConversationOut
        )


@extend_schema(tags=TAGS)
class ConversationDetailApi(InboxApi):
    @extend_schema(responses=AssistantConversationDetailOut, summary="A conversation's transcript")
    def get(self, request, business_id: int, conversation_id: int):
        conversation = _conversation(self.business, conversation_id)
        data = dict(AssistantConversationOut(conversation).data)
        data["messages"] = AssistantMessageOut(
            selectors.messages_after(conversation=conversation), many=True
        ).data
        return Response(data)


@extend_schema(tags=TAGS)
class ConversationTakeOverApi(InboxApi):
    @extend_schema(
        request=None,
        responses=AssistantConversationOut,
        summary="Take a conversation over (the assistant stops answering it)",
    )
    def post(self, request, business_id: int, conversation_id: int):
        return Response(
            AssistantConversationOut(
                services.conversation_take_over(
                    business=self.business, conversation_id=conversation_id, actor=request.user
                )
            ).data
        )


@extend_schema(tags=TAGS)
class ConversationReleaseApi(InboxApi):
    @extend_schema(
        request=None, responses=AssistantConversationOut, summary="Give it back to the assistant"
    )
    def post(self, request, business_id: int, conversation_id: int):
        return Response(
            AssistantConversationOut(
                services.conversation_release(
                    business=self.business, conversation_id=conversation_id, actor=request.user
                )
            ).data
        )


@extend_schema(tags=TAGS)
class ConversationReplyApi(InboxApi):
    @extend_schema(
        request=AssistantStaffReplyIn,
        responses={201: AssistantMessageOut},
        summary="Answer the client on their channel (takes the conversation over)",
    )
    def post(self, request, business_id: int, conversation_id: int):
        data = body(AssistantStaffReplyIn, request)
        message = services.staff_reply(
            business=self.business,
            conversation_id=conversation_id,
            actor=request.user,
            text=data["text"],
        )
        return Response(AssistantMessageOut(message).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=TAGS)
class AssistantSettingsApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_BUSINESS

    @extend_schema(responses=AssistantSettingsOut, summary="The assistant's settings")
    def get(self, request, business_id: int):
        return Response(AssistantSettingsOut(services.settings_for(business=self.business)).data)

    @extend_schema(
        request=AssistantSettingsIn,
        responses=AssistantSettingsOut,
        summary="Switch the assistant on or off, connect messengers (secrets write-only)",
    )
    def put(self, request, business_id: int):
        data = body(AssistantSettingsIn, request)
        return Response(
            AssistantSettingsOut(
                services.assistant_settings_update(
                    business=self.business, actor=request.user, **data
                )
            ).data
        )


# --- messenger webhooks -----------------------------------------------------------------


def _settings_by_key(key: str) -> AssistantSettings:
    with scopes_disabled():
        found = (
            AssistantSettings.objects.select_related("business").filter(webhook_key=key).first()
            if 10 < len(key) <= 40
            else None
        )
    if found is None:
        raise Http404
    return found


@csrf_exempt
@require_http_methods(["POST"])
def telegram_hook(request, key: str):
    found = _settings_by_key(key)
    if not telegram_secret_ok(found, request):
        return HttpResponse(status=401)
    try:
        update = json.loads(request.body or b"{}")
    except ValueError:
        return HttpResponse(status=400)
    if isinstance(update, dict):
        services.telegram_update(business=found.business, update=update)
    # Telegram retries anything but 200: an update we cannot use is still taken.
    return JsonResponse({"ok": True})


def telegram_secret_ok(found: AssistantSettings, request) -> bool:
    return found.telegram_connected and messengers.telegram_secret_ok(
        secret=found.telegram_secret_token,
        header=request.headers.get("X-Telegram-Bot-Api-Secret-Token", ""),
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def whatsapp_hook(request, key: str):
    found = _settings_by_key(key)
    if request.method == "GET":
        # Meta's subscription handshake: echo the challenge for our verify token.
        if (
            request.GET.get("hub.mode") == "subscribe"
            and found.whatsapp_verify_token
            and messengers.telegram_secret_ok(
                secret=found.whatsapp_verify_token, header=request.GET.get("hub.verify_token", "")
            )
        ):
            return HttpResponse(
                request.GET.get("hub.challenge", "")[:100], content_type="text/plain"
            )
        return HttpResponse(status=403)
    if not messengers.whatsapp_signature_ok(
        app_secret=found.whatsapp_app_secret,
        body=request.body,
        header=request.headers.get("X-Hub-Signature-256", ""),
    ):
        return HttpResponse(status=401)
    try:
        payload = json.loads(request.body or b"{}")
    except ValueError:
        return HttpResponse(status=400)
    if isinstance(payload, dict):
        services.whatsapp_update(business=found.business, payload=payload)
    return JsonResponse({"ok": True})
