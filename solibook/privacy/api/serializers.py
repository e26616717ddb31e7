"""Shapes of the personal-data API."""

from rest_framework import serializers


class ExportOut(serializers.Serializer):
    exported_at = serializers.CharField()
    profile = serializers.DictField()
    visits = serializers.ListField(child=serializers.DictField())
    reviews = serializers.ListField(child=serializers.DictField())
    favourites = serializers.ListField(child=serializers.DictField())
    offers_used = serializers.ListField(child=serializers.DictField())
