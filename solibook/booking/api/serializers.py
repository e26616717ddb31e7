"""Booking API shapes. Validation of shape only; `booking.services` decides."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework import serializers

from solibook.api.fields import IdField
from solibook.booking.models import Source, Status
from solibook.booking.policies import cancellation_policy
from solibook.booking.selectors import ItemSpec
from solibook.core.ids import is_db_id
from solibook.core.time import validate_engine_date, validate_engine_start


class ItemIn(serializers.Serializer):
    service_id = IdField()
    variant_id = IdField(required=False, allow_null=True, default=None)
    master_id = IdField(
        required=False, allow_null=True, default=None, help_text="Omit or null for any master."
    )

    def to_spec(self, data) -> ItemSpec:
        return ItemSpec(
            service_id=data["service_id"],
            variant_id=data["variant_id"],
            master_id=data["master_id"],
        )


class AvailabilityQuery(serializers.Serializer):
    service = serializers.ListField(child=IdField(), min_length=1, max_length=5)
    variant = serializers.ListField(
        child=serializers.CharField(allow_blank=True, max_length=20), required=False, default=list
    )
    master = serializers.ListField(
        child=serializers.CharField(max_length=20),
        required=False,
        default=list,
        help_text="A master id or 'any', one per service.",
    )
    date = serializers.DateField(validators=[validate_engine_date])
    days = serializers.IntegerField(min_value=1, max_value=31, default=7)

    def validate(self, data):
        def ids(values, name):
            out: list[int | None] = []
            for value in values:
                if value in ("", "any"):
                    out.append(None)
                elif is_db_id(value):
                    out.append(int(value))
                else:
                    raise serializers.ValidationError({name: [f"'{value}' is not an id."]})
            return out

        masters, variants = ids(data["master"], "master"), ids(data["variant"], "variant")
        n = len(data["service"])
        if len(masters) > n or len(variants) > n:
            raise serializers.ValidationError(
                {"master": ["Give at most one master and one variant per service."]}
            )
        masters += [None] * (n - len(masters))
        variants += [None] * (n - len(variants))
        data["specs"] = [
            ItemSpec(service_id=s, variant_id=v, master_id=m)
            for s, v, m in zip(data["service"], variants, masters, strict=True)
        ]
        return data


class AppointmentQuery(serializers.Serializer):
    # "from" is a Python keyword: declared through the field mapping below.
    to = serializers.DateTimeField(required=False, validators=[validate_engine_date])
    location_id = IdField(required=False)
    master_id = IdField(required=False)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateTimeField(
            required=False, validators=[validate_engine_date]
        )
        return fields


class SlotItemOut(serializers.Serializer):
    master_id = serializers.IntegerField()
    master_name = serializers.CharField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    price_amount = serializers.IntegerField()


class SlotOut(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    price_amount = serializers.IntegerField()
    currency = serializers.CharField()
    items = SlotItemOut(many=True)


class AvailabilityOut(serializers.Serializer):
    location_id = serializers.IntegerField()
    time_zone = serializers.CharField()
    cancellation_window_hours = serializers.IntegerField()
    late_cancellation_fee_percent = serializers.IntegerField()
    slots = SlotOut(many=True)


class BookIn(serializers.Serializer):
    location_id = IdField()
    items = ItemIn(many=True, min_length=1, max_length=5)
    start = serializers.DateTimeField(
        help_text="ISO 8601 with its offset, e.g. 2030-06-03T10:00:00+02:00",
        validators=[validate_engine_start],
    )
    hold = serializers.BooleanField(
        default=False, help_text="Hold the slot for a few minutes until confirmed."
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ClientBookIn(BookIn):
    """A client books for themselves. The booking's `source` is not an input:
    the server sets it from the route the request came through (`api` here,
    with the salon's online rules: horizon, notice, deposit); a `source` in the
    body is ignored, so no body can skip those rules or claim a referral."""


class OfficeBookIn(BookIn):
    """The front desk books a client card of its business: `client_card_id`, or
    a new client's name with a phone and/or e-mail (the card is found or created
    in this business). A platform user id is never accepted."""

    client_card_id = IdField(
        required=False,
        allow_null=True,
        default=None,
        help_text="A client card of this business (found or created from the contacts when absent).",
    )
    client_name = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=150, trim_whitespace=False
    )
    client_phone = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=32
    )
    client_email = serializers.EmailField(required=False, allow_blank=True, default="")

    def validate(self, data):
        for key in ("account_id", "client_id"):  # an account id, by its name or the old one
            if key in self.initial_data:
                raise serializers.ValidationError(
                    {key: [_("Book a client card (client_card_id), not a user account.")]}
                )
        return super().validate(data)


class CancelIn(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class RescheduleIn(serializers.Serializer):
    start = serializers.DateTimeField(validators=[validate_engine_start])
    master_ids = serializers.ListField(
        child=IdField(allow_null=True),
        required=False,
        allow_null=True,
        default=None,
    )


class StatusIn(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[Status.ARRIVED, Status.IN_PROGRESS, Status.COMPLETED, Status.NO_SHOW]
    )


class AppointmentItemOut(serializers.Serializer):
    service_id = serializers.IntegerField()
    variant_id = serializers.IntegerField(allow_null=True)
    master_id = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    price_amount = serializers.IntegerField()


class AppointmentOut(serializers.Serializer):
    # Declared field by field rather than as a ModelSerializer: this is the
    # response of every booking, and introspecting the model per request
    # showed up in the booking benchmark.
    id = serializers.IntegerField()
    business_id = serializers.IntegerField()
    location_id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Status.choices)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    hold_expires_at = serializers.DateTimeField(allow_null=True)
    source = serializers.ChoiceField(choices=Source.choices)
    price_amount = serializers.IntegerField()
    deposit_amount = serializers.IntegerField(
        help_text="Deposit due before the visit is confirmed (status awaiting_deposit): POST /api/v1/appointments/{id}/deposit/."
    )
    currency = serializers.CharField()
    account_id = serializers.IntegerField(allow_null=True)
    client_name = serializers.CharField()
    client_phone = serializers.CharField()
    client_email = serializers.CharField()
    notes = serializers.CharField()
    cancelled_at = serializers.DateTimeField(allow_null=True)
    cancelled_by_client = serializers.BooleanField()
    late_cancellation = serializers.BooleanField()
    session_id = serializers.IntegerField(allow_null=True)
    items = AppointmentItemOut(many=True, read_only=True)
    cancellation_policy = serializers.SerializerMethodField()

    @extend_schema_field(serializers.DictField())
    def get_cancellation_policy(self, obj) -> dict:
        return cancellation_policy(business=obj.business, starts_at=obj.starts_at).as_dict(
            price_amount=obj.price_amount, at=timezone.now()
        )


class OfficeAppointmentOut(AppointmentOut):
    """An appointment as the salon sees it: its client card, not an account id."""

    account_id = None  # drops the account id of AppointmentOut
    client_card_id = serializers.IntegerField(allow_null=True)


class SeriesIn(BookIn):
    interval_weeks = serializers.IntegerField(min_value=1, max_value=12)
    occurrences = serializers.IntegerField(min_value=2, max_value=52)


class OfficeSeriesIn(SeriesIn, OfficeBookIn):
    pass


class SeriesFailureOut(serializers.Serializer):
    start = serializers.DateTimeField()
    code = serializers.CharField()
    message = serializers.CharField()


class SeriesOut(serializers.Serializer):
    series_id = serializers.IntegerField()
    placed = AppointmentOut(many=True)
    failed = SeriesFailureOut(many=True)


class WaitlistIn(serializers.Serializer):
    location_id = IdField()
    service_id = IdField()
    master_id = IdField(required=False, allow_null=True, default=None)
    date = serializers.DateField(validators=[validate_engine_date])
    time_from = serializers.TimeField()
    time_to = serializers.TimeField()


class WaitlistOut(serializers.Serializer):
    id = serializers.IntegerField()
    business_id = serializers.IntegerField()
    location_id = serializers.IntegerField()
    service_id = serializers.IntegerField()
    master_id = serializers.IntegerField(allow_null=True)
    date = serializers.DateField()
    time_from = serializers.TimeField()
    time_to = serializers.TimeField()
    state = serializers.CharField()
    offer_id = serializers.IntegerField(allow_null=True)
    offer_expires_at = serializers.DateTimeField(allow_null=True)


# The availability query as the schema documents it (repeated parameters, one per item).
AVAILABILITY_PARAMS = [
    OpenApiParameter(
        "service", int, many=True, required=True, description="Service ids, in visit order."
    ),
    OpenApiParameter(
        "variant", str, many=True, description="Variant id per service (empty for none)."
    ),
    OpenApiParameter("master", str, many=True, description="Master id or 'any', per service."),
    OpenApiParameter("date", str, required=True, description="First local day, YYYY-MM-DD."),
    OpenApiParameter("days", int, description="Number of days (1-31, default 7)."),
]
