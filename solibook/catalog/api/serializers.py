"""Catalogue API shapes: settings, services, masters, resources, schedules,
opening hours and closures.

Input serializers check shape only (types, formats, lengths); ranges, overlaps,
currencies and ownership are decided by `catalog.services`, which name the
offending field in their errors. Money is an integer of minor units; wall-clock
times are "HH:MM" local to the location; instants are ISO 8601 with an offset
and come back in UTC.
"""

from datetime import UTC
from typing import Any

from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from phonenumber_field.serializerfields import PhoneNumberField
from rest_framework import serializers
from rest_framework.fields import empty

from solibook.accounts.models import Membership
from solibook.accounts.roles import Role
from solibook.api.fields import AwareDateTimeField, IdField, WallClockField
from solibook.catalog.models import (
    Business,
    Category,
    DepositRule,
    Location,
    LocationClosure,
    Master,
    Resource,
    ResourceType,
    Service,
    ServiceStep,
    ServiceVariant,
    TimeOff,
    Weekday,
)
from solibook.core.validators import validate_time_zone


def _clock(**kwargs) -> serializers.TimeField:
    return WallClockField(**kwargs)


class PatchMixin:
    """Every top-level field optional and without default: a PATCH changes
    only what it sends (nested items stay complete)."""

    fields: Any  # the serializer's that the mixin is combined with

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
            field.default = empty


# ---------------------------------------------------------------- business settings


class BusinessSettingsOut(serializers.ModelSerializer):
    languages = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Business
        fields = [
            "id",
            "name",
            "slug",
            "description",
            "legal_name",
            "registration_number",
            "vat_number",
            "currency",
            "country",
            "languages",
            "is_listed",
            "lead_time_minutes",
            "horizon_days",
            "slot_step_minutes",
            "cancellation_window_hours",
            "cancellation_fee_percent",
            "no_show_grace_minutes",
            "no_show_undo_minutes",
            "deposit_rule",
            "deposit_value",
        ]
        read_only_fields = fields


class BusinessSettingsIn(PatchMixin, serializers.Serializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000, allow_blank=True)
    legal_name = serializers.CharField(max_length=200, allow_blank=True)
    registration_number = serializers.CharField(max_length=64, allow_blank=True)
    vat_number = serializers.CharField(max_length=64, allow_blank=True)
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=sorted(LANG_INFO)),
        max_length=20,
        help_text='Language codes spoken at the salon, e.g. ["fr", "en"].',
    )
    is_listed = serializers.BooleanField()
    lead_time_minutes = serializers.IntegerField(help_text="Minimum notice before a booking.")
    horizon_days = serializers.IntegerField(help_text="How far ahead clients may book.")
    slot_step_minutes = serializers.IntegerField()
    cancellation_window_hours = serializers.IntegerField(
        help_text="Free cancellation until this many hours before."
    )
    cancellation_fee_percent = serializers.IntegerField()
    no_show_grace_minutes = serializers.IntegerField(
        min_value=0, max_value=24 * 60, help_text="No-show only this long after the start."
    )
    no_show_undo_minutes = serializers.IntegerField(
        min_value=1,
        max_value=24 * 60,
        help_text="The no-show can be undone this long; its message and fee go out after.",
    )
    deposit_rule = serializers.ChoiceField(choices=DepositRule.choices)
    deposit_value = serializers.IntegerField(
        help_text="Minor units for a fixed deposit, percent for a percentage."
    )


# ---------------------------------------------------------------- categories


class CategoryOut(serializers.ModelSerializer):
    name = serializers.CharField(
        read_only=True, help_text="In the request's language (Accept-Language)."
    )
    parent = serializers.CharField(
        source="parent.slug",
        read_only=True,
        allow_null=True,
        help_text="The parent category's slug.",
    )

    class Meta:
        model = Category
        fields = [
            "id",
            "slug",
            "name",
            "name_en",
            "name_fr",
            "name_ru",
            "name_ar",
            "parent",
            "position",
        ]
        read_only_fields = fields


