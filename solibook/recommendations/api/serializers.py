"""Shapes of the recommendations API."""

from rest_framework import serializers


class SuggestedServiceOut(serializers.Serializer):
    service_id = serializers.IntegerField(source="item.pk")
    name = serializers.CharField(source="item.name")
    price_amount = serializers.IntegerField(source="item.price_amount")
    currency = serializers.CharField(source="item.currency")
    score = serializers.FloatField(help_text="Higher is better; only the order is meaningful.")
    reasons = serializers.ListField(child=serializers.CharField())


class SuggestedProductOut(serializers.Serializer):
    product_id = serializers.IntegerField(source="item.pk")
    name = serializers.CharField(source="item.display_name")
    price_amount = serializers.IntegerField(source="item.price_amount")
    currency = serializers.CharField(source="item.currency")
    score = serializers.FloatField(help_text="Higher is better; only the order is meaningful.")
    reasons = serializers.ListField(child=serializers.CharField())


class SuggestionsOut(serializers.Serializer):
    services = SuggestedServiceOut(many=True)
    products = SuggestedProductOut(many=True)
    notes = serializers.ListField(
        child=serializers.CharField(),
        help_text="Why there is little or nothing: a new salon, a card without visits.",
    )


class SalonSuggestionsOut(SuggestionsOut):
    business_id = serializers.IntegerField()
    business_name = serializers.CharField()
    location_id = serializers.IntegerField(allow_null=True)


class BookedTogetherOut(serializers.Serializer):
    services = SuggestedServiceOut(many=True)
