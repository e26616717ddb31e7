"""Catalogue API: a master's working time (weekly shifts, date overrides, time off).

Shifts and overrides are local wall-clock times at a location ("HH:MM");
time off is a pair of instants given with their UTC offset and kept in UTC.
"""

from itertools import groupby

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from solibook.api.inputs import body, query_params
from solibook.api.pagination import Pagination, paginated
from solibook.api.scoping import BusinessScopedMixin
from solibook.catalog import services as catalog_services
from solibook.catalog.api.serializers import (
    DateOverrideIn,
    DateOverrideOut,
    DateRangeQuery,
    LocationQuery,
    OptionalLocationQuery,
    TimeOffIn,
    TimeOffOut,
    TimeOffQuery,
    WeeklyScheduleIn,
    WeeklyScheduleOut,
)
from solibook.catalog.api.views.offerings import WRITE_CATALOG
from solibook.catalog.models import DateOverride, Location, Master, TimeOff, WeeklyShift


def _week(master: Master, location: Location | None) -> dict:
    shifts = (
        WeeklyShift.objects.filter(master=master)
        .prefetch_related("breaks")
        .order_by("location_id", "weekday", "start")
    )
    if location is not None:
        shifts = shifts.filter(location=location)
    return {
        "master_id": master.pk,
        "location_id": location.pk if location else None,
        "shifts": shifts,
    }


@extend_schema(tags=["catalog"])
class WeeklyScheduleApi(BusinessScopedMixin, APIView):
    """A master's recurring week at a location: shifts in local "HH:MM", several a day, with breaks inside them."""

    capability_by_method = WRITE_CATALOG

    @extend_schema(
        parameters=[OptionalLocationQuery],
        responses=WeeklyScheduleOut,
        summary="A master's weekly shifts (at one location, or all)",
    )
    def get(self, request, business_id: int, master_id: int):
        master = get_object_or_404(Master.objects.all(), pk=master_id)
        location_id = query_params(OptionalLocationQuery, request).get("location_id")
        location = (
            get_object_or_404(Location.objects.all(), pk=location_id)
            if location_id is not None
            else None
        )
        return Response(WeeklyScheduleOut(_week(master, location)).data)

    @extend_schema(
        parameters=[LocationQuery],
        request=WeeklyScheduleIn,
        responses=WeeklyScheduleOut,
        summary="Replace a master's weekly shifts at a location",
    )
    def put(self, request, business_id: int, master_id: int):
        master = get_object_or_404(Master.objects.all(), pk=master_id)
        location = get_object_or_404(
            Location.objects.all(), pk=query_params(LocationQuery, request)["location_id"]
        )
        shifts = body(WeeklyScheduleIn, request)["shifts"]
        catalog_services.weekly_schedule_set(
            actor=request.user,
            business=self.business,
            master_id=master.pk,
            location_id=location.pk,
            shifts=shifts,
        )
        return Response(WeeklyScheduleOut(_week(master, location)).data)


def _days(rows) -> list[dict]:
    """Override rows (one per period, or one empty row for a day off) as days."""
    days = []
    for (day, location_id), group in groupby(rows, key=lambda r: (r.date, r.location_id)):
        periods = [r for r in group if r.start is not None]
        days.append(
            {"location_id": location_id, "date": day, "day_off": not periods, "periods": periods}
        )
    return days


@extend_schema(tags=["catalog"])
class DateOverrideListApi(BusinessScopedMixin, APIView):
    """Dates on which a master works other hours than the week says, or not at all."""

    capability_by_method = WRITE_CATALOG
    pagination_class = Pagination

    @extend_schema(
        parameters=[DateRangeQuery],
        responses=DateOverrideOut(many=True),
        summary="A master's days that differ from the week",
    )
    def get(self, request, business_id: int, master_id: int):
        master = get_object_or_404(Master.objects.all(), pk=master_id)
        query = query_params(DateRangeQuery, request)
        rows = DateOverride.objects.filter(master=master).order_by("date", "location_id", "start")
        if query.get("from"):
            rows = rows.filter(date__gte=query["from"])
        if query.get("to"):
            rows = rows.filter(date__lte=query["to"])
        if query.get("location_id"):
            rows = rows.filter(location_id=query["location_id"])
        return paginated(self, _days(rows), DateOverrideOut)

    @extend_schema(
        request=DateOverrideIn,
        responses={201: DateOverrideOut},
        summary="Set a master's hours on one date (no periods: a day off)",
    )
    def post(self, request, business_id: int, master_id: int):
        master = get_object_or_404(Master.objects.all(), pk=master_id)
        data = body(DateOverrideIn, request)
        rows = catalog_services.date_override_set(
            actor=request.user,
            business=self.business,
            master_id=master.pk,
            location_id=data["location_id"],
            day=data["date"],
            periods=data["periods"],
        )
        return Response(
            DateOverrideOut(
                _days(sorted(rows, key=lambda r: (r.start is not None, r.start)))[0]
            ).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema(tags=["catalog"])
class TimeOffListApi(BusinessScopedMixin, APIView):
    """A master's time off; instants are sent with their UTC offset and returned in UTC."""

    capability_by_method = WRITE_CATALOG
    pagination_class = Pagination

    @extend_schema(
        parameters=[TimeOffQuery], responses=TimeOffOut(many=True), summary="A master's time off"
    )
    def get(self, request, business_id: int, master_id: int):
        master = get_object_or_404(Master.objects.all(), pk=master_id)
        query = query_params(TimeOffQuery, request)
        rows = TimeOff.objects.filter(master=master).order_by("starts_at", "id")
        if query.get("from"):
            rows = rows.filter(ends_at__gt=query["from"])
        if query.get("to"):
            rows = rows.filter(starts_at__lt=query["to"])
        return paginated(self, rows, TimeOffOut)

    @extend_schema(
        request=TimeOffIn,
        responses={201: TimeOffOut},
        summary="Add time off (instants with their UTC offset)",
    )
    def post(self, request, business_id: int, master_id: int):
        master = get_object_or_404(Master.objects.all(), pk=master_id)
        time_off = catalog_services.time_off_add(
            actor=request.user,
            business=self.business,
            master_id=master.pk,
            **body(TimeOffIn, request),
        )
        return Response(TimeOffOut(time_off).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["catalog"])
class TimeOffDetailApi(BusinessScopedMixin, APIView):
    """One period of time off."""

    capability_by_method = WRITE_CATALOG

    @extend_schema(responses=TimeOffOut, summary="One period of time off")
    def get(self, request, business_id: int, time_off_id: int):
        return Response(TimeOffOut(get_object_or_404(TimeOff.objects.all(), pk=time_off_id)).data)

    @extend_schema(responses={204: None}, summary="Remove time off")
    def delete(self, request, business_id: int, time_off_id: int):
        time_off = get_object_or_404(TimeOff.objects.all(), pk=time_off_id)
        catalog_services.time_off_remove(
            actor=request.user, business=self.business, time_off_id=time_off.pk
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
