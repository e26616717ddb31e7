"""Back-office forms of the compliance area: shape only; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from solibook.compliance.models import TaxSystem
from solibook.compliance.packages import PACKAGES
from solibook.core.forms import StyledFormMixin


class FiscalSettingsForm(StyledFormMixin, forms.Form):
    enabled = forms.BooleanField(label=_("Send receipts to the operator"), required=False)
    sandbox = forms.BooleanField(
        label=_("Use the operator's test environment"),
        required=False,
        help_text=_("Receipts go to the operator's test environment and are not fiscal."),
    )
    login = forms.CharField(label=_("Login"), max_length=100, required=False)
    password = forms.CharField(
        label=_("Password"),
        max_length=200,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Kept secret and never shown again; leave empty to keep the saved one."),
    )
    group_code = forms.CharField(label=_("Group code"), max_length=100, required=False)
    inn = forms.CharField(label=_("INN"), max_length=12, required=False)
    tax_system = forms.ChoiceField(label=_("Tax system"), choices=TaxSystem.choices)
    payment_address = forms.CharField(
        label=_("Place of settlement"),
        max_length=256,
        required=False,
        help_text=_("The website or the salon's address printed on receipts."),
    )
    company_email = forms.EmailField(label=_("E-mail on receipts"), required=False)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PeriodForm(StyledFormMixin, forms.Form):
    """A period of local days, as accounting's reports take it (three years at most)."""

    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("Until"), widget=DateInput())

    MAX_DAYS = 3 * 366

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The end date cannot be before the start date."))
            elif (end - start).days > self.MAX_DAYS:
                self.add_error("end", _("An export covers at most three years."))
        return data


class ExportForm(PeriodForm):
    package = forms.ChoiceField(label=_("Accounting package"), choices=list(PACKAGES.items()))

    field_order = ["package", "start", "end"]
