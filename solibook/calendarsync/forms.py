"""Shapes of the pages' forms (the rules live in `services`)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class CalDAVForm(forms.Form):
    url = forms.CharField(
        label=_("Calendar address (CalDAV)"),
        max_length=500,
        help_text=_(
            "The calendar's own address, e.g. https://cloud.example.com/remote.php/dav/calendars/anna/personal/"
        ),
        widget=forms.URLInput(attrs={"autocomplete": "off", "inputmode": "url"}),
    )
    username = forms.CharField(label=_("User name"), max_length=200, required=False)
    password = forms.CharField(
        label=_("Password or app password"),
        max_length=500,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=False),
        help_text=_("Stored encrypted and never shown again."),
    )
