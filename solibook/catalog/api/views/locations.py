"""Catalogue API: a location's opening hours, closures and public holidays."""

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
    ClosureIn,
    ClosureOut,
    ClosureQuery,
    HolidayImportOut,
    HolidayProposalOut,
    OpeningHoursIn,
    OpeningHoursOut,
    YearIn,
)
from solibook.catalog.api.views.offerings import WRITE_BUSINESS
from solibook.catalog.models import Location, LocationClosure, OpeningHours
from solibook.core.time import to_local, utcnow


def _hours(location: Location) -> dict:
    return {
        "location_id": location.pk,
        "periods": OpeningHours.objects.filter(location=location).order_by("weekday", "opens"),
    }


@extend_schema(tags=["catalog"])
class OpeningHoursApi(BusinessScopedMixin, APIView):
    """When a location's doors are open, per weekday, in local "HH:MM"."""

    capability_by_method = WRITE_BUSINESS

    @extend_schema(responses=OpeningHoursOut, summary="A location's weekly opening hours")
    def get(self, request, business_id: int, location_id: int):
        return Response(
            OpeningHoursOut(_hours(get_object_or_404(Location.objects.all(), pk=location_id))).data
        )

    @extend_schema(
        request=OpeningHoursIn,
        responses=OpeningHoursOut,
        summary="Replace a location's weekly opening hours",
    )
    def put(self, request, business_id: int, location_id: int):
        location = get_object_or_404(Location.objects.all(), pk=location_id)
        periods = body(OpeningHoursIn, request)["periods"]
        catalog_services.opening_hours_set(
            actor=request.user, business=self.business, location_id=location.pk, periods=periods
        )
        return Response(OpeningHoursOut(_hours(location)).data)


@extend_schema(tags=["catalog"])
class ClosureListApi(BusinessScopedMixin, APIView):
    """Dates a location is closed (public holidays or the salon's choice)."""

    capability_by_method = WRITE_BUSINESS
    pagination_class = Pagination

    @extend_schema(
        parameters=[ClosureQuery],
        responses=ClosureOut(many=True),
        summary="Dates a location is closed",
    )
    def get(self, request, business_id: int, location_id: int):
        location = get_object_or_404(Location.objects.all(), pk=location_id)
        closures = LocationClosure.objects.filter(location=location).order_by("date")
        year = query_params(ClosureQuery, request).get("year")
        if year is not None:
            closures = closures.filter(date__year=year)
        return paginated(self, closures, ClosureOut)

    @extend_schema(
        request=ClosureIn, responses={201: ClosureOut}, summary="Close a location on a date"
    )
    def post(self, request, business_id: int, location_id: int):
        location = get_object_or_404(Location.objects.all(), pk=location_id)
        data = body(ClosureIn, request)
        closure = catalog_services.closure_add(
            actor=request.user,
            business=self.business,
            location_id=location.pk,
            day=data["date"],
            name=data["name"],
        )
        return Response(ClosureOut(closure).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["catalog"])
class ClosureDetailApi(BusinessScopedMixin, APIView):
    """One closure."""

    capability_by_method = WRITE_BUSINESS

    @extend_schema(responses=ClosureOut, summary="One closure")
    def get(self, request, business_id: int, closure_id: int):
        return Response(
            ClosureOut(get_object_or_404(LocationClosure.objects.all(), pk=closure_id)).data
        )

    @extend_schema(responses={204: None}, summary="Reopen a closed date")
    def delete(self, request, business_id: int, closure_id: int):
        closure = get_object_or_404(LocationClosure.objects.all(), pk=closure_id)
        catalog_services.closure_remove(
            actor=request.user, business=self.business, closure_id=closure.pk
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["catalog"])
class HolidaysApi(BusinessScopedMixin, APIView):
    """Public holidays of the location's country: GET proposes them, POST closes the location on all of them."""

    capability_by_method = WRITE_BUSINESS

    @extend_schema(
        parameters=[ClosureQuery],
        responses=HolidayProposalOut,
        summary="Public holidays of the location's country for a year (default: this year)",
    )
    def get(self, request, business_id: int, location_id: int):
        location = get_object_or_404(Location.objects.all(), pk=location_id)
        year = (
            query_params(ClosureQuery, request).get("year")
            or to_local(utcnow(), location.time_zone).year
        )
        closed = set(
            LocationClosure.objects.filter(location=location, date__year=year).values_list(
                "date", flat=True
            )
        )
        proposals = catalog_services.holidays_propose(location=location, year=year)
        holidays = [{"date": day, "name": name, "closed": day in closed} for day, name in proposals]
        return Response(
            HolidayProposalOut(
                {
                    "location_id": location.pk,
                    "country": location.country,
                    "year": year,
                    "holidays": holidays,
                }
            ).data
        )

    @extend_schema(
        request=YearIn,
        responses={201: HolidayImportOut},
        summary="Close the location on every public holiday of a year",
    )
    def post(self, request, business_id: int, location_id: int):
        location = get_object_or_404(Location.objects.all(), pk=location_id)
        year = body(YearIn, request)["year"]
        added = catalog_services.holidays_import(
            actor=request.user, business=self.business, location_id=location.pk, year=year
        )
        return Response(
            HolidayImportOut({"location_id": location.pk, "year": year, "added": added}).data,
            status=status.HTTP_201_CREATED,
        )
