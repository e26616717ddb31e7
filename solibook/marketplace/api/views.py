"""Public marketplace reads: search, a salon, a comparison. No login; the
`public_search` throttle scope limits each client. Thin: validate the shape,
call the marketplace selector the pages call, serialise."""

from django.utils import timezone
from django_scopes import scopes_disabled
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from solibook.core.time import validate_engine_date
from solibook.marketplace.forms import build_query
from solibook.marketplace.search import MAX_QUERY_LENGTH, SORTS, salon_search
from solibook.marketplace.selectors import category_or_404, compare_salons, salon_page


class SearchIn(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=MAX_QUERY_LENGTH,
        help_text="Free text over salon and service names.",
    )
    category = serializers.SlugField(required=False, max_length=80)
    city = serializers.CharField(required=False, max_length=120, help_text="City name or slug.")
    lat = serializers.FloatField(required=False, min_value=-90, max_value=90)
    lng = serializers.FloatField(required=False, min_value=-180, max_value=180)
    radius_km = serializers.FloatField(
        required=False, min_value=0.1, max_value=200, help_text="Needs lat and lng; 0.1-200 km."
    )
    price_min = serializers.IntegerField(
        required=False, min_value=0, max_value=10**9, help_text="Minor units."
    )
    price_max = serializers.IntegerField(
        required=False, min_value=0, max_value=10**9, help_text="Minor units."
    )
    rating_min = serializers.FloatField(required=False, min_value=1, max_value=5)
    open_now = serializers.BooleanField(required=False, default=False)
    date = serializers.DateField(
        required=False,
        help_text="Local date for free time, YYYY-MM-DD.",
        validators=[validate_engine_date],
    )
    time_from = serializers.TimeField(required=False, help_text="Local time, HH:MM.")
    time_to = serializers.TimeField(required=False)
    sort = serializers.ChoiceField(choices=SORTS, required=False, default="relevance")
    page = serializers.IntegerField(required=False, min_value=1, max_value=10000, default=1)


class MarketplaceSlotOut(serializers.Serializer):
    start = serializers.DateTimeField()
    service_id = serializers.IntegerField()
    service_name = serializers.CharField()
    master_id = serializers.IntegerField()


class SalonResultOut(serializers.Serializer):
    id = serializers.IntegerField(source="salon.pk")
    business_slug = serializers.CharField(source="salon.business_slug")
    location_id = serializers.IntegerField(source="salon.location_id")
    name = serializers.CharField(source="salon.name")
    location_name = serializers.CharField(source="salon.location_name")
    city = serializers.CharField(source="salon.city")
    address = serializers.CharField(source="salon.address")
    latitude = serializers.FloatField(source="salon.latitude", allow_null=True)
    longitude = serializers.FloatField(source="salon.longitude", allow_null=True)
    currency = serializers.CharField(source="salon.currency")
    price = serializers.IntegerField(
        allow_null=True, help_text="Cheapest matching service, minor units."
    )
    distance_km = serializers.FloatField(allow_null=True)
    rating = serializers.FloatField(source="rating_average", allow_null=True)
    review_count = serializers.SerializerMethodField()
    promoted = serializers.BooleanField()
    offers = serializers.ListField(child=serializers.CharField())
    next_free_slot = MarketplaceSlotOut(source="slot", allow_null=True)

    def get_review_count(self, result) -> int:
        return (result.rating or {}).get("count", 0)


