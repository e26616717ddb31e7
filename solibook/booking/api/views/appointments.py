"""Availability and appointments: public, client and back-office endpoints.

Every write goes through `booking.services` inside `run_idempotent`, which
owns the transaction and honours `Idempotency-Key`.
"""

from django.http import Http404
from django.utils import timezone
from django_scopes import scopes_disabled
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from solibook.accounts.roles import Capability, redact
from solibook.api.idempotency import IDEMPOTENCY, run_idempotent
from solibook.api.pagination import Pagination
from solibook.api.scoping import BusinessScopedMixin
from solibook.booking import services
from solibook.booking.api.serializers import (
    AVAILABILITY_PARAMS,
    AppointmentOut,
    AppointmentQuery,
    AvailabilityOut,
    AvailabilityQuery,
    CancelIn,
    ClientBookIn,
    OfficeAppointmentOut,
    OfficeBookIn,
    RescheduleIn,
    StatusIn,
)
from solibook.booking.models import Appointment, Source
from solibook.booking.selectors import listed_location
from solibook.catalog.models import Location
from solibook.clientarea import services as client_area
from solibook.core.tenancy import business_scope
from solibook.core.throttling import WriteScopedRateThrottle


def _availability(request, location: Location, *, online: bool) -> Response:
    query = AvailabilityQuery(
        data={
            **request.query_params.dict(),
            **{k: request.query_params.getlist(k) for k in ("service", "variant", "master")},
        }
    )
    query.is_valid(raise_exception=True)
    data = query.validated_data
    business = location.business
    with business_scope(business):
        loaded, slots = services.slots_available(
            business=business,
            location_id=location.pk,
            specs=data["specs"],
            start_date=data["date"],
            days=data["days"],
            online=online,
            location=location,  # read by the caller: not read twice
        )
        body = {
            "location_id": location.pk,
            "time_zone": location.time_zone,
            "cancellation_window_hours": business.cancellation_window_hours,
            "late_cancellation_fee_percent": business.cancellation_fee_percent,
            "slots": [services.slot_as_dict(loaded, s) for s in slots],
        }
    return Response(body)


class AvailabilityApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle, UserRateThrottle, ScopedRateThrottle]
    throttle_scope = "availability"

    @extend_schema(
        parameters=AVAILABILITY_PARAMS,
        responses=AvailabilityOut,
        summary="Bookable times at a location (public)",
    )
    def get(self, request, location_id: int):
        return _availability(request, listed_location(location_id), online=True)


class ClientAppointmentListApi(APIView):
    pagination_class = Pagination  # documents the paginated shape in the schema
    permission_classes = [IsAuthenticated]
    throttle_classes = [AnonRateThrottle, UserRateThrottle, WriteScopedRateThrottle]
    throttle_scope = "booking"  # bookings per client per minute

    @extend_schema(responses=AppointmentOut(many=True), summary="My appointments")
    def get(self, request):
        with scopes_disabled():  # a client's own visits span salons
            query = (
                Appointment.objects.filter(account=request.user)
                .select_related("business")
                .prefetch_related("items")
                .order_by("-starts_at")
            )
            paginator = Pagination()
            page = paginator.paginate_queryset(query, request, view=self)
            return paginator.get_paginated_response(AppointmentOut(page, many=True).data)

    @extend_schema(
        request=ClientBookIn,
        responses={201: AppointmentOut},
        parameters=[IDEMPOTENCY],
        summary="Book (or hold) a visit as a client",
    )
    def post(self, request):
        data = ClientBookIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        location = listed_location(values["location_id"])

        def book() -> Response:
            with business_scope(location.business):
                appointment = services.appointment_create(
                    business=location.business,
                    location_id=location.pk,
                    specs=[data.fields["items"].child.to_spec(i) for i in values["items"]],
                    start=values["start"],
                    source=Source.API,  # decided by the route, never the body
                    actor=request.user,
                    account=request.user,
                    notes=values["notes"],
                    hold=values["hold"],
                    location=location,  # read above with its business: not again
                    # A refusal ends run_idempotent's transaction: no savepoint needed.
                    savepoint=False,
                )
                return Response(AppointmentOut(appointment).data, status=status.HTTP_201_CREATED)

        return run_idempotent(request, operation="appointment.create", handler=book)


