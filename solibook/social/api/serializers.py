"""Social publishing API shapes. The token is write-only: answers carry its
last four characters (`token_hint`)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from solibook.api.fields import IdField
from solibook.social.models import Delivery, Network, Post, SocialProfile
from solibook.social.selectors import post_effect


class SocialProfileOut(serializers.ModelSerializer):
    token_hint = serializers.CharField(read_only=True)

    class Meta:
        model = SocialProfile
        fields = ["id", "network", "name", "external_id", "token_hint", "is_active", "last_error"]


class SocialProfileIn(serializers.Serializer):
    network = serializers.ChoiceField(choices=Network.choices)
    name = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    external_id = serializers.CharField(max_length=64)
    token = serializers.CharField(max_length=512, write_only=True)


class SocialTokenIn(serializers.Serializer):
    token = serializers.CharField(max_length=512, write_only=True)


class DeliveryOut(serializers.ModelSerializer):
    network = serializers.CharField(source="profile.network", read_only=True)
    profile_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "profile_id",
            "network",
            "status",
            "external_id",
            "error",
            "error_code",
            "attempts",
            "published_at",
        ]


class PostEffectOut(serializers.Serializer):
    clicks = serializers.IntegerField()
    bookings = serializers.IntegerField()
    revenue = serializers.IntegerField(help_text="Integer minor units of the salon's currency.")


class SocialPostOut(serializers.ModelSerializer):
    link_code = serializers.CharField(source="link.code", read_only=True)
    deliveries = DeliveryOut(many=True, read_only=True)
    effect = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = [
            "id",
            "kind",
            "title",
            "text",
            "promo_id",
            "location_id",
            "service_id",
            "slot_start",
            "image",
            "link_code",
            "deliveries",
            "effect",
            "created_at",
        ]

    @extend_schema_field(PostEffectOut)
    def get_effect(self, post) -> dict:
        effects = self.context.get("effects") or {}
        effect = effects.get(post.link_id)
        if effect is None:
            effect = post_effect(post)
        return PostEffectOut(effect).data


class SocialPostIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Post.Kind.choices)
    profile_ids = serializers.ListField(child=IdField(), min_length=1, max_length=20)
    title = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    text = serializers.CharField(max_length=900, required=False, allow_blank=True, default="")
    promo_id = IdField(required=False, allow_null=True, default=None)
    location_id = IdField(required=False, allow_null=True, default=None)
    service_id = IdField(required=False, allow_null=True, default=None)
    slot_start = serializers.DateTimeField(required=False, allow_null=True, default=None)
    picture = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        default="",
        help_text='"location:<photo id>" or "master:<photo id>".',
    )


class SocialPublishIn(serializers.Serializer):
    delivery_id = IdField(required=False, allow_null=True, default=None)


class SlotsQueryIn(serializers.Serializer):
    location_id = IdField()
    service_id = IdField()


class FreeSlotOut(serializers.Serializer):
    start = serializers.DateTimeField()
    master_names = serializers.ListField(child=serializers.CharField())
    price_amount = serializers.IntegerField()