class SearchOut(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = SalonResultOut(many=True)


class _Public(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "public_search"


class MarketplaceSearchApi(_Public):
    @extend_schema(
        parameters=[SearchIn],
        responses=SearchOut,
        summary="Search listed salons (free text, category, place, price, rating, free time)",
    )
    def get(self, request):
        data = SearchIn(data=request.query_params)
        data.is_valid(raise_exception=True)
        with scopes_disabled():
            page = salon_search(query=build_query(dict(data.validated_data)))
        body = {
            "count": page.total,
            "page": page.page,
            "pages": page.pages,
            "results": SalonResultOut(page.results, many=True).data,
        }
        return Response(body)


class MarketplaceServiceOut(serializers.Serializer):
    id = serializers.IntegerField(source="service_id")
    name = serializers.CharField()
    category = serializers.CharField(source="category.slug")
    price = serializers.IntegerField(source="price_amount")
    price_is_from = serializers.BooleanField()
    currency = serializers.CharField()
    duration_minutes = serializers.IntegerField()


class MarketplaceLocationOut(serializers.Serializer):
    id = serializers.IntegerField(source="location_id")
    name = serializers.CharField(source="location_name")
    address = serializers.CharField()
    city = serializers.CharField()
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    time_zone = serializers.CharField()
    opening_hours = serializers.DictField(
        child=serializers.ListField(child=serializers.ListField(child=serializers.IntegerField())),
        help_text="Weekday (0 = Monday) -> [[open minute, close minute]] local.",
    )


class SalonOut(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    currency = serializers.CharField()
    locations = MarketplaceLocationOut(many=True)
    services = MarketplaceServiceOut(many=True)
    masters = serializers.ListField(child=serializers.DictField())
    rating = serializers.FloatField(allow_null=True)
    review_count = serializers.IntegerField()
    cancellation_window_hours = serializers.IntegerField()
    cancellation_fee_percent = serializers.IntegerField()
    deposit_rule = serializers.CharField()
    deposit_value = serializers.IntegerField()


class MarketplaceSalonApi(_Public):
    @extend_schema(
        responses=SalonOut, summary="A listed salon: locations, services, masters, policies"
    )
    def get(self, request, slug: str):
        data = salon_page(slug=slug)
        b = data.business
        rating = data.rating or {}
        body = {
            "slug": b.slug,
            "name": b.name,
            "description": b.description,
            "currency": b.currency,
            "locations": MarketplaceLocationOut(data.listings, many=True).data,
            "services": MarketplaceServiceOut(
                [s for _c, services in data.services for s in services], many=True
            ).data,
            "masters": [{"id": m.pk, "name": m.display_name} for m in data.masters],
            "rating": float(rating["average"]) if rating.get("average") is not None else None,
            "review_count": rating.get("count", 0),
            "cancellation_window_hours": b.cancellation_window_hours,
            "cancellation_fee_percent": b.cancellation_fee_percent,
            "deposit_rule": b.deposit_rule,
            "deposit_value": b.deposit_value,
        }
        return Response(body)


class CompareIn(serializers.Serializer):
    salon = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        min_length=2,
        max_length=4,
        help_text="2-4 salon ids (search results' id).",
    )
    category = serializers.SlugField(required=False, max_length=80)
    date = serializers.DateField(required=False, validators=[validate_engine_date])
    lat = serializers.FloatField(required=False, min_value=-90, max_value=90)
    lng = serializers.FloatField(required=False, min_value=-180, max_value=180)


class ComparedOut(serializers.Serializer):
    id = serializers.IntegerField(source="salon.pk")
    name = serializers.CharField(source="salon.name")
    location_name = serializers.CharField(source="salon.location_name")
    business_slug = serializers.CharField(source="salon.business_slug")
    service_name = serializers.CharField()
    price = serializers.IntegerField(allow_null=True)
    currency = serializers.CharField()
    rating = serializers.FloatField(source="rating_average", allow_null=True)
    distance_km = serializers.FloatField(allow_null=True)
    next_free_slot = MarketplaceSlotOut(source="slot", allow_null=True)
    cancellation_window_hours = serializers.IntegerField(source="salon.cancellation_window_hours")
    cancellation_fee_percent = serializers.IntegerField(source="salon.cancellation_fee_percent")
    deposit_rule = serializers.CharField(source="salon.deposit_rule")
    deposit_value = serializers.IntegerField(source="salon.deposit_value")


class MarketplaceCompareApi(_Public):
    @extend_schema(
        parameters=[CompareIn],
        responses=ComparedOut(many=True),
        summary="Two to four salons side by side",
    )
    def get(self, request):
        data = CompareIn(
            data={**request.query_params.dict(), "salon": request.query_params.getlist("salon")}
        )
        data.is_valid(raise_exception=True)
        values = data.validated_data
        with scopes_disabled():
            category = category_or_404(values["category"]) if values.get("category") else None
            rows = compare_salons(
                salon_ids=values["salon"],
                category=category,
                day=values.get("date"),
                lat=values.get("lat"),
                lng=values.get("lng"),
                now=timezone.now(),
            )
        return Response(ComparedOut(rows, many=True).data)
