"""Client-side booking (drafts) and account API shapes: shape only."""

from rest_framework import serializers

from solibook.api.fields import AwareDateTimeField, IdField
from solibook.booking.api.serializers import ItemIn
from solibook.clientarea.models import BookingDraft


class DraftIn(serializers.Serializer):
    location_id = IdField()
    items = ItemIn(many=True, min_length=1, max_length=5)
    start = AwareDateTimeField(help_text="A start from the availability list, with its offset.")


class DraftItemOut(serializers.Serializer):
    service = serializers.CharField()
    master = serializers.CharField()
    start = serializers.CharField()
    price_amount = serializers.IntegerField()


class PolicyOut(serializers.Serializer):
    free_until = serializers.CharField()
    late_fee_percent = serializers.IntegerField()
    late_fee_amount = serializers.IntegerField()
    free_now = serializers.BooleanField(
        required=False, help_text="False once free cancellation has ended."
    )
    fee_now_amount = serializers.IntegerField(
        required=False, help_text="The fee cancelling now would cost."
    )


class DraftOut(serializers.Serializer):
    token = serializers.CharField(help_text="The draft's secret: keep it to continue.")
    appointment_id = serializers.IntegerField()
    status = serializers.CharField()
    business_id = serializers.IntegerField()
    business_name = serializers.CharField()
    location_id = serializers.IntegerField()
    location_name = serializers.CharField()
    start = serializers.CharField()
    end = serializers.CharField()
    duration_minutes = serializers.IntegerField()
    items = DraftItemOut(many=True)
    price_amount = serializers.IntegerField()
    offpeak_percent = serializers.IntegerField()
    offpeak_amount = serializers.IntegerField()
    promo_amount = serializers.IntegerField()
    total_amount = serializers.IntegerField()
    currency = serializers.CharField()
    cancellation_policy = PolicyOut()
    hold_expires_at = serializers.CharField(allow_null=True)
    expired = serializers.BooleanField()
    identified = serializers.BooleanField()
    contact_channel = serializers.CharField(allow_blank=True)
    contact_verified = serializers.BooleanField()


class DraftQuery(serializers.Serializer):
    promo_code = serializers.CharField(max_length=32, required=False, default="", allow_blank=True)


class SendCodeIn(serializers.Serializer):
    name = serializers.CharField(max_length=150)
    channel = serializers.ChoiceField(choices=BookingDraft.Channel.choices)
    destination = serializers.CharField(
        max_length=254, help_text="An e-mail address or a phone number with its country code."
    )


class VerifyIn(serializers.Serializer):
    code = serializers.CharField(max_length=12)


class ConfirmIn(serializers.Serializer):
    promo_code = serializers.CharField(max_length=32, required=False, default="", allow_blank=True)


class PricedSlotOut(serializers.Serializer):
    start = serializers.CharField()
    end = serializers.CharField()
    masters = serializers.ListField(child=serializers.CharField())
    duration_minutes = serializers.IntegerField()
    price_amount = serializers.IntegerField()
    offpeak_percent = serializers.IntegerField()
    discounted_amount = serializers.IntegerField()
    currency = serializers.CharField()


class PricedSlotsOut(serializers.Serializer):
    location_id = serializers.IntegerField()
    time_zone = serializers.CharField()
    slots = PricedSlotOut(many=True)


class VisitItemOut(serializers.Serializer):
    service_id = serializers.IntegerField()
    service = serializers.CharField(source="service.name")
    master_id = serializers.IntegerField()
    master = serializers.CharField(source="master.display_name")
    price_amount = serializers.IntegerField()


class VisitOut(serializers.Serializer):
    id = serializers.IntegerField()
    business_id = serializers.IntegerField()
    business_name = serializers.CharField(source="business.name")
    location_id = serializers.IntegerField()
    status = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    price_amount = serializers.IntegerField()
    currency = serializers.CharField()
    items = VisitItemOut(many=True, source="items.all")
    can_review = serializers.BooleanField()
    has_review = serializers.BooleanField()


class VisitsOut(serializers.Serializer):
    upcoming = VisitOut(many=True)
    past = VisitOut(many=True)


class VisitCancelIn(serializers.Serializer):
    reason = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)


class VisitRescheduleIn(serializers.Serializer):
    start = AwareDateTimeField()


class FavouriteIn(serializers.Serializer):
    business_id = IdField(required=False, allow_null=True, default=None)
    master_id = IdField(required=False, allow_null=True, default=None)


class FavouriteOut(serializers.Serializer):
    id = serializers.IntegerField()
    business_id = serializers.IntegerField(allow_null=True)
    master_id = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField()


class DraftPaymentOut(serializers.Serializer):
    """Paying a held booking's deposit (or a visit's balance) online."""

    payment_id = serializers.IntegerField(allow_null=True)
    purpose = serializers.CharField(help_text='"deposit" or "balance"')
    amount = serializers.IntegerField(help_text="Minor units")
    currency = serializers.CharField()
    state = serializers.CharField(help_text="pending, authorized, captured, cancelled, failed")
    url = serializers.CharField(
        help_text="Open this page to pay (empty once paid); then read the state again."
    )
    test_mode = serializers.BooleanField(help_text="Test payments: no real money.")
    appointment_status = serializers.CharField()
    late = serializers.CharField(
        help_text='"kept" or "released" when the payment came after the hold ran out'
    )
