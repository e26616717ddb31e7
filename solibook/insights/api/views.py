"""Staff performance per master over a period (read only)."""

from datetime import date

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from solibook.accounts.roles import Capability
from solibook.api.fields import IdField
from solibook.api.scoping import BusinessScopedMixin
from solibook.catalog.models import Location
from solibook.insights.selectors import MAX_DAYS, staff_performance


class PerformanceQuery(serializers.Serializer):
    location_id = IdField()
    start = serializers.DateField(help_text="First local day of the period.")
    end = serializers.DateField(help_text="Last local day of the period (included).")

    def validate(self, data):
        if not 0 <= (data["end"] - data["start"]).days < MAX_DAYS:
            raise serializers.ValidationError(
                {
                    "end": [
                        _("Choose a period of 1 to %(n)d days, ending after it starts.")
                        % {"n": MAX_DAYS}
                    ]
                }
            )
        if data["start"] < date(2000, 1, 1) or data["end"] > date(2200, 1, 1):
            raise serializers.ValidationError(
                {
                    "start": [
                        _("Choose a period of 1 to %(n)d days, ending after it starts.")
                        % {"n": MAX_DAYS}
                    ]
                }
            )
        return data


class MasterPerformanceOut(serializers.Serializer):
    master_id = serializers.IntegerField(source="master.pk")
    master_name = serializers.CharField(source="master.display_name")
    revenue = serializers.IntegerField(
        help_text="Services performed, net of VAT after discounts (the commission base): "
        "checked out, plus completed visits not checked out yet. Minor units."
    )
    revenue_not_checked_out = serializers.IntegerField(
        help_text="Of `revenue`: completed visits not checked out yet (not in the P&L)."
    )
    appointments = serializers.IntegerField()
    completed = serializers.IntegerField()
    no_shows = serializers.IntegerField()
    worked_minutes = serializers.IntegerField()
    busy_minutes = serializers.IntegerField()
    occupancy = serializers.FloatField(
        allow_null=True, help_text="Percent of scheduled time busy with clients."
    )
    rebooking_rate = serializers.FloatField(
        allow_null=True, help_text="Percent of completed visits rebooked within 7 days."
    )
    no_show_rate = serializers.FloatField(allow_null=True)
    rating = serializers.FloatField(
        allow_null=True, help_text="Average published review rating (null without reviews)."
    )
    rating_count = serializers.IntegerField()


class PerformanceOut(serializers.Serializer):
    location_id = serializers.IntegerField()
    start = serializers.DateField()
    end = serializers.DateField()
    currency = serializers.CharField()
    masters = MasterPerformanceOut(many=True)


class StaffPerformanceApi(BusinessScopedMixin, APIView):
    capability = Capability.VIEW_STAFF_PERFORMANCE

    @extend_schema(
        parameters=[PerformanceQuery],
        responses=PerformanceOut,
        summary="Performance per master over a period",
        tags=["staff"],
    )
    def get(self, request, business_id: int):
        query = PerformanceQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        values = query.validated_data
        location = get_object_or_404(Location.objects.all(), pk=values["location_id"])
        rows = staff_performance(
            business=self.business,
            location=location,
            first_day=values["start"],
            last_day=values["end"],
        )
        return Response(
            PerformanceOut(
                {
                    "location_id": location.pk,
                    "start": values["start"],
                    "end": values["end"],
                    "currency": self.business.currency,
                    "masters": rows,
                }
            ).data
        )
