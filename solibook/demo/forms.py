"""The demo pages' forms."""

from django import forms
from django.utils.translation import gettext_lazy as _


class InboxFilterForm(forms.Form):
    to = forms.CharField(
        label=_("Recipient"),
        required=False,
        max_length=254,
        help_text=_("An e-mail address or a phone number."),
    )