def _client_appointment(request, appointment_id: int) -> Appointment:
    with scopes_disabled():
        appointment = (
            Appointment.objects.select_related("business")
            .filter(pk=appointment_id, account=request.user)
            .first()
        )
    if appointment is None:
        raise Http404
    return appointment


class ClientAppointmentDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=AppointmentOut, summary="One of my appointments")
    def get(self, request, appointment_id: int):
        appointment = _client_appointment(request, appointment_id)
        with business_scope(appointment.business):
            return Response(AppointmentOut(appointment).data)


class ClientAppointmentActionApi(APIView):
    """Base for a client's confirm / cancel / reschedule of their own visit."""

    permission_classes = [IsAuthenticated]
    operation = ""

    def act(self, request, appointment: Appointment) -> Appointment:
        raise NotImplementedError

    def post(self, request, appointment_id: int):
        appointment = _client_appointment(request, appointment_id)

        def handler() -> Response:
            with business_scope(appointment.business):
                return Response(AppointmentOut(self.act(request, appointment)).data)

        return run_idempotent(
            request, operation=f"{self.operation}:{appointment_id}", handler=handler
        )


class ClientConfirmApi(ClientAppointmentActionApi):
    operation = "appointment.confirm"

    @extend_schema(
        request=None,
        responses=AppointmentOut,
        parameters=[IDEMPOTENCY],
        summary="Confirm a held visit",
    )
    def post(self, request, appointment_id: int):
        return super().post(request, appointment_id)

    def act(self, request, appointment):
        return services.appointment_confirm(
            business=appointment.business, appointment_id=appointment.pk, actor=request.user
        )


class ClientCancelApi(ClientAppointmentActionApi):
    operation = "appointment.cancel"

    @extend_schema(
        request=CancelIn,
        responses=AppointmentOut,
        parameters=[IDEMPOTENCY],
        summary="Cancel my visit (policy applies)",
    )
    def post(self, request, appointment_id: int):
        return super().post(request, appointment_id)

    def act(self, request, appointment):
        data = CancelIn(data=request.data)
        data.is_valid(raise_exception=True)
        # The client area's service, as on every page and route: the same
        # effects (policy, promo given back, deposit settled, waitlist, audit).
        return client_area.visit_cancel(
            user=request.user,
            appointment_id=appointment.pk,
            reason=data.validated_data["reason"],
        )


class ClientRescheduleApi(ClientAppointmentActionApi):
    operation = "appointment.reschedule"

    @extend_schema(
        request=RescheduleIn,
        responses=AppointmentOut,
        parameters=[IDEMPOTENCY],
        summary="Move my visit to another time",
    )
    def post(self, request, appointment_id: int):
        return super().post(request, appointment_id)

    def act(self, request, appointment):
        data = RescheduleIn(data=request.data)
        data.is_valid(raise_exception=True)
        return client_area.visit_reschedule(
            user=request.user,
            appointment_id=appointment.pk,
            start=data.validated_data["start"],
            master_ids=data.validated_data["master_ids"],
        )


# --- back office -----------------------------------------------------------


class OfficeAvailabilityApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_BOOKINGS

    @extend_schema(
        parameters=AVAILABILITY_PARAMS,
        responses=AvailabilityOut,
        summary="Bookable times for the front desk (no online rules)",
    )
    def get(self, request, business_id: int, location_id: int):
        location = get_object_or_404(Location.objects.select_related("business"), pk=location_id)
        return _availability(request, location, online=False)