# ---------------------------------------------------------------- services


class StepIn(serializers.Serializer):
    duration_minutes = serializers.IntegerField()
    master_busy = serializers.BooleanField(
        default=True, help_text="False for processing time: the master may serve someone else."
    )
    label = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")


class VariantIn(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    price_amount = serializers.IntegerField(help_text="Minor units of the business's currency.")
    steps = StepIn(many=True)


class ServiceIn(serializers.Serializer):
    category_id = IdField()
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    price_amount = serializers.IntegerField(help_text="Minor units (cents, kopecks, halalas).")
    currency = serializers.CharField(
        min_length=3,
        max_length=3,
        required=False,
        help_text="Defaults to, and must be, the business's currency.",
    )
    price_is_from = serializers.BooleanField(required=False)
    buffer_before_minutes = serializers.IntegerField(required=False)
    buffer_after_minutes = serializers.IntegerField(required=False)
    bookable_online = serializers.BooleanField(required=False)
    requires_patch_test = serializers.BooleanField(required=False)
    requires_consultation = serializers.BooleanField(required=False)
    group_capacity = serializers.IntegerField(
        required=False, help_text="More than 1 makes it a group class."
    )
    is_active = serializers.BooleanField(required=False)
    position = serializers.IntegerField(required=False)
    steps = StepIn(many=True, help_text="The visit in order; its duration is their sum.")
    variants = VariantIn(
        many=True, required=False, help_text="Priced options, each with its own steps."
    )
    resource_type_ids = serializers.ListField(child=IdField(), required=False, max_length=20)

    def validate_currency(self, value: str) -> str:
        return value.upper()


class ServicePatchIn(PatchMixin, ServiceIn):
    """Like ServiceIn; `steps`, `variants` and `resource_type_ids`, when sent, replace what was there."""


class StepOut(serializers.ModelSerializer):
    class Meta:
        model = ServiceStep
        fields = ["duration_minutes", "master_busy", "label"]
        read_only_fields = fields


def _minutes(steps) -> tuple[int, int]:
    steps = list(steps)
    return sum(s.duration_minutes for s in steps), sum(
        s.duration_minutes for s in steps if s.master_busy
    )


class VariantOut(serializers.ModelSerializer):
    steps = StepOut(many=True, read_only=True)
    duration_minutes = serializers.SerializerMethodField()
    master_busy_minutes = serializers.SerializerMethodField()

    class Meta:
        model = ServiceVariant
        fields = [
            "id",
            "name",
            "price_amount",
            "position",
            "steps",
            "duration_minutes",
            "master_busy_minutes",
        ]
        read_only_fields = fields

    def get_duration_minutes(self, obj) -> int:
        return _minutes(obj.steps.all())[0]

    def get_master_busy_minutes(self, obj) -> int:
        return _minutes(obj.steps.all())[1]


def own_steps(service: Service) -> list[ServiceStep]:
    """The service's steps without its variants' (prefetched as `own_steps` by the views)."""
    cached = getattr(service, "own_steps", None)
    if cached is not None:
        return cached
    return [s for s in service.steps.all() if s.variant_id is None]


class ServiceOut(serializers.ModelSerializer):
    category_id = serializers.IntegerField(read_only=True)
    category = serializers.CharField(
        source="category.slug", read_only=True, help_text="The category's slug."
    )
    steps = serializers.SerializerMethodField()
    duration_minutes = serializers.SerializerMethodField(help_text="Sum of the steps.")
    master_busy_minutes = serializers.SerializerMethodField(
        help_text="Minutes of the steps that need the master."
    )
    variants = VariantOut(many=True, read_only=True)
    resource_type_ids = serializers.SerializerMethodField()

    class Meta:
        model = Service
        fields = [
            "id",
            "category_id",
            "category",
            "name",
            "description",
            "price_amount",
            "currency",
            "price_is_from",
            "buffer_before_minutes",
            "buffer_after_minutes",
            "bookable_online",
            "requires_patch_test",
            "requires_consultation",
            "group_capacity",
            "is_group",
            "is_active",
            "position",
            "steps",
            "duration_minutes",
            "master_busy_minutes",
            "variants",
            "resource_type_ids",
        ]
        read_only_fields = fields

    @extend_schema_field(StepOut(many=True))
    def get_steps(self, obj):
        return StepOut(own_steps(obj), many=True).data

    def get_duration_minutes(self, obj) -> int:
        return _minutes(own_steps(obj))[0]

    def get_master_busy_minutes(self, obj) -> int:
        return _minutes(own_steps(obj))[1]

    def get_resource_type_ids(self, obj) -> list[int]:
        return [t.pk for t in obj.resource_types.all()]


# ---------------------------------------------------------------- masters


class MasterServiceIn(serializers.Serializer):
    service_id = IdField()
    price_amount = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The master's own price; null for the service's.",
    )
    duration_delta_minutes = serializers.IntegerField(
        required=False,
        default=0,
        help_text="Own pace: minutes added to the last step with the master.",
    )


