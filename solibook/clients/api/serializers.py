"""Client card API shapes. Input serializers check shape only; the
`clients.services` functions validate values (E.164 phones, dates, custom
fields) and name the offending field. Money is integer minor units."""

from rest_framework import serializers

from solibook.api.fields import IdField
from solibook.clients.imports import ENCODINGS, FIELDS
from solibook.clients.models import ClientSource, ConsentKind, CustomFieldKind, Gender


class ClientIn(serializers.Serializer):
    # Not trimmed: a name of only spaces is refused by the service's name check
    # (`core.validators.validate_name`), not silently taken for no name.
    first_name = serializers.CharField(
        required=False, allow_blank=True, max_length=100, trim_whitespace=False
    )
    last_name = serializers.CharField(
        required=False, allow_blank=True, max_length=100, trim_whitespace=False
    )
    email = serializers.CharField(required=False, allow_blank=True, max_length=254)
    phone = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=40,
        help_text="Any format; stored in E.164 (read in the salon's country).",
    )
    language = serializers.CharField(required=False, allow_blank=True, max_length=8)
    birthday = serializers.DateField(required=False, allow_null=True)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False, allow_blank=True)
    hair_type = serializers.CharField(required=False, allow_blank=True, max_length=100)
    skin_type = serializers.CharField(required=False, allow_blank=True, max_length=100)
    allergies = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    preferred_master_id = IdField(required=False, allow_null=True)
    source = serializers.ChoiceField(choices=ClientSource.choices, required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=50), required=False, max_length=30
    )
    custom_values = serializers.DictField(
        required=False, help_text="Values of the salon's custom fields, by key."
    )


class ClientListOut(serializers.Serializer):
    id = serializers.IntegerField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()
    user_id = serializers.IntegerField(allow_null=True)
    tags = serializers.ListField(child=serializers.CharField())


class ConsentOut(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ConsentKind.choices)
    granted = serializers.BooleanField()
    recorded_at = serializers.DateTimeField()
    source = serializers.CharField()


class ClientOut(ClientListOut):
    language = serializers.CharField()
    birthday = serializers.DateField(allow_null=True)
    gender = serializers.CharField()
    hair_type = serializers.CharField()
    skin_type = serializers.CharField()
    allergies = serializers.CharField()
    preferred_master_id = serializers.IntegerField(allow_null=True)
    source = serializers.CharField()
    notes = serializers.CharField()
    custom_values = serializers.DictField()
    created_at = serializers.DateTimeField()
    visits = serializers.IntegerField()
    total_spend = serializers.IntegerField(help_text="Completed visits, minor units.")
    currency = serializers.CharField()
    no_shows = serializers.IntegerField()
    last_visit = serializers.DateTimeField(allow_null=True)
    consents = ConsentOut(many=True)


class MasterClientOut(serializers.Serializer):
    """What a master sees of their own client: no contacts, no money."""

    id = serializers.IntegerField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    hair_type = serializers.CharField()
    skin_type = serializers.CharField()
    allergies = serializers.CharField()
    notes = serializers.CharField()


class NoteIn(serializers.Serializer):
    text = serializers.CharField(max_length=5000)


class NoteOut(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    author = serializers.CharField(allow_null=True, source="author.email", default=None)
    created_at = serializers.DateTimeField()


class ConsentIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ConsentKind.choices)
    granted = serializers.BooleanField()
    source = serializers.CharField(required=False, default="back_office", max_length=50)


class PatchTestIn(serializers.Serializer):
    service_id = IdField()
    taken_at = serializers.DateField()
    valid_until = serializers.DateField()
    passed = serializers.BooleanField(default=True)


class PatchTestOut(serializers.Serializer):
    id = serializers.IntegerField()
    service_id = serializers.IntegerField()
    taken_at = serializers.DateField()
    valid_until = serializers.DateField()
    passed = serializers.BooleanField()


class ConsultationIn(serializers.Serializer):
    form_id = IdField()
    answers = serializers.ListField(
        child=serializers.CharField(allow_blank=True, max_length=2000), max_length=50
    )


class ConsultationOut(serializers.Serializer):
    id = serializers.IntegerField()
    form_id = serializers.IntegerField()
    answers = serializers.ListField(child=serializers.DictField())
    created_at = serializers.DateTimeField()


class ConsultationFormIn(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    service_id = IdField(required=False, allow_null=True)
    questions = serializers.ListField(child=serializers.CharField(max_length=300), max_length=50)


class ConsultationFormOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    service_id = serializers.IntegerField(allow_null=True)
    questions = serializers.ListField(child=serializers.CharField())


class MergeIn(serializers.Serializer):
    target_id = IdField(help_text="The card that stays.")
    duplicate_id = IdField(help_text="The card folded into it and removed.")


class SearchQuery(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")


class ExportQuery(serializers.Serializer):
    # Not "format": DRF reserves that query parameter for its renderers.
    file_format = serializers.ChoiceField(choices=["csv", "xlsx"], default="csv")
    segment_id = IdField(required=False)


class SegmentIn(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    last_visit_before = serializers.DateField(required=False, allow_null=True)
    spend_above = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=2**31 - 1
    )
    tag_id = IdField(required=False, allow_null=True)
    service_id = IdField(required=False, allow_null=True)
    birthday_month = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=12
    )


class SegmentOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    last_visit_before = serializers.DateField(allow_null=True)
    spend_above = serializers.IntegerField(allow_null=True)
    tag_id = serializers.IntegerField(allow_null=True)
    service_id = serializers.IntegerField(allow_null=True)
    birthday_month = serializers.IntegerField(allow_null=True)


class CustomFieldIn(serializers.Serializer):
    key = serializers.CharField(required=False, allow_blank=True, max_length=40)
    label = serializers.CharField(max_length=80)
    kind = serializers.ChoiceField(choices=CustomFieldKind.choices)
    choices = serializers.ListField(
        child=serializers.CharField(max_length=80), required=False, max_length=50
    )
    position = serializers.IntegerField(required=False, min_value=0, max_value=1000, default=0)


class CustomFieldOut(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.CharField()
    choices = serializers.ListField(child=serializers.CharField())
    position = serializers.IntegerField()


class ImportUploadIn(serializers.Serializer):
    file = serializers.FileField()
    encoding = serializers.ChoiceField(choices=["auto", *ENCODINGS], default="auto")


class ImportStartIn(serializers.Serializer):
    mapping = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=1000, allow_null=True),
        help_text=f"Field -> column index; fields: {', '.join(FIELDS)}.",
    )


class ImportPreviewIn(ImportStartIn):
    pass


class ImportJobOut(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.CharField()
    file_name = serializers.CharField()
    encoding = serializers.CharField()
    delimiter = serializers.CharField()
    headers = serializers.ListField(child=serializers.CharField())
    mapping = serializers.DictField(child=serializers.IntegerField())
    total_rows = serializers.IntegerField()
    processed_rows = serializers.IntegerField()
    percent = serializers.IntegerField()
    created_count = serializers.IntegerField()
    duplicate_count = serializers.IntegerField()
    error_count = serializers.IntegerField()
    errors = serializers.ListField(
        child=serializers.DictField(), help_text="The first 1,000 row errors: {row, messages}."
    )
    failure = serializers.CharField()
