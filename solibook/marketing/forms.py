"""The marketing pages' forms: shape only (the rules are in `services`)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from solibook.marketing.models import CHANNELS, Campaign


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    audience = forms.ChoiceField(label=_("Audience"), choices=Campaign.Audience.choices)
    segment_id = forms.TypedChoiceField(
        label=_("Saved segment"), coerce=int, required=False, empty_value=None
    )
    rfm_code = forms.ChoiceField(label=_("Retention segment"), required=False)
    channels = forms.MultipleChoiceField(
        label=_("Channels, in order of preference"),
        choices=CHANNELS,
        widget=forms.CheckboxSelectMultiple,
    )
    offer = forms.ChoiceField(label=_("Offer"), choices=Campaign.Offer.choices, required=False)
    discount_percent = forms.IntegerField(
        label=_("Discount (%)"), required=False, min_value=1, max_value=100
    )
    service_id = forms.TypedChoiceField(
        label=_("Service the discount is for"), coerce=int, required=False, empty_value=None
    )
    offer_days = forms.IntegerField(label=_("Offer valid for (days)"), initial=30, min_value=1)
    holdout_percent = forms.IntegerField(
        label=_("Hold-out (%)"), min_value=0, max_value=50, initial=10
    )
    window_days = forms.IntegerField(
        label=_("Effect measured over (days)"), min_value=1, max_value=90, initial=14
    )
    scheduled_at = forms.DateTimeField(
        label=_("Send at (empty: when you press Send)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def __init__(self, *args, segments=(), rfm=(), services=(), **kwargs):
        super().__init__(*args, **kwargs)
        service_field: forms.ChoiceField = self.fields["service_id"]  # type: ignore[assignment]
        service_field.choices = [("", "—")] + [(s.pk, s.name) for s in services]
        segment_field: forms.ChoiceField = self.fields["segment_id"]  # type: ignore[assignment]
        segment_field.choices = [("", "—")] + [(s.pk, s.name) for s in segments]
        rfm_field: forms.ChoiceField = self.fields["rfm_code"]  # type: ignore[assignment]
        rfm_field.choices = [("", "—")] + list(rfm)
        for code, name in settings.LANGUAGES:
            self.fields[f"subject_{code}"] = forms.CharField(
                label=_("Subject (%(language)s)") % {"language": name},
                required=False,
                max_length=300,
            )
            self.fields[f"body_{code}"] = forms.CharField(
                label=_("Message (%(language)s)") % {"language": name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
            )

    def templates(self) -> dict:
        data = self.cleaned_data
        return {
            code: {"subject": data.get(f"subject_{code}", ""), "body": data.get(f"body_{code}", "")}
            for code, _name in settings.LANGUAGES
        }

    def service_values(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "audience_kind": data["audience"],
            "segment_id": data.get("segment_id"),
            "rfm_code": data.get("rfm_code") or "",
            "channels": data["channels"],
            "offer": data.get("offer") or "",
            "discount_percent": data.get("discount_percent"),
            "service_id": data.get("service_id"),
            "offer_days": data.get("offer_days") or 30,
            "holdout_percent": data["holdout_percent"],
            "window_days": data["window_days"],
            "scheduled_at": data.get("scheduled_at"),
            "templates": self.templates(),
        }


class JourneyForm(forms.Form):
    enabled = forms.BooleanField(label=_("On"), required=False)
    channels = forms.MultipleChoiceField(
        label=_("Channels"), choices=CHANNELS, widget=forms.CheckboxSelectMultiple
    )
    holdout_percent = forms.IntegerField(label=_("Hold-out (%)"), min_value=0, max_value=50)
    discount_percent = forms.IntegerField(
        label=_("Discount (%)"), required=False, min_value=1, max_value=100
    )
    days = forms.IntegerField(label=_("Days without a visit"), min_value=14, max_value=730)


class SettingsForm(forms.Form):
    quiet_start = forms.TimeField(label=_("Quiet hours from"))
    quiet_end = forms.TimeField(label=_("Quiet hours until"))
    holdout_percent = forms.IntegerField(label=_("Default hold-out (%)"), min_value=0, max_value=50)
    window_days = forms.IntegerField(
        label=_("Effect measured over (days)"), min_value=1, max_value=90
    )
    throttle_email = forms.IntegerField(label=_("E-mails a minute"), min_value=1)
    throttle_sms = forms.IntegerField(label=_("SMS a minute"), min_value=1)
    throttle_whatsapp = forms.IntegerField(label=_("WhatsApp messages a minute"), min_value=1)
    throttle_push = forms.IntegerField(label=_("Push notifications a minute"), min_value=1)