class MasterIn(serializers.Serializer):
    display_name = serializers.CharField(max_length=120)
    bio = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    color = serializers.RegexField(
        r"^#[0-9a-fA-F]{6}$",
        max_length=7,
        required=False,
        help_text="Calendar colour, e.g. #7a2e5a.",
        error_messages={"invalid": gettext_lazy("Give a colour like #7a2e5a.")},
    )
    is_active = serializers.BooleanField(required=False)
    position = serializers.IntegerField(required=False)
    location_ids = serializers.ListField(
        child=IdField(), max_length=100, help_text="Where the master works (at least one)."
    )
    services = MasterServiceIn(
        many=True,
        required=False,
        help_text="What the master performs; replaces the list when sent.",
    )
    user_id = IdField(
        required=False,
        allow_null=True,
        help_text="A team member's user account to link; null to unlink.",
    )


class MasterPatchIn(PatchMixin, MasterIn):
    pass


class MasterServiceOut(serializers.Serializer):
    service_id = serializers.IntegerField(read_only=True)
    price_amount = serializers.IntegerField(read_only=True, allow_null=True)
    duration_delta_minutes = serializers.IntegerField(read_only=True)


class MasterOut(serializers.ModelSerializer):
    user_id = serializers.IntegerField(read_only=True, allow_null=True)
    location_ids = serializers.SerializerMethodField()
    services = MasterServiceOut(source="service_links", many=True, read_only=True)

    class Meta:
        model = Master
        fields = [
            "id",
            "display_name",
            "bio",
            "color",
            "is_active",
            "position",
            "user_id",
            "location_ids",
            "services",
        ]
        read_only_fields = fields

    def get_location_ids(self, obj) -> list[int]:
        return [location.pk for location in obj.locations.all()]


# ---------------------------------------------------------------- resources


class ResourceTypeIn(serializers.Serializer):
    name = serializers.CharField(max_length=120)


class ResourceTypeOut(serializers.ModelSerializer):
    class Meta:
        model = ResourceType
        fields = ["id", "name"]
        read_only_fields = fields


class ResourceIn(serializers.Serializer):
    location_id = IdField()
    resource_type_id = IdField()
    name = serializers.CharField(max_length=120)
    capacity = serializers.IntegerField(
        required=False, default=1, help_text="Units that serve in parallel (1-100)."
    )


class ResourcePatchIn(PatchMixin, serializers.Serializer):
    name = serializers.CharField(max_length=120)
    capacity = serializers.IntegerField()
    is_active = serializers.BooleanField()


class ResourceOut(serializers.ModelSerializer):
    location_id = serializers.IntegerField(read_only=True)
    resource_type_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = Resource
        fields = ["id", "location_id", "resource_type_id", "name", "capacity", "is_active"]
        read_only_fields = fields


