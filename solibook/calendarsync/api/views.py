"""Calendar sync API: a master's connection (CalDAV, Google), "sync now",
disconnecting, open conflicts; the same for the signed-in master's own
calendar; and the client's own feed address.

Thin views over `calendarsync.services` (the pages call the same ones).
Team routes need `manage_catalog`, a master's own routes `view_own_calendar`.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from solibook.accounts.roles import Capability
from solibook.api.inputs import body
from solibook.api.scoping import BusinessScopedMixin
from solibook.calendarsync import selectors, services
from solibook.calendarsync.api.serializers import (
    CalDAVConnectIn,
    CalendarSyncReportOut,
    CalendarSyncStateOut,
    ClientCalendarFeedOut,
    GoogleAuthorizeIn,
    GoogleAuthorizeOut,
    GoogleConnectIn,
)
from solibook.catalog.models import Master

TAGS = ["calendar sync"]


def rule_text() -> str:
    return _(
        "Bookings win: a busy event over a visit already booked never cancels the visit; "
        "it is reported as a conflict. A visit edited in the master's calendar is written back."
    )


class _MasterApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_CATALOG
    own = False

    def master(self, request, master_id: int | None) -> Master:
        if self.own:
            found = selectors.own_master(business=self.business, user=request.user)
        else:
            found = Master.objects.filter(business=self.business, pk=master_id).first()
        if found is None:
            raise Http404
        return found

    def state(self, master: Master) -> Response:
        connection = selectors.connection_of(master=master)
        data = {
            "connection": connection,
            "conflicts": selectors.open_conflicts(connection=connection) if connection else [],
            "rule": rule_text(),
        }
        return Response(CalendarSyncStateOut(data).data)

    def connect(self, request, master_id: int | None, connect, serializer) -> Response:
        """Connect through `connect` (a calendarsync service) and answer the new state."""
        master = self.master(request, master_id)
        connect(
            business=self.business,
            master_id=master.pk,
            actor=request.user,
            **body(serializer, request),
        )
        response = self.state(master)
        response.status_code = status.HTTP_201_CREATED
        return response


@extend_schema(tags=TAGS)
class CalendarSyncApi(_MasterApi):
    @extend_schema(
        responses=CalendarSyncStateOut, summary="A master's calendar sync and its conflicts"
    )
    def get(self, request, business_id: int, master_id: int | None = None):
        return self.state(self.master(request, master_id))

    @extend_schema(request=None, responses={204: None}, summary="Disconnect a master's calendar")
    def delete(self, request, business_id: int, master_id: int | None = None):
        master = self.master(request, master_id)
        services.connection_disconnect(
            business=self.business, master_id=master.pk, actor=request.user
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=TAGS)
class CalDAVConnectApi(_MasterApi):
    @extend_schema(
        request=CalDAVConnectIn,
        responses={201: CalendarSyncStateOut},
        summary="Connect a master's CalDAV calendar (checked before it is saved)",
    )
    def post(self, request, business_id: int, master_id: int | None = None):
        return self.connect(request, master_id, services.caldav_connect, CalDAVConnectIn)


@extend_schema(tags=TAGS)
class GoogleAuthorizeApi(_MasterApi):
    @extend_schema(
        request=GoogleAuthorizeIn,
        responses=GoogleAuthorizeOut,
        summary="Google's consent address for a master's calendar (OAuth 2.0)",
    )
    def post(self, request, business_id: int, master_id: int | None = None):
        master = self.master(request, master_id)
        url = services.google_authorize_url(
            business=self.business,
            master_id=master.pk,
            actor=request.user,
            **body(GoogleAuthorizeIn, request),
        )
        return Response(GoogleAuthorizeOut({"authorize_url": url}).data)


@extend_schema(tags=TAGS)
class GoogleConnectApi(_MasterApi):
    @extend_schema(
        request=GoogleConnectIn,
        responses={201: CalendarSyncStateOut},
        summary="Connect a master's Google Calendar with the code Google returned",
    )
    def post(self, request, business_id: int, master_id: int | None = None):
        return self.connect(request, master_id, services.google_connect, GoogleConnectIn)


@extend_schema(tags=TAGS)
class SyncNowApi(_MasterApi):
    @extend_schema(
        request=None, responses=CalendarSyncReportOut, summary="Synchronise a master's calendar now"
    )
    def post(self, request, business_id: int, master_id: int | None = None):
        master = self.master(request, master_id)
        report = services.sync_now(business=self.business, master_id=master.pk, actor=request.user)
        return Response(CalendarSyncReportOut(report).data)


class _Own:
    own = True
    capability = Capability.VIEW_OWN_CALENDAR


@extend_schema(tags=TAGS)
class OwnCalendarSyncApi(_Own, CalendarSyncApi):
    pass


@extend_schema(tags=TAGS)
class OwnCalDAVConnectApi(_Own, CalDAVConnectApi):
    pass


@extend_schema(tags=TAGS)
class OwnGoogleAuthorizeApi(_Own, GoogleAuthorizeApi):
    pass


@extend_schema(tags=TAGS)
class OwnGoogleConnectApi(_Own, GoogleConnectApi):
    pass


@extend_schema(tags=TAGS)
class OwnSyncNowApi(_Own, SyncNowApi):
    pass


@extend_schema(tags=TAGS)
class ClientFeedApi(APIView):
    """The signed-in client's private feed of their own visits."""

    permission_classes = [IsAuthenticated]

    def _out(self, url: str = "") -> dict:
        active = selectors.client_feed_active(account=self.request.user)
        return ClientCalendarFeedOut(
            {
                "active": active is not None,
                "created_at": active.created_at if active else None,
                "url": url,
            }
        ).data

    @extend_schema(responses=ClientCalendarFeedOut, summary="Whether my calendar feed is active")
    def get(self, request):
        return Response(self._out())

    @extend_schema(
        request=None,
        responses={201: ClientCalendarFeedOut},
        summary="Issue (or replace) my calendar feed address; the previous one stops working",
    )
    def post(self, request):
        from django.urls import reverse

        secret = services.client_feed_issue(account=request.user)
        url = request.build_absolute_uri(reverse("calendarsync:client_feed", args=[secret]))
        return Response(self._out(url), status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None}, summary="Stop my calendar feed address")
    def delete(self, request):
        services.client_feed_revoke(account=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
