"""The back-office calendar's reads: what it shows, who the clients are, what happened.

Thin: the calendar's read is `booking.calendar.calendar_events`. Every change
the calendar makes goes through the booking endpoints (`views/appointments.py`),
which call `booking.services`.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.http import Http404
from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from solibook.accounts.models import User
from solibook.accounts.roles import Capability, redact
from solibook.api.fields import IdField
from solibook.api.idempotency import run_idempotent
from solibook.api.scoping import BusinessScopedMixin
from solibook.booking import services as booking_services
from solibook.booking.api.serializers import AppointmentOut
from solibook.booking.arrivals import CHECK_IN_FROM, CHECK_OUT_FROM, client_alerts
from solibook.booking.calendar import (
    CANCELLABLE,
    MAX_DAYS,
    NEXT_STATUSES,
    calendar_events,
    wall,
)
from solibook.booking.models import (
    Appointment,
    AppointmentEvent,
    Status,
)
from solibook.catalog.models import Location, Master
from solibook.clients.selectors import client_search
from solibook.core.money import format_money
from solibook.core.time import validate_engine_date
from solibook.finance.selectors import paid_online, visit_total


def visible_masters(view, location: Location):
    """The masters whose column this member may see at `location`."""
    masters = Master.objects.filter(is_active=True, locations=location).order_by(
        "position", "display_name", "pk"
    )
    if not view.access.can(Capability.MANAGE_BOOKINGS):
        masters = masters.filter(user=view.request.user)
    return masters


def own_appointment(view, appointment_id: int) -> Appointment:
    """An appointment of this business that the member may see (a master: their own)."""
    query = Appointment.objects.select_related("location", "account", "business", "client_card")
    if not view.access.can(Capability.MANAGE_BOOKINGS):
        query = query.filter(items__master__user=view.request.user).distinct()
    appointment = query.filter(pk=appointment_id).first()
    if appointment is None:
        raise Http404
    return appointment


class CalendarQuery(serializers.Serializer):
    location_id = IdField()
    start = serializers.DateField(
        help_text="First local day shown.", validators=[validate_engine_date]
    )
    end = serializers.DateField(
        help_text="Day after the last one shown.", validators=[validate_engine_date]
    )
    master_id = IdField(required=False)

    def validate(self, data):
        if not 0 < (data["end"] - data["start"]).days <= MAX_DAYS:
            raise serializers.ValidationError({"end": [f"Show between 1 and {MAX_DAYS} days."]})
        return data


class CalendarApi(BusinessScopedMixin, APIView):
    capability = Capability.VIEW_OWN_CALENDAR

    @extend_schema(
        parameters=[CalendarQuery],
        responses={200: OpenApiTypes.OBJECT},
        summary="The calendar of a location: master columns, visits and their busy segments (local wall-clock times)",
    )
    def get(self, request, business_id: int):
        query = CalendarQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        values = query.validated_data
        location = Location.objects.filter(pk=values["location_id"]).first()
        if location is None:
            raise Http404
        masters = list(visible_masters(self, location))
        if values.get("master_id"):
            masters = [m for m in masters if m.pk == values["master_id"]]
        with_resources = self.access.can(Capability.MANAGE_BOOKINGS) and not values.get("master_id")
        return Response(
            calendar_events(
                location=location,
                masters=masters,
                start=values["start"],
                end=values["end"],
                with_resources=with_resources,
                contacts=self.access.can(Capability.VIEW_CLIENT_CONTACTS),
            )
        )


class ClientSearchApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_BOOKINGS

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q",
                str,
                description="Part of a name, phone number or e-mail (2 characters at least).",
            )
        ],
        responses={200: OpenApiTypes.OBJECT},
        summary="The business's client cards, for booking at the front desk",
    )
    def get(self, request, business_id: int):
        cards = client_search(business=self.business, q=request.query_params.get("q", ""), limit=20)
        return Response(
            {
                "results": [
                    {
                        "card_id": c.pk,
                        "name": c.full_name,
                        "phone": str(c.phone or ""),
                        "email": c.email,
                    }
                    for c in cards
                ]
            }
        )


def _actor_name(user: User | None) -> str:
    return (user.full_name or user.email) if user else ""


class AppointmentPanelApi(BusinessScopedMixin, APIView):
    """What the calendar's appointment panel shows: details, next steps, history."""

    capability = Capability.VIEW_OWN_CALENDAR

    @extend_schema(
        responses={200: OpenApiTypes.OBJECT},
        summary="An appointment as the calendar's panel shows it, with its history",
    )
    def get(self, request, business_id: int, appointment_id: int):
        appointment = own_appointment(self, appointment_id)
        zone = ZoneInfo(appointment.location.time_zone)
        items = list(appointment.items.select_related("service", "master").order_by("position"))
        language = get_language() or "en"
        can_manage = self.access.can(Capability.MANAGE_BOOKINGS)
        panel = {
            "id": appointment.pk,
            "status": appointment.status,
            "status_label": str(Status(appointment.status).label),
            "client": {
                "account_id": appointment.account_id,
                "card_id": appointment.client_card_id if can_manage else None,
                "name": appointment.client_name
                or (appointment.account.full_name if appointment.account else ""),
                "phone": appointment.client_phone,
                "email": appointment.client_email,
            },
            "location": appointment.location.name,
            "time_zone": appointment.location.time_zone,
            "start": wall(appointment.starts_at, zone),
            "end": wall(appointment.ends_at, zone),
            "price": format_money(appointment.price_amount, appointment.currency, language),
            "notes": appointment.notes,
            "items": [
                {
                    "service": item.service.name,
                    "master": item.master.display_name,
                    "start": wall(item.starts_at, zone),
                    "end": wall(item.ends_at, zone),
                    "price": format_money(item.price_amount, appointment.currency, language),
                }
                for item in items
            ],
            "next_statuses": [
                {"status": s, "label": str(Status(s).label)}
                for s in NEXT_STATUSES.get(appointment.status, [])
            ]
            if can_manage
            else [],
            "can_cancel": can_manage and appointment.status in CANCELLABLE,
            "history": _history(appointment, zone),
            # The client card's allergies, patch tests and notes, for the desk and the master.
            "alerts": [
                {"kind": a.kind, "level": a.level, "text": a.text}
                for a in client_alerts(
                    card=appointment.client_card,
                    services=[item.service for item in items],
                    on=appointment.starts_at.astimezone(zone).date(),
                )
            ],
            **_desk(appointment, items, can_manage=can_manage, language=language),
        }
        # A master sees no contacts or money (docs/roles.md): one rule, accounts.roles.
        return Response(redact(panel, can=self.access.can))


