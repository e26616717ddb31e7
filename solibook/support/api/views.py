"""Support desk API: the requester's side (a signed-in client's own tickets),
the salon's side (`/businesses/{id}/support/...`, owners and managers) and the
console's side (`/platform/support/...`, staff who answer tickets). Thin
views over `support.services`, the same calls the pages make."""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from solibook.accounts.roles import Capability, PlatformCapability
from solibook.api.inputs import body, query_params
from solibook.api.pagination import Pagination, paginated
from solibook.api.platform import platform_permission
from solibook.api.scoping import BusinessScopedMixin
from solibook.core.errors import refuse
from solibook.support import selectors, services
from solibook.support.api.serializers import (
    SupportAssignIn,
    SupportCannedReplyIn,
    SupportCannedReplyOut,
    SupportChatStatusOut,
    SupportConsoleTicketDetailOut,
    SupportConsoleTicketOut,
    SupportPriorityIn,
    SupportQueueQueryIn,
    SupportRatingIn,
    SupportReplyIn,
    SupportStaffReplyIn,
    SupportStatusIn,
    SupportTicketDetailOut,
    SupportTicketIn,
    SupportTicketOut,
    uploads_of,
)
from solibook.support.models import CannedReply, Source, Ticket

TAGS = ["support"]
ANSWER = PlatformCapability.ANSWER_TICKETS


def _detail(ticket: Ticket) -> dict:
    ticket = Ticket.objects.prefetch_related("messages__attachments", "messages__author").get(
        pk=ticket.pk
    )
    return SupportTicketDetailOut(ticket).data


# --- requester -------------------------------------------------------------------------


@extend_schema(tags=TAGS)
class ChatStatusApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=SupportChatStatusOut, summary="Is someone of support online to chat?")
    def get(self, request):
        return Response({"chat_online": selectors.staff_online()})


@extend_schema(tags=TAGS)
class MyTicketListApi(APIView):
    permission_classes = [IsAuthenticated]
    pagination_class = Pagination

    @extend_schema(responses=SupportTicketOut(many=True), summary="My support requests")
    def get(self, request):
        rows = selectors.tickets_of_requester(request.user).order_by("-updated_at", "-id")
        return paginated(self, rows, SupportTicketOut)

    @extend_schema(
        request=SupportTicketIn,
        responses={201: SupportTicketDetailOut},
        summary="Open a support request (answers come by e-mail and here)",
    )
    def post(self, request):
        data = body(SupportTicketIn, request)
        ticket = services.ticket_open(
            subject=data["subject"],
            body=data["body"],
            requester_email=request.user.email,
            requester_name=request.user.full_name,
            requester_account=request.user,
            source=Source.API,
            language=get_language(),
            attachments=uploads_of(data),
        )
        return Response(_detail(ticket), status=status.HTTP_201_CREATED)


def _mine(request, ticket_id: int) -> Ticket:
    ticket = selectors.requester_ticket(request.user, ticket_id)
    if ticket is None:
        raise Http404
    return ticket


@extend_schema(tags=TAGS)
class MyTicketApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=SupportTicketDetailOut, summary="One of my requests with its thread")
    def get(self, request, ticket_id: int):
        return Response(_detail(_mine(request, ticket_id)))


@extend_schema(tags=TAGS)
class MyReplyApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=SupportReplyIn,
        responses={201: SupportTicketDetailOut},
        summary="Reply on my request (it reopens)",
    )
    def post(self, request, ticket_id: int):
        ticket = _mine(request, ticket_id)
        data = body(SupportReplyIn, request)
        services.ticket_reply(
            ticket_id=ticket.pk,
            body=data["body"],
            author=request.user,
            via=Source.API,
            attachments=uploads_of(data),
        )
        return Response(_detail(ticket), status=status.HTTP_201_CREATED)


