"""The dashboards through the API: the same selector as the page
(`insights.dashboards.dashboard`), as JSON, CSV or XLSX (read only)."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from solibook.accounts.roles import Capability
from solibook.api.fields import IdField
from solibook.api.scoping import BusinessScopedMixin
from solibook.catalog.models import Location
from solibook.insights.dashboards import dashboard, period_check
from solibook.insights.exports import XLSX, export_file


class DashboardQuery(serializers.Serializer):
    location_id = IdField()
    start = serializers.DateField(help_text="First local day of the period.")
    end = serializers.DateField(
        help_text="Last local day of the period (included, at most 366 days)."
    )
    file_format = serializers.ChoiceField(
        choices=["json", "csv", "xlsx"], default="json", required=False
    )


class DashboardFiguresOut(serializers.Serializer):
    revenue = serializers.IntegerField(
        help_text="Net of VAT after discounts, less refunds; minor units."
    )
    service_revenue = serializers.IntegerField()
    retail_revenue = serializers.IntegerField()
    revenue_not_checked_out = serializers.IntegerField()
    checkouts = serializers.IntegerField()
    average_ticket = serializers.IntegerField(allow_null=True)
    bookings = serializers.IntegerField()
    completed = serializers.IntegerField()
    no_shows = serializers.IntegerField()
    cancellations = serializers.IntegerField()
    late_cancellations = serializers.IntegerField()
    no_show_rate = serializers.FloatField(allow_null=True)
    cancellation_rate = serializers.FloatField(allow_null=True)
    new_clients = serializers.IntegerField()
    returning_clients = serializers.IntegerField()
    worked_minutes = serializers.IntegerField()
    busy_minutes = serializers.IntegerField()
    occupancy = serializers.FloatField(allow_null=True)
    commissions = serializers.IntegerField(
        help_text="Marketplace commission on the period's visits."
    )
    is_empty = serializers.BooleanField()


class DashboardPointOut(serializers.Serializer):
    start = serializers.DateField(source="label")
    bookings = serializers.IntegerField()
    no_shows = serializers.IntegerField()
    revenue = serializers.IntegerField()


class DashboardMasterOut(serializers.Serializer):
    master_id = serializers.IntegerField()
    name = serializers.CharField()
    worked_minutes = serializers.IntegerField()
    busy_minutes = serializers.IntegerField()
    occupancy = serializers.FloatField(allow_null=True)


class DashboardSourceOut(serializers.Serializer):
    source = serializers.CharField()
    bookings = serializers.IntegerField()
    share = serializers.FloatField()
    commissions = serializers.IntegerField()


class DashboardCohortOut(serializers.Serializer):
    month = serializers.DateField()
    clients = serializers.IntegerField()
    retained = serializers.ListField(child=serializers.FloatField(allow_null=True))


class DashboardLifetimeOut(serializers.Serializer):
    clients = serializers.IntegerField()
    average = serializers.IntegerField(allow_null=True)
    median = serializers.IntegerField(allow_null=True)
    visits = serializers.FloatField(allow_null=True)


class DashboardProductOut(serializers.Serializer):
    product_id = serializers.IntegerField()
    name = serializers.CharField()
    units = serializers.IntegerField()
    revenue = serializers.IntegerField()


class DashboardPeriodOut(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()


class DashboardOut(serializers.Serializer):
    location_id = serializers.IntegerField(source="location.pk")
    currency = serializers.CharField()
    period = DashboardPeriodOut()
    previous_period = DashboardPeriodOut()
    is_empty = serializers.BooleanField()
    current = DashboardFiguresOut()
    previous = DashboardFiguresOut()
    grain = serializers.ChoiceField(choices=["day", "week", "month"])
    series = DashboardPointOut(many=True)
    masters = DashboardMasterOut(many=True)
    hours = serializers.ListField(child=serializers.IntegerField())
    heatmap = serializers.ListField(
        child=serializers.ListField(child=serializers.FloatField(allow_null=True)),
        help_text="Occupancy percent per local weekday (Monday first) and hour of `hours`.",
    )
    sources = DashboardSourceOut(many=True)
    cohorts = DashboardCohortOut(many=True)
    lifetime = DashboardLifetimeOut()
    products = DashboardProductOut(many=True)
    stock_value = serializers.IntegerField()
    low_stock = serializers.IntegerField()


class DashboardApi(BusinessScopedMixin, APIView):
    capability = Capability.VIEW_FINANCE

    @extend_schema(
        parameters=[DashboardQuery],
        responses={
            (200, "application/json"): DashboardOut,
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, XLSX): OpenApiTypes.BINARY,
        },
        summary="Dashboards of a location over a period, with the previous period",
        tags=["insights"],
    )
    def get(self, request, business_id: int):
        query = DashboardQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        values = query.validated_data
        period = period_check(values["start"], values["end"])
        location = get_object_or_404(Location.objects.all(), pk=values["location_id"])
        data = dashboard(business=self.business, location=location, period=period)
        fmt = values.get("file_format") or "json"
        if fmt != "json":
            content, content_type, name = export_file(data, fmt)
            response = HttpResponse(content, content_type=content_type)
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        return Response(DashboardOut(data).data)
