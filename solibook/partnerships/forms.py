"""Back-office form of partnerships: shape only; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from solibook.core.forms import StyledFormMixin
from solibook.partnerships.models import Landing


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class LandingForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("For"), choices=Landing.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=120)
    partner_name = forms.CharField(label=_("Partner"), max_length=120, required=False)
    partner_url = forms.URLField(
        label=_("Partner's website"), required=False, assume_scheme="https"
    )
    partner_logo = forms.ImageField(label=_("Partner's logo"), required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    starts_on = forms.DateField(label=_("From"), widget=DateInput())
    ends_on = forms.DateField(label=_("Until"), widget=DateInput())
    code = forms.CharField(
        label=_("Promo code"), max_length=32, help_text=_("3 to 32 letters, digits, - or _.")
    )
    discount_percent = forms.IntegerField(label=_("Discount (%)"), min_value=1, max_value=100)
    max_redemptions = forms.IntegerField(label=_("Total limit"), min_value=1, required=False)
    slug = forms.SlugField(
        label=_("Address"),
        max_length=60,
        required=False,
        help_text=_("Empty: made from the title."),
    )
