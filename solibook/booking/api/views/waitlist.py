"""The waitlist and recurring series, for clients and the front desk."""

from django.http import Http404
from django_scopes import scopes_disabled
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from solibook.accounts.roles import Capability
from solibook.api.idempotency import IDEMPOTENCY, run_idempotent
from solibook.api.pagination import Pagination
from solibook.api.scoping import BusinessScopedMixin
from solibook.booking import services
from solibook.booking.api.serializers import (
    AppointmentOut,
    OfficeAppointmentOut,
    OfficeSeriesIn,
    SeriesIn,
    SeriesOut,
    WaitlistIn,
    WaitlistOut,
)
from solibook.booking.models import Source, WaitlistEntry
from solibook.booking.selectors import listed_location
from solibook.core.tenancy import business_scope


def _series_body(report, out=AppointmentOut) -> dict:
    return {
        "series_id": report.series.pk,
        "placed": out(report.placed, many=True).data,
        "failed": report.failed,
    }


class ClientSeriesApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=SeriesIn,
        responses={201: SeriesOut},
        parameters=[IDEMPOTENCY],
        summary="Book a recurring series (every N weeks, K times)",
    )
    def post(self, request):
        data = SeriesIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        location = listed_location(values["location_id"])

        def book() -> Response:
            with business_scope(location.business):
                report = services.appointment_series_create(
                    business=location.business,
                    location_id=location.pk,
                    specs=[data.fields["items"].child.to_spec(i) for i in values["items"]],
                    first_start=values["start"],
                    interval_weeks=values["interval_weeks"],
                    occurrences=values["occurrences"],
                    source=Source.API,
                    actor=request.user,
                    account=request.user,
                    notes=values["notes"],
                )
                return Response(_series_body(report), status=status.HTTP_201_CREATED)

        return run_idempotent(request, operation="appointment.series", handler=book)


class OfficeSeriesApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_BOOKINGS

    @extend_schema(
        request=OfficeSeriesIn,
        responses={201: SeriesOut},
        parameters=[IDEMPOTENCY],
        summary="Book a recurring series from the front desk",
    )
    def post(self, request, business_id: int):
        data = OfficeSeriesIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data

        def book() -> Response:
            report = services.appointment_series_create_at_desk(
                business=self.business,
                location_id=values["location_id"],
                specs=[data.fields["items"].child.to_spec(i) for i in values["items"]],
                first_start=values["start"],
                interval_weeks=values["interval_weeks"],
                occurrences=values["occurrences"],
                actor=request.user,
                client_card_id=values["client_card_id"],
                client_name=values["client_name"],
                client_phone=values["client_phone"],
                client_email=values["client_email"],
                notes=values["notes"],
            )
            return Response(
                _series_body(report, out=OfficeAppointmentOut), status=status.HTTP_201_CREATED
            )

        return run_idempotent(
            request, operation=f"office.appointment.series:{business_id}", handler=book
        )


def _entry_out(entry: WaitlistEntry) -> dict:
    return WaitlistOut(entry).data


class ClientWaitlistApi(APIView):
    pagination_class = Pagination  # documents the paginated shape in the schema
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=WaitlistOut(many=True), summary="My waitlist entries")
    def get(self, request):
        with scopes_disabled():  # a client's own entries span salons
            query = WaitlistEntry.objects.filter(account=request.user).order_by("-date", "-id")
            paginator = Pagination()
            page = paginator.paginate_queryset(query, request, view=self)
            return paginator.get_paginated_response(WaitlistOut(page, many=True).data)

    @extend_schema(
        request=WaitlistIn,
        responses={201: WaitlistOut},
        summary="Wait for a time on a day (offered automatically when one frees)",
    )
    def post(self, request):
        data = WaitlistIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        location = listed_location(values["location_id"])
        with business_scope(location.business):
            entry = services.waitlist_join(
                business=location.business,
                account=request.user,
                location_id=location.pk,
                service_id=values["service_id"],
                master_id=values["master_id"],
                day=values["date"],
                time_from=values["time_from"],
                time_to=values["time_to"],
            )
            return Response(_entry_out(entry), status=status.HTTP_201_CREATED)


class ClientWaitlistLeaveApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=WaitlistOut, summary="Leave the waitlist")
    def post(self, request, waitlist_entry_id: int):
        with scopes_disabled():
            entry = (
                WaitlistEntry.objects.select_related("business")
                .filter(pk=waitlist_entry_id, account=request.user)
                .first()
            )
        if entry is None:
            raise Http404
        with business_scope(entry.business):
            return Response(
                _entry_out(
                    services.waitlist_leave(
                        business=entry.business, entry_id=entry.pk, account=request.user
                    )
                )
            )


class OfficeWaitlistApi(BusinessScopedMixin, APIView):
    pagination_class = Pagination  # documents the paginated shape in the schema
    capability = Capability.MANAGE_BOOKINGS

    @extend_schema(responses=WaitlistOut(many=True), summary="Clients waiting, by day")
    def get(self, request, business_id: int):
        query = WaitlistEntry.objects.order_by("date", "created_at", "id")
        paginator = Pagination()
        page = paginator.paginate_queryset(query, request, view=self)
        return paginator.get_paginated_response(WaitlistOut(page, many=True).data)