class ResourceQuery(serializers.Serializer):
    location_id = IdField(required=False)


# ---------------------------------------------------------------- schedules


class BreakIn(serializers.Serializer):
    start = _clock()
    end = _clock()


class ShiftIn(serializers.Serializer):
    weekday = serializers.ChoiceField(choices=Weekday.choices, help_text="0 = Monday … 6 = Sunday.")
    start = _clock()
    end = _clock()
    breaks = BreakIn(many=True, required=False, default=list)


class WeeklyScheduleIn(serializers.Serializer):
    shifts = ShiftIn(
        many=True,
        help_text="Replaces the master's week at the location; several shifts a day allowed, none overlapping.",
    )


class LocationQuery(serializers.Serializer):
    location_id = IdField()


class OptionalLocationQuery(serializers.Serializer):
    location_id = IdField(required=False)


class BreakOut(serializers.Serializer):
    start = _clock(read_only=True)
    end = _clock(read_only=True)


class ShiftOut(serializers.Serializer):
    location_id = serializers.IntegerField(read_only=True)
    weekday = serializers.IntegerField(read_only=True)
    start = _clock(read_only=True)
    end = _clock(read_only=True)
    breaks = BreakOut(many=True, read_only=True)


class WeeklyScheduleOut(serializers.Serializer):
    master_id = serializers.IntegerField(read_only=True)
    location_id = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Null when every location is listed."
    )
    shifts = ShiftOut(many=True, read_only=True)


class PeriodIn(serializers.Serializer):
    start = _clock()
    end = _clock()


class DateOverrideIn(serializers.Serializer):
    location_id = IdField()
    date = serializers.DateField()
    periods = PeriodIn(
        many=True, help_text="Working periods that replace the weekly shifts; empty for a day off."
    )


class PeriodOut(serializers.Serializer):
    start = _clock(read_only=True)
    end = _clock(read_only=True)


class DateOverrideOut(serializers.Serializer):
    location_id = serializers.IntegerField(read_only=True)
    date = serializers.DateField(read_only=True)
    day_off = serializers.BooleanField(read_only=True)
    periods = PeriodOut(many=True, read_only=True)


def _with_from(fields: dict, field: serializers.Field) -> dict:
    """`from` is a Python keyword, so it cannot be a class attribute."""
    return {"from": field, **fields}


class DateRangeQuery(serializers.Serializer):
    to = serializers.DateField(required=False, help_text="Last day, included.")
    location_id = IdField(required=False)

    def get_fields(self):
        return _with_from(
            super().get_fields(),
            serializers.DateField(required=False, help_text="First day, included."),
        )


class TimeOffIn(serializers.Serializer):
    starts_at = AwareDateTimeField()
    ends_at = AwareDateTimeField()
    reason = serializers.ChoiceField(
        choices=TimeOff.Reason.choices, default=TimeOff.Reason.VACATION
    )
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class TimeOffQuery(serializers.Serializer):
    to = AwareDateTimeField(required=False, help_text="Time off starting before this instant.")

    def get_fields(self):
        return _with_from(
            super().get_fields(),
            AwareDateTimeField(required=False, help_text="Time off ending after this instant."),
        )


class TimeOffOut(serializers.ModelSerializer):
    master_id = serializers.IntegerField(read_only=True)
    starts_at = serializers.DateTimeField(default_timezone=UTC, read_only=True)
    ends_at = serializers.DateTimeField(default_timezone=UTC, read_only=True)

    class Meta:
        model = TimeOff
        fields = ["id", "master_id", "starts_at", "ends_at", "reason", "note"]
        read_only_fields = fields


# ---------------------------------------------------------------- opening hours, closures, holidays


class OpeningPeriodIn(serializers.Serializer):
    weekday = serializers.ChoiceField(choices=Weekday.choices, help_text="0 = Monday … 6 = Sunday.")
    opens = _clock()
    closes = _clock()


