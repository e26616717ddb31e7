"""Review API shapes: shape only; `reviews.services` decides."""

from rest_framework import serializers

from solibook.reviews.models import ReportReason


class StarsField(serializers.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=5, **kwargs)


class ReviewIn(serializers.Serializer):
    rating = StarsField()
    quality = StarsField(required=False, allow_null=True, default=None)
    cleanliness = StarsField(required=False, allow_null=True, default=None)
    welcome = StarsField(required=False, allow_null=True, default=None)
    value = StarsField(required=False, allow_null=True, default=None)
    punctuality = StarsField(required=False, allow_null=True, default=None)
    text = serializers.CharField(max_length=4000, required=False, default="", allow_blank=True)


class ReviewOut(serializers.Serializer):
    id = serializers.IntegerField()
    business_id = serializers.IntegerField()
    location_id = serializers.IntegerField()
    author_name = serializers.CharField()
    rating = serializers.IntegerField()
    quality = serializers.IntegerField(allow_null=True)
    cleanliness = serializers.IntegerField(allow_null=True)
    welcome = serializers.IntegerField(allow_null=True)
    value = serializers.IntegerField(allow_null=True)
    punctuality = serializers.IntegerField(allow_null=True)
    text = serializers.CharField()
    reply_text = serializers.CharField()
    replied_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()


class OfficeReviewOut(ReviewOut):
    appointment_id = serializers.IntegerField()
    status = serializers.CharField()


class ModerationReviewOut(OfficeReviewOut):
    open_reports = serializers.IntegerField()


class RatingSummaryOut(serializers.Serializer):
    average = serializers.DecimalField(max_digits=3, decimal_places=1, allow_null=True)
    count = serializers.IntegerField()
    distribution = serializers.DictField(
        child=serializers.IntegerField(), help_text='Keys "1" to "5".'
    )


class ReplyIn(serializers.Serializer):
    reply_text = serializers.CharField(max_length=2000, allow_blank=True)


class ReportIn(serializers.Serializer):
    reason = serializers.ChoiceField(choices=ReportReason.choices)
    note = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)


class ReportOut(serializers.Serializer):
    id = serializers.IntegerField()
    review_id = serializers.IntegerField()
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()


class ModerateIn(serializers.Serializer):
    action = serializers.ChoiceField(choices=[("hide", "hide"), ("restore", "restore")])
    note = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)