class OfficeAppointmentListApi(BusinessScopedMixin, APIView):
    pagination_class = Pagination  # documents the paginated shape in the schema
    capability = Capability.VIEW_OWN_CALENDAR
    capability_by_method = {"POST": Capability.MANAGE_BOOKINGS}

    @extend_schema(
        parameters=[
            OpenApiParameter("from", str),
            OpenApiParameter("to", str),
            OpenApiParameter("location_id", int),
            OpenApiParameter("master_id", int),
        ],
        responses=OfficeAppointmentOut(many=True),
        summary="Appointments in a period (a master sees their own)",
    )
    def get(self, request, business_id: int):
        params = AppointmentQuery(data=request.query_params)
        params.is_valid(raise_exception=True)
        filters = params.validated_data
        query = (
            Appointment.objects.select_related("business")
            .prefetch_related("items")
            .order_by("starts_at", "id")
        )
        if filters.get("from"):
            query = query.filter(ends_at__gt=filters["from"])
        if filters.get("to"):
            query = query.filter(starts_at__lt=filters["to"])
        if filters.get("location_id"):
            query = query.filter(location_id=filters["location_id"])
        if filters.get("master_id"):
            query = query.filter(items__master_id=filters["master_id"]).distinct()
        if not self.access.can(Capability.MANAGE_BOOKINGS):
            query = query.filter(items__master__user=request.user).distinct()
        paginator = Pagination()
        page = paginator.paginate_queryset(query, request, view=self)
        rows = redact(OfficeAppointmentOut(page, many=True).data, can=self.access.can)
        return paginator.get_paginated_response(rows)

    @extend_schema(
        request=OfficeBookIn,
        responses={201: OfficeAppointmentOut},
        parameters=[IDEMPOTENCY],
        summary="Book a visit from the front desk",
    )
    def post(self, request, business_id: int):
        data = OfficeBookIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data

        def book() -> Response:
            appointment = services.appointment_create_at_desk(
                business=self.business,
                location_id=values["location_id"],
                specs=[data.fields["items"].child.to_spec(i) for i in values["items"]],
                start=values["start"],
                actor=request.user,
                client_card_id=values["client_card_id"],
                client_name=values["client_name"],
                client_phone=values["client_phone"],
                client_email=values["client_email"],
                notes=values["notes"],
                hold=values["hold"],
            )
            return Response(OfficeAppointmentOut(appointment).data, status=status.HTTP_201_CREATED)

        return run_idempotent(
            request, operation=f"office.appointment.create:{business_id}", handler=book
        )


class OfficeAppointmentDetailApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_BOOKINGS

    @extend_schema(responses=OfficeAppointmentOut, summary="One appointment")
    def get(self, request, business_id: int, appointment_id: int):
        return Response(
            OfficeAppointmentOut(
                get_object_or_404(Appointment.objects.all(), pk=appointment_id)
            ).data
        )


class OfficeActionApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_BOOKINGS
    operation = ""

    def act(self, request, appointment_id: int) -> Appointment:
        raise NotImplementedError

    def post(self, request, business_id: int, appointment_id: int):
        get_object_or_404(Appointment.objects.all(), pk=appointment_id)
        return run_idempotent(
            request,
            operation=f"{self.operation}:{appointment_id}",
            handler=lambda: Response(OfficeAppointmentOut(self.act(request, appointment_id)).data),
        )


class OfficeCancelApi(OfficeActionApi):
    operation = "office.appointment.cancel"

    @extend_schema(
        request=CancelIn,
        responses=OfficeAppointmentOut,
        parameters=[IDEMPOTENCY],
        summary="Cancel (by the salon)",
    )
    def post(self, request, business_id: int, appointment_id: int):
        return super().post(request, business_id, appointment_id)

    def act(self, request, appointment_id):
        data = CancelIn(data=request.data)
        data.is_valid(raise_exception=True)
        return services.appointment_cancel(
            business=self.business,
            appointment_id=appointment_id,
            actor=request.user,
            by_client=False,
            reason=data.validated_data["reason"],
        )


class OfficeRescheduleApi(OfficeActionApi):
    operation = "office.appointment.reschedule"

    @extend_schema(
        request=RescheduleIn,
        responses=OfficeAppointmentOut,
        parameters=[IDEMPOTENCY],
        summary="Move an appointment (drag in the calendar)",
    )
    def post(self, request, business_id: int, appointment_id: int):
        return super().post(request, business_id, appointment_id)

    def act(self, request, appointment_id):
        data = RescheduleIn(data=request.data)
        data.is_valid(raise_exception=True)
        return services.appointment_reschedule(
            business=self.business,
            appointment_id=appointment_id,
            start=data.validated_data["start"],
            actor=request.user,
            master_ids=data.validated_data["master_ids"],
            now=timezone.now(),
        )


class OfficeStatusApi(OfficeActionApi):
    operation = "office.appointment.status"

    @extend_schema(
        request=StatusIn,
        responses=OfficeAppointmentOut,
        parameters=[IDEMPOTENCY],
        summary="Arrived, in progress, completed, no-show",
    )
    def post(self, request, business_id: int, appointment_id: int):
        return super().post(request, business_id, appointment_id)

    def act(self, request, appointment_id):
        data = StatusIn(data=request.data)
        data.is_valid(raise_exception=True)
        return services.appointment_set_status(
            business=self.business,
            appointment_id=appointment_id,
            status=data.validated_data["status"],
            actor=request.user,
        )
