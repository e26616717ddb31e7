from django import forms
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from solibook.accounts.roles import Role
from solibook.core.forms import StyledFormMixin
from solibook.core.money import SUPPORTED_CURRENCIES
from solibook.core.time import zone_choices

COUNTRIES = [
    ("FR", _("France")),
    ("RU", _("Russia")),
    ("SA", _("Saudi Arabia")),
    ("AE", _("United Arab Emirates")),
    ("BE", _("Belgium")),
    ("CH", _("Switzerland")),
    ("GB", _("United Kingdom")),
    ("MA", _("Morocco")),
    ("KZ", _("Kazakhstan")),
]


class BusinessForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Business name"), max_length=200)
    currency = forms.ChoiceField(
        label=_("Currency"), choices=[(c, c) for c in SUPPORTED_CURRENCIES]
    )
    country = forms.ChoiceField(label=_("Country"), choices=COUNTRIES)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    is_listed = forms.BooleanField(
        label=_("Listed on the marketplace"), required=False, initial=True
    )


class LocationForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    address = forms.CharField(label=_("Address"), max_length=300)
    city = forms.CharField(label=_("City"), max_length=120)
    postal_code = forms.CharField(label=_("Postal code"), max_length=20, required=False)
    country = forms.ChoiceField(label=_("Country"), choices=COUNTRIES)
    latitude = forms.DecimalField(
        label=_("Latitude"),
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
        required=False,
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        required=False,
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"), choices=zone_choices, initial="Europe/Paris"
    )
    phone = PhoneNumberField(label=_("Phone"), required=False, region=None)


class MemberAddForm(StyledFormMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail address of an existing Solibook account"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class MemberRoleForm(StyledFormMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
