"""Input and output serializers. They validate shape only; services decide."""

from django.conf import settings
from django.utils.translation import gettext as _
from phonenumber_field.serializerfields import PhoneNumberField
from rest_framework import serializers

from solibook.accounts.models import Membership, User
from solibook.accounts.roles import Role
from solibook.catalog.models import Business, Location
from solibook.core.time import is_valid_zone


def _check_zone(value: str) -> str:
    if not is_valid_zone(value):
        raise serializers.ValidationError(
            _("%(value)s is not a known time zone.") % {"value": value}
        )
    return value


class UserOut(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "full_name",
            "phone",
            "language",
            "time_zone",
            "email_verified_at",
            "date_joined",
        ]
        read_only_fields = fields


class RegisterIn(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)
    full_name = serializers.CharField(max_length=150)
    phone = PhoneNumberField(required=False, allow_blank=True, default="")
    language = serializers.ChoiceField(choices=settings.LANGUAGES, default="en")
    time_zone = serializers.CharField(
        max_length=64, default="Europe/Paris", validators=[_check_zone]
    )


class ProfileIn(serializers.Serializer):
    full_name = serializers.CharField(max_length=150, required=False)
    phone = PhoneNumberField(required=False, allow_blank=True)
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)
    time_zone = serializers.CharField(max_length=64, required=False, validators=[_check_zone])


class BusinessOut(serializers.ModelSerializer):
    role = serializers.SerializerMethodField()

    class Meta:
        model = Business
        fields = [
            "id",
            "name",
            "slug",
            "description",
            "currency",
            "country",
            "is_listed",
            "created_at",
            "role",
        ]
        read_only_fields = fields

    def get_role(self, obj) -> str | None:
        roles = self.context.get("roles", {})
        return roles.get(obj.pk)


class BusinessIn(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    currency = serializers.CharField(min_length=3, max_length=3)
    country = serializers.CharField(min_length=2, max_length=2)
    description = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=5000
    )
    is_listed = serializers.BooleanField(required=False, default=True)


class LocationOut(serializers.ModelSerializer):
    class Meta:
        model = Location
        fields = [
            "id",
            "name",
            "slug",
            "address",
            "city",
            "postal_code",
            "country",
            "latitude",
            "longitude",
            "time_zone",
            "phone",
        ]
        read_only_fields = fields


class LocationIn(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    address = serializers.CharField(max_length=300)
    city = serializers.CharField(max_length=120)
    postal_code = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    country = serializers.CharField(min_length=2, max_length=2, required=False)
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, min_value=-90, max_value=90, required=False, allow_null=True
    )
    longitude = serializers.DecimalField(
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        required=False,
        allow_null=True,
    )
    time_zone = serializers.CharField(max_length=64, validators=[_check_zone])
    phone = PhoneNumberField(required=False, allow_blank=True, default="")


class LocationPatchIn(LocationIn):
    """Only the fields sent change: no defaults fill in what was not sent."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
            field.default = serializers.empty


class MemberOut(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email", read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "email", "full_name", "role", "created_at"]
        read_only_fields = fields


class MemberRoleIn(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)
