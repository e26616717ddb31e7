"""Forecasting's API: the same selectors as the pages (read only), and a
refit request. Owners and managers (`manage_catalog`)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from solibook.accounts.roles import Capability
from solibook.api.fields import IdField
from solibook.api.scoping import BusinessScopedMixin
from solibook.catalog.models import Location, Service
from solibook.forecasting import services
from solibook.forecasting.pricing import price_advice
from solibook.forecasting.selectors import (
    MAX_DAYS,
    STAFFING_DAYS,
    forecast_view,
    staffing_advice,
)

TAGS = ["forecasting"]


class ForecastQuery(serializers.Serializer):
    location_id = IdField()
    days = serializers.IntegerField(
        min_value=1, max_value=MAX_DAYS, default=14, help_text="Days ahead (1 to 28)."
    )


class StaffingQuery(serializers.Serializer):
    location_id = IdField()
    days = serializers.IntegerField(
        min_value=1, max_value=STAFFING_DAYS, default=7, help_text="Days ahead (1 to 14)."
    )


class PriceAdviceQuery(serializers.Serializer):
    location_id = IdField(help_text="The location whose city, occupancy and bookings count.")
    service_id = IdField(required=False, help_text="One service; every active one when left out.")


class ForecastBandOut(serializers.Serializer):
    mean = serializers.FloatField()
    low = serializers.FloatField(help_text="Lower bound of the 80% prediction interval.")
    high = serializers.FloatField(help_text="Upper bound of the 80% prediction interval.")


class ForecastDayOut(ForecastBandOut):
    day = serializers.DateField()
    closed = serializers.BooleanField()


class ServiceForecastOut(serializers.Serializer):
    service_id = serializers.IntegerField()
    name = serializers.CharField()
    next_7_days = ForecastBandOut()
    period = ForecastBandOut()
    days = ForecastDayOut(many=True)


class ForecastBacktestOut(serializers.Serializer):
    wape = serializers.DictField(
        child=serializers.FloatField(), help_text="WAPE per method (gbm, seasonal_naive…)."
    )
    coverage = serializers.FloatField(
        allow_null=True, help_text="Share of held-out days inside the 80% interval."
    )
    folds = serializers.IntegerField()
    train_rows = serializers.IntegerField()
    test_rows = serializers.IntegerField()


class ForecastHourlyRowOut(serializers.Serializer):
    day = serializers.DateField()
    cells = serializers.ListField(
        child=serializers.FloatField(), help_text="Hours of work expected, one per hour of `hours`."
    )
    low = serializers.ListField(child=serializers.FloatField(), help_text="80% lower bounds.")
    high = serializers.ListField(child=serializers.FloatField(), help_text="80% upper bounds.")


class ForecastOut(serializers.Serializer):
    location_id = serializers.IntegerField()
    state = serializers.ChoiceField(
        choices=["none", "no_history", "baseline", "ready"],
        help_text="none: not fitted yet; no_history: under two weeks of visits; baseline: "
        "under ten weeks (each weekday's average); ready: the backtested model.",
    )
    note = serializers.CharField(allow_blank=True)
    fitted_at = serializers.DateTimeField(allow_null=True)
    method = serializers.CharField(allow_blank=True)
    hourly_method = serializers.CharField(allow_blank=True)
    backtest = ForecastBacktestOut(allow_null=True)
    hourly_backtest = ForecastBacktestOut(allow_null=True)
    days = ForecastDayOut(many=True)
    services = ServiceForecastOut(many=True)
    hours = serializers.ListField(child=serializers.IntegerField())
    hourly = ForecastHourlyRowOut(many=True, help_text="Hours of work per hour, the next 7 days.")


def _band(triple) -> dict:
    return {"mean": triple[0], "low": triple[1], "high": triple[2]}


def _day(d) -> dict:
    return {"day": d.day, "closed": d.closed, "mean": d.mean, "low": d.lo, "high": d.hi}


def _backtest(data: dict | None) -> dict | None:
    if not data:
        return None
    return {k: data[k] for k in ("wape", "coverage", "folds", "train_rows", "test_rows")}


NOTES = {
    "none": lambda: _("No forecast yet: it is fitted in the background once a day."),
    "no_history": lambda: _("Too little history to forecast: at least two weeks of visits."),
    "baseline": lambda: _(
        "Less than ten weeks of history: the forecast is each weekday's average (the baseline)."
    ),
    "ready": lambda: "",
}


class ForecastApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_CATALOG

    @extend_schema(
        parameters=[ForecastQuery],
        responses=ForecastOut,
        summary="Demand forecast of a location: per day, per service, per hour",
        tags=TAGS,
    )
    def get(self, request, business_id: int):
        query = ForecastQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        location = get_object_or_404(Location.objects.all(), pk=query.validated_data["location_id"])
        view = forecast_view(location=location, days=query.validated_data["days"])
        return Response(
            ForecastOut(
                {
                    "location_id": location.pk,
                    "state": view.state,
                    "note": NOTES[view.state](),
                    "fitted_at": view.run.fitted_at if view.run else None,
                    "method": view.method,
                    "hourly_method": view.hourly_method,
                    "backtest": _backtest(view.backtest),
                    "hourly_backtest": _backtest(view.hourly_backtest),
                    "days": [_day(d) for d in view.days],
                    "services": [
                        {
                            "service_id": s.service_id,
                            "name": s.name,
                            "next_7_days": _band(s.week),
                            "period": _band(s.period),
                            "days": [_day(d) for d in s.days],
                        }
                        for s in view.services
                    ],
                    "hours": view.hours,
                    "hourly": view.hourly,
                }
            ).data
        )


class ForecastRefreshOut(serializers.Serializer):
    queued = serializers.BooleanField()


class ForecastRefreshApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_CATALOG

    @extend_schema(
        request=None,
        responses={202: ForecastRefreshOut},
        summary="Refit the business's forecasts in the background",
        tags=TAGS,
    )
    def post(self, request, business_id: int):
        services.forecast_refresh(business=self.business, actor=request.user)
        return Response({"queued": True}, status=status.HTTP_202_ACCEPTED)


class StaffingAdviceOut(serializers.Serializer):
    day = serializers.DateField()
    start_hour = serializers.IntegerField(source="start")
    end_hour = serializers.IntegerField(source="end")
    category_id = serializers.IntegerField()
    category = serializers.CharField()
    more = serializers.IntegerField(
        help_text="Masters to add (positive) or that could be spared (-1)."
    )
    expected = serializers.FloatField(help_text="Peak hours of work an hour expected.")
    scheduled = serializers.IntegerField()
    text = serializers.CharField()


class StaffingCellOut(serializers.Serializer):
    day = serializers.DateField()
    hour = serializers.IntegerField()
    category_id = serializers.IntegerField()
    expected = serializers.FloatField()
    high = serializers.FloatField()
    scheduled = serializers.IntegerField()
    needed = serializers.IntegerField()


class StaffingOut(serializers.Serializer):
    location_id = serializers.IntegerField()
    forecast = serializers.BooleanField(help_text="False: no forecast yet, so no advice.")
    advice = StaffingAdviceOut(many=True)
    cells = StaffingCellOut(many=True)


class StaffingApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_CATALOG

    @extend_schema(
        parameters=[StaffingQuery],
        responses=StaffingOut,
        summary="Staffing advice: expected work per category and hour against the schedule",
        tags=TAGS,
    )
    def get(self, request, business_id: int):
        query = StaffingQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        location = get_object_or_404(Location.objects.all(), pk=query.validated_data["location_id"])
        staffing = staffing_advice(location=location, days=query.validated_data["days"])
        return Response(
            StaffingOut(
                {
                    "location_id": location.pk,
                    "forecast": bool(staffing.run and staffing.run.result),
                    "advice": staffing.advice,
                    "cells": staffing.cells,
                }
            ).data
        )


class PriceEffectOut(serializers.Serializer):
    price = serializers.IntegerField(help_text="Minor units.")
    ratio = serializers.FloatField(help_text="New price / current price.")
    bookings = serializers.ListField(
        child=serializers.FloatField(), help_text="Change of bookings: expected, low, high (95%)."
    )
    revenue = serializers.ListField(
        child=serializers.FloatField(), help_text="Change of revenue: expected, low, high (95%)."
    )


class MarketPriceOut(serializers.Serializer):
    median = serializers.IntegerField()
    low = serializers.IntegerField(help_text="First quartile.")
    high = serializers.IntegerField(help_text="Third quartile.")
    salons = serializers.IntegerField()


class PriceElasticityOut(serializers.Serializer):
    estimate = serializers.FloatField(allow_null=True, help_text="From the bookings alone.")
    se = serializers.FloatField(allow_null=True)
    weeks = serializers.IntegerField()
    posterior = serializers.FloatField(help_text="Shrunk towards the prior.")
    low = serializers.FloatField()
    high = serializers.FloatField()
    source = serializers.ChoiceField(choices=["data", "shrunk", "prior"])


class PriceOffPeakOut(serializers.Serializer):
    weekday = serializers.IntegerField()
    part = serializers.ChoiceField(choices=["morning", "afternoon", "evening"])
    occupancy = serializers.FloatField(source="share")
    effect = PriceEffectOut(allow_null=True)


class ServicePriceAdviceOut(serializers.Serializer):
    service_id = serializers.IntegerField(source="service.pk")
    name = serializers.CharField(source="service.name")
    current_price = serializers.IntegerField(source="current")
    bookings = serializers.IntegerField(help_text="In the last year at this location.")
    fallback = serializers.ChoiceField(
        choices=["", "market", "none"],
        help_text="market: too few bookings, the band is the market's; none: no advice.",
    )
    market = MarketPriceOut(allow_null=True)
    elasticity = PriceElasticityOut(allow_null=True)
    band = serializers.ListField(child=serializers.IntegerField(), allow_null=True)
    recommended = serializers.IntegerField(allow_null=True)
    effect = PriceEffectOut(allow_null=True)
    off_peak = PriceOffPeakOut(many=True)
    notes = serializers.ListField(child=serializers.CharField())


class PriceOccupancyOut(serializers.Serializer):
    weekday = serializers.IntegerField()
    part = serializers.CharField()
    share = serializers.FloatField(allow_null=True)


class PriceAdviceOut(serializers.Serializer):
    location_id = serializers.IntegerField(source="location.pk")
    currency = serializers.CharField()
    services = ServicePriceAdviceOut(many=True)
    occupancy = PriceOccupancyOut(many=True)


class PriceAdviceApi(BusinessScopedMixin, APIView):
    capability = Capability.MANAGE_CATALOG

    @extend_schema(
        parameters=[PriceAdviceQuery],
        responses=PriceAdviceOut,
        summary="Price advice per service: band, expected effect, market, off-peak discounts",
        tags=TAGS,
    )
    def get(self, request, business_id: int):
        query = PriceAdviceQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        location = get_object_or_404(Location.objects.all(), pk=query.validated_data["location_id"])
        service = None
        if query.validated_data.get("service_id"):
            service = get_object_or_404(
                Service.objects.all(), pk=query.validated_data["service_id"]
            )
        advice = price_advice(location=location, service=service)
        data = {
            "location": location,
            "currency": self.business.currency,
            "services": [
                {
                    **vars(a),
                    "fallback": a.fallback,
                    "market": vars(a.market) if a.market else None,
                    "elasticity": None
                    if a.elasticity is None
                    else {**vars(a.elasticity), "low": a.elasticity.low, "high": a.elasticity.high},
                    "band": list(a.band) if a.band else None,
                }
                for a in advice.services
            ],
            "occupancy": advice.occupancy,
        }
        return Response(PriceAdviceOut(data).data)