@extend_schema(tags=TAGS)
class MyRatingApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=SupportRatingIn,
        responses=SupportTicketOut,
        summary="Rate the answer, 1 to 5, once the request is resolved (once)",
    )
    def post(self, request, ticket_id: int):
        ticket = _mine(request, ticket_id)
        data = body(SupportRatingIn, request)
        return Response(
            SupportTicketOut(
                services.ticket_rate(
                    ticket_id=ticket.pk, rating=data["rating"], comment=data["comment"]
                )
            ).data
        )


# --- the salon ---------------------------------------------------------------------------


class SalonSupportApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_BUSINESS


def _salon_ticket(business, ticket_id: int) -> Ticket:
    ticket = selectors.tickets_of_business(business).filter(pk=ticket_id).first()
    if ticket is None:
        raise Http404
    return ticket


@extend_schema(tags=TAGS)
class SalonTicketListApi(SalonSupportApi):
    pagination_class = Pagination

    @extend_schema(responses=SupportTicketOut(many=True), summary="The salon's support requests")
    def get(self, request, business_id: int):
        rows = selectors.tickets_of_business(self.business).order_by("-updated_at", "-id")
        return paginated(self, rows, SupportTicketOut)

    @extend_schema(
        request=SupportTicketIn,
        responses={201: SupportTicketDetailOut},
        summary="Ask the platform's support (the request is tied to the salon)",
    )
    def post(self, request, business_id: int):
        data = body(SupportTicketIn, request)
        ticket = services.ticket_open(
            subject=data["subject"],
            body=data["body"],
            requester_email=request.user.email,
            requester_name=request.user.full_name,
            requester_account=request.user,
            business=self.business,
            source=Source.API,
            language=get_language(),
            attachments=uploads_of(data),
            actor=request.user,
        )
        return Response(_detail(ticket), status=status.HTTP_201_CREATED)


@extend_schema(tags=TAGS)
class SalonTicketApi(SalonSupportApi):
    @extend_schema(responses=SupportTicketDetailOut, summary="One of the salon's requests")
    def get(self, request, business_id: int, ticket_id: int):
        return Response(_detail(_salon_ticket(self.business, ticket_id)))


@extend_schema(tags=TAGS)
class SalonReplyApi(SalonSupportApi):
    @extend_schema(
        request=SupportReplyIn,
        responses={201: SupportTicketDetailOut},
        summary="Reply on one of the salon's requests",
    )
    def post(self, request, business_id: int, ticket_id: int):
        ticket = _salon_ticket(self.business, ticket_id)
        data = body(SupportReplyIn, request)
        services.ticket_reply(
            ticket_id=ticket.pk,
            body=data["body"],
            author=request.user,
            via=Source.API,
            attachments=uploads_of(data),
        )
        return Response(_detail(ticket), status=status.HTTP_201_CREATED)


# --- the console -------------------------------------------------------------------------


class ConsoleApi(APIView):
    permission_classes = [platform_permission(ANSWER)]


def _console_detail(ticket_id: int) -> dict:
    ticket = (
        Ticket.objects.prefetch_related("messages__attachments", "messages__author")
        .filter(pk=ticket_id)
        .first()
    )
    if ticket is None:
        raise Http404
    (ticket,) = selectors.with_timers([ticket])
    return SupportConsoleTicketDetailOut(ticket).data


@extend_schema(tags=TAGS)
class QueueApi(ConsoleApi):
    pagination_class = Pagination

    @extend_schema(
        parameters=[SupportQueueQueryIn],
        responses=SupportConsoleTicketOut(many=True),
        summary="The support queue: filters, SLA timers (earliest resolution due first)",
    )
    def get(self, request):
        filters = selectors.queue_filter(query_params(SupportQueueQueryIn, request))
        now = timezone.now()
        paginator = Pagination()
        page = paginator.paginate_queryset(
            selectors.queue(user=request.user, filters=filters, now=now), request, view=self
        )
        rows = selectors.with_timers(page or [], now=now)
        return paginator.get_paginated_response(SupportConsoleTicketOut(rows, many=True).data)


