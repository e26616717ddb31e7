"""Forms of the forecasting pages (shape only)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from solibook.core.forms import StyledFormMixin
from solibook.forecasting.selectors import MAX_DAYS, STAFFING_DAYS


class _LocationForm(StyledFormMixin, forms.Form):
    location = forms.TypedChoiceField(
        label=_("Location"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, locations=(), **kwargs):
        super().__init__(*args, **kwargs)
        field: forms.TypedChoiceField = self.fields["location"]  # type: ignore[assignment]
        field.choices = [(loc.pk, loc.name) for loc in locations]


class ForecastForm(_LocationForm):
    days = forms.IntegerField(
        label=_("Days ahead"), min_value=1, max_value=MAX_DAYS, initial=14, required=False
    )


class StaffingForm(_LocationForm):
    days = forms.IntegerField(
        label=_("Days ahead"), min_value=1, max_value=STAFFING_DAYS, initial=7, required=False
    )


class PriceForm(_LocationForm):
    service = forms.TypedChoiceField(label=_("Service"), coerce=int, required=False)

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        field: forms.TypedChoiceField = self.fields["service"]  # type: ignore[assignment]
        field.choices = [("", _("Every service"))] + [(s.pk, s.name) for s in services]
