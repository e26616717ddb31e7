"""Shapes of the style advisor API."""

from rest_framework import serializers

from solibook.styleadvisor.catalogue import FACES, HAIR_TYPES, LENGTHS, OCCASIONS, TONES
from solibook.styleadvisor.selectors import MAX_WISHES


class QuestionnaireIn(serializers.Serializer):
    face = serializers.ChoiceField(choices=list(FACES), required=False, allow_blank=True)
    hair_type = serializers.ChoiceField(choices=list(HAIR_TYPES), required=False, allow_blank=True)
    length = serializers.ChoiceField(choices=list(LENGTHS), required=False, allow_blank=True)
    tone = serializers.ChoiceField(choices=list(TONES), required=False, allow_blank=True)
    occasion = serializers.ChoiceField(choices=list(OCCASIONS), required=False, allow_blank=True)
    wishes = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=MAX_WISHES,
        help_text="Free text in English, French, Russian or Arabic; may be empty.",
    )


class StyleServiceOut(serializers.Serializer):
    service_id = serializers.IntegerField()
    location_id = serializers.IntegerField()
    name = serializers.CharField()
    price_amount = serializers.IntegerField(help_text="Minor units; the cheapest master's.")
    price_is_from = serializers.BooleanField()
    currency = serializers.CharField()
    duration_minutes = serializers.IntegerField()
    book_url = serializers.CharField(help_text="The booking wizard with this service chosen.")


class StyleOut(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    picture_url = serializers.CharField()
    score = serializers.FloatField()
    reasons = serializers.ListField(
        child=serializers.CharField(), help_text="face, hair_type, tone, occasion, wishes"
    )
    services = StyleServiceOut(many=True)


class AdviceOut(serializers.Serializer):
    styles = StyleOut(many=True)
    notes = serializers.ListField(child=serializers.CharField())