def _desk(appointment: Appointment, items, *, can_manage: bool, language: str) -> dict:
    """What the front desk can do next from the panel, and what is still due."""
    checked_out = appointment.checkouts.exists()
    due = 0 if checked_out else max(0, visit_total(appointment) - paid_online(appointment))
    single = not appointment.session_id
    return {
        "balance_due": format_money(due, appointment.currency, language) if can_manage else None,
        "desk": {
            "check_in": can_manage and appointment.status in CHECK_IN_FROM,
            "check_out": can_manage and appointment.status in CHECK_OUT_FROM and not checked_out,
            "checked_out": checked_out,
            "no_show": can_manage and appointment.status == Status.CONFIRMED,
            "reschedule": can_manage and single and appointment.status in CANCELLABLE,
            "rebook": can_manage and single,
        },
        "rebook": {
            "client_card_id": appointment.client_card_id,
            "client_name": appointment.client_name,
            "items": [{"service_id": i.service_id, "master_id": i.master_id} for i in items],
        }
        if can_manage and single
        else None,
    }


def _history(appointment: Appointment, zone: ZoneInfo) -> list[dict]:
    rows = []
    for event in (
        AppointmentEvent.objects.filter(appointment=appointment)
        .select_related("actor")
        .order_by("created_at", "id")
    ):
        data = dict(event.data or {})
        if event.kind in ("rescheduled", "resized") and data.get("from"):
            data["from"] = wall(datetime.fromisoformat(data["from"]), zone)
        if event.kind == "resized" and data.get("to"):
            data["to"] = wall(datetime.fromisoformat(data["to"]), zone)
        rows.append(
            {
                "kind": event.kind,
                "actor": _actor_name(event.actor),
                "at": wall(event.created_at, zone),
                "data": data,
            }
        )
    return rows


class AppointmentHistoryApi(BusinessScopedMixin, APIView):
    capability = Capability.VIEW_OWN_CALENDAR

    @extend_schema(
        responses={200: OpenApiTypes.OBJECT}, summary="Who changed an appointment, what and when"
    )
    def get(self, request, business_id: int, appointment_id: int):
        appointment = own_appointment(self, appointment_id)
        zone = ZoneInfo(appointment.location.time_zone)
        return Response(
            {
                "appointment_id": appointment.pk,
                "time_zone": appointment.location.time_zone,
                "history": _history(appointment, zone),
            }
        )


# --- front-desk edits: resize, blocked time ------------------------------------


class ResizeIn(serializers.Serializer):
    end = serializers.DateTimeField(
        help_text="The visit's new end, ISO 8601 with its UTC offset.",
        validators=[validate_engine_date],
    )


class BlockIn(serializers.Serializer):
    master_id = IdField()
    starts_at = serializers.DateTimeField(validators=[validate_engine_date])
    ends_at = serializers.DateTimeField(validators=[validate_engine_date])
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class BlockOut(serializers.Serializer):
    id = serializers.IntegerField()
    master_id = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    note = serializers.CharField()


IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Same key and body: same response, one effect (kept 24 h).",
)


class AppointmentResizeApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_BOOKINGS

    @extend_schema(
        request=ResizeIn,
        responses=AppointmentOut,
        parameters=[IDEMPOTENCY_KEY],
        summary="Change where a visit ends (drag its edge in the calendar)",
    )
    def post(self, request, business_id: int, appointment_id: int):
        get_object_or_404(Appointment.objects.all(), pk=appointment_id)
        data = ResizeIn(data=request.data)
        data.is_valid(raise_exception=True)

        def handler() -> Response:
            appointment = booking_services.appointment_resize(
                business=self.business,
                appointment_id=appointment_id,
                end=data.validated_data["end"],
                actor=request.user,
            )
            return Response(AppointmentOut(appointment).data)

        return run_idempotent(
            request, operation=f"office.appointment.resize:{appointment_id}", handler=handler
        )


class BlockedTimeListApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_BOOKINGS

    @extend_schema(
        request=BlockIn,
        responses={201: BlockOut},
        parameters=[IDEMPOTENCY_KEY],
        summary="Block a master's time (no booking can take it)",
    )
    def post(self, request, business_id: int):
        data = BlockIn(data=request.data)
        data.is_valid(raise_exception=True)

        def handler() -> Response:
            block = booking_services.blocked_time_add(
                business=self.business, actor=request.user, **data.validated_data
            )
            return Response(BlockOut(block).data, status=201)

        return run_idempotent(
            request, operation=f"office.blocked_time.add:{business_id}", handler=handler
        )


class BlockedTimeDetailApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_BOOKINGS

    @extend_schema(responses={204: None}, summary="Free blocked time")
    def delete(self, request, business_id: int, time_off_id: int):
        booking_services.blocked_time_remove(
            business=self.business, time_off_id=time_off_id, actor=request.user
        )
        return Response(status=204)
