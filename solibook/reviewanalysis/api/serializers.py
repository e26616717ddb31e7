"""Shapes of the review analysis API (read only)."""

from rest_framework import serializers

from solibook.api.fields import IdField
from solibook.reviewanalysis.engine import ASPECTS, LANGUAGES, OTHER, SENTIMENTS


class SummaryQuery(serializers.Serializer):
    master_id = IdField(required=False, help_text="One master's reviews only.")


class ReadingsQuery(serializers.Serializer):
    sentiment = serializers.ChoiceField(choices=SENTIMENTS, required=False)
    language = serializers.ChoiceField(choices=[*LANGUAGES, OTHER], required=False)
    limit = serializers.IntegerField(min_value=1, max_value=200, default=50)


class ReviewQuoteOut(serializers.Serializer):
    text = serializers.CharField()
    review_id = serializers.IntegerField()
    rating = serializers.IntegerField()
    author = serializers.CharField()
    date = serializers.DateField()


class AspectOut(serializers.Serializer):
    aspect = serializers.ChoiceField(choices=ASPECTS)
    positive = serializers.IntegerField()
    negative = serializers.IntegerField()
    mentions = serializers.IntegerField()
    positive_share = serializers.FloatField()
    negative_share = serializers.FloatField()
    quotes_pos = ReviewQuoteOut(many=True)
    quotes_neg = ReviewQuoteOut(many=True)


class TrendOut(serializers.Serializer):
    month = serializers.DateField()
    reviews = serializers.IntegerField()
    average_rating = serializers.FloatField(allow_null=True)
    positive_share = serializers.FloatField(allow_null=True)
    negative_share = serializers.FloatField(allow_null=True)


class AlertOut(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    master_id = serializers.IntegerField(allow_null=True)
    count = serializers.IntegerField()
    first_review_id = serializers.IntegerField()
    last_review_id = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    notified_at = serializers.DateTimeField(allow_null=True)


class MasterRowOut(serializers.Serializer):
    master_id = serializers.IntegerField(source="master.pk")
    master_name = serializers.CharField(source="master.display_name")
    reviews = serializers.IntegerField()
    average_rating = serializers.FloatField()
    positive_share = serializers.FloatField(allow_null=True)
    strength = serializers.CharField(help_text="An aspect, or empty.")
    weakness = serializers.CharField(help_text="An aspect, or empty.")


class SummaryOut(serializers.Serializer):
    since = serializers.DateField()
    until = serializers.DateField()
    reviews = serializers.IntegerField()
    analysed = serializers.IntegerField()
    average_rating = serializers.FloatField(allow_null=True)
    sentiment = serializers.DictField(child=serializers.IntegerField())
    languages = serializers.DictField(child=serializers.IntegerField())
    strengths = serializers.ListField(child=serializers.CharField())
    weaknesses = serializers.ListField(child=serializers.CharField())
    aspects = AspectOut(many=True)
    trend = TrendOut(many=True)
    alerts = AlertOut(many=True)
    masters = MasterRowOut(many=True)
    note = serializers.CharField(help_text="Why figures are missing, in the reader's language.")


class ReadingOut(serializers.Serializer):
    review_id = serializers.IntegerField()
    rating = serializers.IntegerField(source="review.rating")
    created_at = serializers.DateTimeField(source="review.created_at")
    language = serializers.CharField(help_text="en, fr, ru, ar or other")
    language_note = serializers.CharField(
        help_text="For `other`: foreign (another language), short (too short to tell), empty."
    )
    sentiment = serializers.CharField(help_text="positive, mixed, negative; empty without text")
    confidence = serializers.FloatField()
    aspects = serializers.DictField(help_text="aspect → {polarity: pos|neg, quote, p}")