@extend_schema(tags=TAGS)
class ConsoleTicketApi(ConsoleApi):
    @extend_schema(responses=SupportConsoleTicketDetailOut, summary="A ticket with its thread")
    def get(self, request, ticket_id: int):
        return Response(_console_detail(ticket_id))


@extend_schema(tags=TAGS)
class ConsoleReplyApi(ConsoleApi):
    @extend_schema(
        request=SupportStaffReplyIn,
        responses={201: SupportConsoleTicketDetailOut},
        summary="Answer (e-mailed to the requester); a canned reply in their language",
    )
    def post(self, request, ticket_id: int):
        data = body(SupportStaffReplyIn, request)
        text = data["body"]
        if not text.strip() and data["canned_reply_id"]:
            ticket = Ticket.objects.filter(pk=ticket_id).first()
            canned = CannedReply.objects.filter(pk=data["canned_reply_id"]).first()
            if ticket is None:
                raise Http404
            if canned is None:
                refuse(str(_no_canned()), "canned_reply_id")
            text = canned.body_in(ticket.language)
        services.ticket_reply(
            ticket_id=ticket_id,
            body=text,
            author=request.user,
            as_staff=True,
            via=Source.API,
            status=data["status"],
            attachments=uploads_of(data),
        )
        return Response(_console_detail(ticket_id), status=status.HTTP_201_CREATED)


def _no_canned():
    from django.utils.translation import gettext as _

    return _("No such canned reply.")


@extend_schema(tags=TAGS)
class ConsoleAssignApi(ConsoleApi):
    @extend_schema(
        request=SupportAssignIn,
        responses=SupportConsoleTicketDetailOut,
        summary="Assign to support staff (409 when someone changed it meanwhile)",
    )
    def post(self, request, ticket_id: int):
        data = body(SupportAssignIn, request)
        services.ticket_assign(
            ticket_id=ticket_id,
            assignee_id=data["assignee_id"],
            expected_assignee_id=data["expected_assignee_id"],
            actor=request.user,
        )
        return Response(_console_detail(ticket_id))


@extend_schema(tags=TAGS)
class ConsoleStatusApi(ConsoleApi):
    @extend_schema(
        request=SupportStatusIn, responses=SupportConsoleTicketDetailOut, summary="Set the status"
    )
    def post(self, request, ticket_id: int):
        data = body(SupportStatusIn, request)
        services.ticket_set_status(ticket_id=ticket_id, status=data["status"], actor=request.user)
        return Response(_console_detail(ticket_id))


@extend_schema(tags=TAGS)
class ConsolePriorityApi(ConsoleApi):
    @extend_schema(
        request=SupportPriorityIn,
        responses=SupportConsoleTicketDetailOut,
        summary="Set the priority (the SLA due times are recomputed)",
    )
    def post(self, request, ticket_id: int):
        data = body(SupportPriorityIn, request)
        services.ticket_set_priority(
            ticket_id=ticket_id, priority=data["priority"], actor=request.user
        )
        return Response(_console_detail(ticket_id))


@extend_schema(tags=TAGS)
class CannedReplyListApi(ConsoleApi):
    @extend_schema(responses=SupportCannedReplyOut(many=True), summary="Canned replies")
    def get(self, request):
        return Response(SupportCannedReplyOut(selectors.canned_replies(), many=True).data)

    @extend_schema(
        request=SupportCannedReplyIn,
        responses={201: SupportCannedReplyOut},
        summary="Add a canned reply in the four languages",
    )
    def post(self, request):
        data = body(SupportCannedReplyIn, request)
        reply = services.canned_reply_save(
            title=data["title"],
            bodies={code: data[f"body_{code}"] for code in ("en", "fr", "ru", "ar")},
            actor=request.user,
        )
        return Response(SupportCannedReplyOut(reply).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=TAGS)
class PresenceApi(ConsoleApi):
    @extend_schema(
        request=None,
        responses=SupportChatStatusOut,
        summary="Heartbeat: I am online for live chat (send every 30 s)",
    )
    def post(self, request):
        services.presence_beat(user=request.user)
        return Response({"chat_online": True})
