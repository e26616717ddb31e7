"""Notifications API: thin views over notifications.services / selectors."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from solibook.accounts.roles import Capability
from solibook.api.inputs import body, query_params
from solibook.api.pagination import Pagination, paginated
from solibook.api.scoping import BusinessScopedMixin
from solibook.notifications import push, selectors, services
from solibook.notifications.api.serializers import (
    NotificationOut,
    NotificationQuery,
    PreferencesIn,
    PreferencesOut,
    PreviewOut,
    PushEndpointQuery,
    PushKeyOut,
    PushSubscriptionIn,
    PushSubscriptionOut,
    SalonSettingsIn,
    SalonSettingsOut,
    TemplateIn,
    TemplateKeyQuery,
    TemplateOut,
    TemplateQuery,
)
from solibook.notifications.models import Notification


@extend_schema(tags=["notifications"])
class SalonSettingsApi(BusinessScopedMixin, APIView):
    """When reminders go out and on which channels."""

    capability = Capability.MANAGE_BUSINESS

    @extend_schema(responses=SalonSettingsOut, summary="The salon's reminder offsets and channels")
    def get(self, request, business_id: int):
        minutes, channels = selectors.current_settings(self.business)
        return Response(SalonSettingsOut({"reminder_minutes": minutes, "channels": channels}).data)

    @extend_schema(
        request=SalonSettingsIn,
        responses=SalonSettingsOut,
        summary="Set the salon's reminder offsets and channels",
    )
    def put(self, request, business_id: int):
        data = body(SalonSettingsIn, request)
        row = services.notification_settings_update(
            business=self.business,
            reminder_minutes=data["reminder_minutes"],
            channels=data["channels"],
            actor=request.user,
        )
        return Response(SalonSettingsOut(row).data)


@extend_schema(tags=["notifications"])
class MessageTemplateListApi(BusinessScopedMixin, APIView):
    """The salon's message templates: its own text or the built-in default, per kind."""

    capability = Capability.MANAGE_BUSINESS

    @extend_schema(
        parameters=[TemplateQuery],
        responses=TemplateOut(many=True),
        summary="Every message kind on one channel in one language",
    )
    def get(self, request, business_id: int):
        query = query_params(TemplateQuery, request)
        rows = selectors.template_catalog(
            business=self.business, channel=query["channel"], language=query["language"]
        )
        return Response(TemplateOut(rows, many=True).data)

    @extend_schema(
        request=TemplateIn,
        responses=TemplateOut,
        summary="Save the salon's text of a message (a template with an error is refused)",
    )
    def put(self, request, business_id: int):
        data = body(TemplateIn, request)
        services.message_template_save(business=self.business, actor=request.user, **data)
        row = selectors.template_for_editing(
            business=self.business,
            kind=data["kind"],
            channel=data["channel"],
            language=data["language"],
        )
        return Response(TemplateOut(row).data)

    @extend_schema(
        parameters=[TemplateKeyQuery],
        responses={204: None},
        summary="Go back to the default text of a message",
    )
    def delete(self, request, business_id: int):
        key = query_params(TemplateKeyQuery, request)
        services.message_template_reset(business=self.business, actor=request.user, **key)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["notifications"])
class MessageTemplatePreviewApi(BusinessScopedMixin, APIView):
    """A template rendered with sample data, without saving it."""

    capability = Capability.MANAGE_BUSINESS

    @extend_schema(
        request=TemplateIn,
        responses=PreviewOut,
        summary="Preview a message template with sample data",
    )
    def post(self, request, business_id: int):
        data = body(TemplateIn, request)
        return Response(PreviewOut(selectors.message_preview(business=self.business, **data)).data)


@extend_schema(tags=["notifications"])
class NotificationListApi(BusinessScopedMixin, APIView):
    """The salon's messages and their delivery state."""

    capability = Capability.MANAGE_BUSINESS
    pagination_class = Pagination

    @extend_schema(
        parameters=[NotificationQuery],
        responses=NotificationOut(many=True),
        summary="Messages to clients and their delivery state",
    )
    def get(self, request, business_id: int):
        query = query_params(NotificationQuery, request)
        if query.get("problems"):
            rows = selectors.delivery_problems(business=self.business, limit=10**6)
        else:
            rows = Notification.objects.filter(business=self.business).order_by(
                "-created_at", "-id"
            )
            if query.get("status"):
                rows = rows.filter(status=query["status"])
        return paginated(self, rows, NotificationOut)


@extend_schema(tags=["notifications"])
class PreferencesApi(APIView):
    """The signed-in client's choice of channels, for every salon or per salon."""

    permission_classes = [IsAuthenticated]

    def _out(self, request):
        current = selectors.client_preferences(user=request.user)
        salons = [
            {
                "business_id": r["business"].pk,
                "business_name": r["business"].name,
                "channels": r["channels"],
                "on_card": r["on_card"],
            }
            for r in current["salons"]
        ]
        return PreferencesOut({"all": current["all"], "salons": salons}).data

    @extend_schema(
        responses=PreferencesOut, summary="How the signed-in client wants to be notified"
    )
    def get(self, request):
        return Response(self._out(request))

    @extend_schema(
        request=PreferencesIn,
        responses=PreferencesOut,
        summary="Choose channels, for one salon or for every salon",
    )
    def put(self, request):
        data = body(PreferencesIn, request)
        services.channel_preferences_set(
            user=request.user, channels=data["channels"], business_id=data.get("business_id")
        )
        return Response(self._out(request))


@extend_schema(tags=["notifications"])
class PushKeyApi(APIView):
    """The server's VAPID public key (public, needed before subscribing)."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(responses=PushKeyOut, summary="The VAPID public key for web push")
    def get(self, request):
        return Response(PushKeyOut({"public_key": push.application_server_key()}).data)


@extend_schema(tags=["notifications"])
class PushSubscriptionApi(APIView):
    """This device's web push subscription."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=PushSubscriptionIn,
        responses={201: PushSubscriptionOut},
        summary="Subscribe this device to web push",
    )
    def post(self, request):
        data = body(PushSubscriptionIn, request)
        row = services.push_subscribe(
            user=request.user, user_agent=request.headers.get("User-Agent", ""), **data
        )
        return Response(PushSubscriptionOut(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[PushEndpointQuery],
        responses={204: None},
        summary="Unsubscribe a device from web push",
    )
    def delete(self, request):
        endpoint = query_params(PushEndpointQuery, request)["endpoint"]
        services.push_unsubscribe(user=request.user, endpoint=endpoint)
        return Response(status=status.HTTP_204_NO_CONTENT)
