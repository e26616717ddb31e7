"""Partnerships API shapes."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from solibook.partnerships.models import Landing


class LandingEffectOut(serializers.Serializer):
    visits = serializers.IntegerField()
    bookings = serializers.IntegerField()
    code_uses = serializers.IntegerField()
    revenue = serializers.IntegerField(help_text="Integer minor units of the salon's currency.")


class LandingOut(serializers.ModelSerializer):
    code = serializers.CharField(source="promo.code", read_only=True)
    link_code = serializers.CharField(source="link.code", read_only=True)
    effect = serializers.SerializerMethodField()

    class Meta:
        model = Landing
        fields = [
            "id",
            "kind",
            "slug",
            "title",
            "description",
            "partner_name",
            "partner_url",
            "starts_on",
            "ends_on",
            "code",
            "link_code",
            "is_active",
            "effect",
        ]

    @extend_schema_field(LandingEffectOut)
    def get_effect(self, landing) -> dict:
        return LandingEffectOut((self.context.get("effects") or {})[landing.pk]).data


class LandingIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Landing.Kind.choices)
    title = serializers.CharField(max_length=120)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    code = serializers.CharField(max_length=32)
    discount_percent = serializers.IntegerField(
        min_value=1, max_value=100, required=False, allow_null=True, default=None
    )
    discount_amount = serializers.IntegerField(
        min_value=1, max_value=10**9, required=False, allow_null=True, default=None
    )
    max_redemptions = serializers.IntegerField(
        min_value=1, max_value=10**9, required=False, allow_null=True, default=None
    )
    slug = serializers.SlugField(max_length=60, required=False, allow_blank=True, default="")
    description = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default=""
    )
    partner_name = serializers.CharField(
        max_length=120, required=False, allow_blank=True, default=""
    )
    partner_url = serializers.URLField(required=False, allow_blank=True, default="")


class LandingActiveIn(serializers.Serializer):
    is_active = serializers.BooleanField()