class OpeningHoursIn(serializers.Serializer):
    periods = OpeningPeriodIn(
        many=True, help_text="Replaces the week; several periods a day for a lunch closure."
    )


class OpeningPeriodOut(serializers.Serializer):
    weekday = serializers.IntegerField(read_only=True)
    opens = _clock(read_only=True)
    closes = _clock(read_only=True)


class OpeningHoursOut(serializers.Serializer):
    location_id = serializers.IntegerField(read_only=True)
    periods = OpeningPeriodOut(many=True, read_only=True)


class ClosureIn(serializers.Serializer):
    date = serializers.DateField()
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ClosureOut(serializers.ModelSerializer):
    location_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = LocationClosure
        fields = ["id", "location_id", "date", "name", "source"]
        read_only_fields = fields


class YearIn(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class ClosureQuery(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)


class HolidayOut(serializers.Serializer):
    date = serializers.DateField(read_only=True)
    name = serializers.CharField(read_only=True)
    closed = serializers.BooleanField(
        read_only=True, help_text="Already a closure of the location."
    )


class HolidayProposalOut(serializers.Serializer):
    location_id = serializers.IntegerField(read_only=True)
    country = serializers.CharField(read_only=True)
    year = serializers.IntegerField(read_only=True)
    holidays = HolidayOut(many=True, read_only=True)


class HolidayImportOut(serializers.Serializer):
    location_id = serializers.IntegerField(read_only=True)
    year = serializers.IntegerField(read_only=True)
    added = ClosureOut(many=True, read_only=True)


# ---------------------------------------------------------------- businesses, locations, members


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
    time_zone = serializers.CharField(max_length=64, validators=[validate_time_zone])
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


# ---------------------------------------------------------------- onboarding


class OnboardingStartIn(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    country = serializers.CharField(
        max_length=2, help_text="ISO 3166 code; the currency and time zone follow it."
    )
    address = serializers.CharField(max_length=300)
    city = serializers.CharField(max_length=120)
    postal_code = serializers.CharField(max_length=20, required=False, allow_blank=True)
    time_zone = serializers.CharField(
        max_length=64, required=False, allow_blank=True, help_text="Default: the country's."
    )


class OnboardingPickIn(serializers.Serializer):
    category_id = IdField(help_text="A category of the taxonomy (GET /api/v1/categories/).")
    name = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="Default: the category's."
    )
    duration_minutes = serializers.IntegerField(min_value=5, max_value=720)
    price_amount = serializers.IntegerField(min_value=0, help_text="Minor units.")


class OnboardingServicesIn(serializers.Serializer):
    picks = OnboardingPickIn(many=True, max_length=50)


class OnboardingTeamIn(serializers.Serializer):
    names = serializers.ListField(
        child=serializers.CharField(max_length=100, allow_blank=True),
        max_length=20,
        help_text="The people who take clients; each does every service.",
    )
    weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6),
        max_length=7,
        help_text="0 = Monday … 6 = Sunday.",
    )
    opens = _clock()
    closes = _clock()


class OnboardingPlanIn(serializers.Serializer):
    plan = serializers.CharField(max_length=32, help_text="A plan's code (free, starter, pro).")


class OnboardingProgressOut(serializers.Serializer):
    location = serializers.BooleanField()
    services = serializers.BooleanField()
    team = serializers.BooleanField()
    hours = serializers.BooleanField()
    plan = serializers.BooleanField()


class OnboardingOut(serializers.Serializer):
    business = BusinessOut()
    approval_status = serializers.CharField(help_text="draft, pending, approved or rejected")
    approval_note = serializers.CharField(help_text="What the operator asked to change")
    submitted_at = serializers.DateTimeField(allow_null=True)
    approved_at = serializers.DateTimeField(allow_null=True)
    plan = serializers.CharField(allow_null=True, help_text="The chosen plan's code")
    progress = OnboardingProgressOut()
