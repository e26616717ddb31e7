from django import forms
from django.utils.translation import gettext_lazy as _


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class SettingsForm(forms.Form):
    """Secrets are write-only: an empty field keeps the one saved."""

    enabled = forms.BooleanField(label=_("The assistant answers clients"), required=False)
    whatsapp_phone_number_id = forms.CharField(
        label=_("WhatsApp phone number id"), max_length=40, required=False
    )
    whatsapp_access_token = forms.CharField(
        label=_("WhatsApp access token"), required=False, widget=forms.PasswordInput
    )
    whatsapp_app_secret = forms.CharField(
        label=_("WhatsApp app secret"), required=False, widget=forms.PasswordInput
    )
    telegram_bot_token = forms.CharField(
        label=_("Telegram bot token"), required=False, widget=forms.PasswordInput
    )
