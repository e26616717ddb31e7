"""Accounts API shapes: users, sign-up, profile. They validate shape only; services decide."""

from django.conf import settings
from phonenumber_field.serializerfields import PhoneNumberField
from rest_framework import serializers

from solibook.accounts.models import User
from solibook.core.validators import validate_time_zone


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
        max_length=64, default="Europe/Paris", validators=[validate_time_zone]
    )


class ProfileIn(serializers.Serializer):
    full_name = serializers.CharField(max_length=150, required=False)
    phone = PhoneNumberField(required=False, allow_blank=True)
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)
    time_zone = serializers.CharField(
        max_length=64, required=False, validators=[validate_time_zone]
    )
