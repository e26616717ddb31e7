"""Forms of the insights pages (shape only)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from solibook.core.forms import StyledFormMixin


class DateInput(forms.DateInput):
    input_type = "date"


class PerformanceForm(StyledFormMixin, forms.Form):
    location = forms.TypedChoiceField(label=_("Location"), coerce=int)
    start = forms.DateField(label=_("From"), widget=DateInput)
    end = forms.DateField(label=_("Until"), widget=DateInput)

    def __init__(self, *args, locations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].choices = [(loc.pk, loc.name) for loc in locations]
        self.fields["location"].widget.attrs["data-autosubmit"] = ""


class DashboardForm(StyledFormMixin, forms.Form):
    location = forms.TypedChoiceField(label=_("Location"), coerce=int)
    start = forms.DateField(label=_("From"), widget=DateInput)
    end = forms.DateField(label=_("Until"), widget=DateInput)

    def __init__(self, *args, locations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].choices = [  # type: ignore[attr-defined]
            (loc.pk, loc.name) for loc in locations
        ]
