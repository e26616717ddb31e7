from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from solibook.core.forms import StyledFormMixin
from solibook.core.ids import MAX_DB_ID
from solibook.notifications.models import Channel, Kind


class SalonSettingsForm(StyledFormMixin, forms.Form):
    reminder_minutes = forms.CharField(
        label=_("Reminders (hours before the visit)"),
        max_length=100,
        help_text=_("Separated by commas, e.g. 24, 2. Decimals are allowed: 0.5 is 30 minutes."),
    )
    channels = forms.MultipleChoiceField(
        label=_("Channels"),
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def clean_reminder_minutes(self):
        raw = [
            part.strip()
            for part in self.cleaned_data["reminder_minutes"].replace(";", ",").split(",")
            if part.strip()
        ]
        try:
            return [round(float(part.replace("\u066b", ".")) * 60) for part in raw]
        except ValueError as exc:
            raise forms.ValidationError(_("Give hours as numbers separated by commas.")) from exc


class TemplateForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(choices=Kind.choices, widget=forms.HiddenInput)
    channel = forms.ChoiceField(choices=Channel.choices, widget=forms.HiddenInput)
    language = forms.ChoiceField(choices=settings.LANGUAGES, widget=forms.HiddenInput)
    subject = forms.CharField(label=_("Subject"), max_length=300, required=False)
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 14, "dir": "auto", "spellcheck": "true"}),
        max_length=5000,
    )


class PreferencesForm(StyledFormMixin, forms.Form):
    channels = forms.MultipleChoiceField(
        label=_("Send me messages by"),
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    business = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, max_value=MAX_DB_ID
    )
