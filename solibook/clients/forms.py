"""Forms of the client pages. They check shape; `clients.services` decide."""

from django import forms
from django.conf import settings
from django.utils.dates import MONTHS as MONTH_NAMES
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from solibook.catalog.models import Master, Service
from solibook.clients.imports import ENCODINGS, FIELDS
from solibook.clients.models import ClientSource, ClientTag, ConsentKind, CustomFieldKind, Gender
from solibook.core.forms import StyledFormMixin
from solibook.core.ids import MAX_DB_ID

# Django's own month names, capitalised on their own in a list ("Décembre", "Декабрь").
# A gettext("December") of ours would override Django's "décembre" inside every date
# that `F` writes ("7 Décembre"), so this app's catalogue carries no month names.
MONTHS = [("", _("Any month")), *((str(i), capfirst(name)) for i, name in MONTH_NAMES.items())]


class DateInput(forms.DateInput):
    input_type = "date"


class ClientForm(StyledFormMixin, forms.Form):
    # Not stripped: `clients.services` refuses a name of only spaces (validate_name).
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False, strip=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False, strip=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        help_text=_("Any format; stored in international form."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    email = forms.CharField(
        label=_("E-mail"), max_length=254, required=False, widget=forms.EmailInput
    )
    birthday = forms.DateField(label=_("Birthday"), required=False, widget=DateInput)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    hair_type = forms.CharField(label=_("Hair type"), max_length=100, required=False)
    skin_type = forms.CharField(label=_("Skin type"), max_length=100, required=False)
    allergies = forms.CharField(
        label=_("Allergies"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    preferred_master_id = forms.TypedChoiceField(
        label=_("Favourite master"), coerce=int, empty_value=None, required=False
    )
    source = forms.ChoiceField(
        label=_("Where the client came from"),
        choices=[("", "—"), *ClientSource.choices],
        required=False,
    )
    tags = forms.CharField(
        label=_("Tags"), max_length=600, required=False, help_text=_("Separated by commas.")
    )
    notes = forms.CharField(
        label=_("Notes"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, custom_fields=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            ("", "—"),
            *[(code, name) for code, name in settings.LANGUAGES],
        ]
        self.fields["preferred_master_id"].choices = [
            ("", "—"),
            *Master.objects.filter(is_active=True)
            .order_by("display_name")
            .values_list("pk", "display_name"),
        ]
        self.custom_keys = []
        for definition in custom_fields:
            name = f"custom__{definition.key}"
            self.custom_keys.append((name, definition.key))
            if definition.kind == CustomFieldKind.CHOICE:
                field = forms.ChoiceField(
                    choices=[("", "—"), *[(c, c) for c in definition.choices]], required=False
                )
            elif definition.kind == CustomFieldKind.YES_NO:
                field = forms.BooleanField(required=False)
            elif definition.kind == CustomFieldKind.DATE:
                field = forms.DateField(required=False, widget=DateInput)
            elif definition.kind == CustomFieldKind.NUMBER:
                field = forms.DecimalField(required=False)
            else:
                field = forms.CharField(required=False, max_length=500)
            field.label = definition.label
            self.fields[name] = field
        for name, _key in self.custom_keys:
            widget = self.fields[name].widget
            css = (
                "form-check-input"
                if isinstance(widget, forms.CheckboxInput)
                else "form-select"
                if isinstance(widget, forms.Select)
                else "form-control"
            )
            widget.attrs["class"] = css

    def service_data(self) -> tuple[dict, list[str]]:
        data = {
            k: v
            for k, v in self.cleaned_data.items()
            if not k.startswith("custom__") and k != "tags"
        }
        values = {}
        for name, key in self.custom_keys:
            value = self.cleaned_data.get(name)
            if value not in (None, ""):
                values[key] = (
                    value.isoformat()
                    if hasattr(value, "isoformat")
                    else (str(value) if not isinstance(value, bool) else value)
                )
        data["custom_values"] = values
        tags = [t.strip() for t in self.cleaned_data.get("tags", "").split(",") if t.strip()]
        return data, tags


class NoteForm(StyledFormMixin, forms.Form):
    text = forms.CharField(
        label=_("New note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ConsentForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Consent"), choices=ConsentKind.choices)
    granted = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Granted")), ("0", _("Withdrawn"))],
        coerce=lambda v: v == "1",
    )


class PatchTestForm(StyledFormMixin, forms.Form):
    service_id = forms.TypedChoiceField(label=_("Service"), coerce=int)
    taken_at = forms.DateField(label=_("Taken on"), widget=DateInput)
    valid_until = forms.DateField(label=_("Valid until"), widget=DateInput)
    passed = forms.BooleanField(label=_("Passed"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_id"].choices = (
            Service.objects.filter(is_active=True).order_by("name").values_list("pk", "name")
        )


class MergeForm(StyledFormMixin, forms.Form):
    duplicate_id = forms.IntegerField(
        label=_("Number of the duplicate card"),
        min_value=1,
        max_value=MAX_DB_ID,
        help_text=_("Its visits, notes and consents move to this card, and it is removed."),
    )


class SegmentForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    last_visit_before = forms.DateField(
        label=_("Last visit before"), required=False, widget=DateInput
    )
    spend_above = forms.DecimalField(
        label=_("Total spend above"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    tag_id = forms.TypedChoiceField(label=_("Tag"), coerce=int, empty_value=None, required=False)
    service_id = forms.TypedChoiceField(
        label=_("Service used"), coerce=int, empty_value=None, required=False
    )
    birthday_month = forms.ChoiceField(label=_("Birthday month"), choices=MONTHS, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag_id"].choices = [
            ("", "—"),
            *ClientTag.objects.order_by("name").values_list("pk", "name"),
        ]
        self.fields["service_id"].choices = [
            ("", "—"),
            *Service.objects.order_by("name").values_list("pk", "name"),
        ]


class ImportUploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv,text/plain"}),
    )
    encoding = forms.ChoiceField(
        label=_("Encoding"),
        choices=[("auto", _("Detect (UTF-8)")), *ENCODINGS.items()],
        initial="auto",
    )


class ImportMappingForm(StyledFormMixin, forms.Form):
    def __init__(self, *args, headers=(), **kwargs):
        super().__init__(*args, **kwargs)
        columns = [
            ("", _("— not imported —")),
            *[(str(i), h or f"#{i + 1}") for i, h in enumerate(headers)],
        ]
        for field, label in FIELDS.items():
            self.fields[field] = forms.ChoiceField(label=label, choices=columns, required=False)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    def mapping(self) -> dict:
        return {
            field: int(value)
            for field, value in self.cleaned_data.items()
            if value not in ("", None)
        }


class CustomFieldForm(StyledFormMixin, forms.Form):
    label = forms.CharField(label=_("Label"), max_length=80)
    key = forms.CharField(
        label=_("Key"),
        max_length=40,
        required=False,
        help_text=_("Letters, digits and underscores; made from the label when empty."),
    )
    kind = forms.ChoiceField(label=_("Type"), choices=CustomFieldKind.choices)
    choices = forms.CharField(
        label=_("Choices"),
        max_length=2000,
        required=False,
        help_text=_("For a choice: the values, separated by commas."),
    )
    position = forms.IntegerField(
        label=_("Position"), min_value=0, max_value=1000, initial=0, required=False
    )


class ConsultationFormForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    service_id = forms.TypedChoiceField(
        label=_("Service"), coerce=int, empty_value=None, required=False
    )
    questions = forms.CharField(
        label=_("Questions"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=15000,
        help_text=_("One question a line."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_id"].choices = [
            ("", "—"),
            *Service.objects.order_by("name").values_list("pk", "name"),
        ]
