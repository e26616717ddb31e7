"""Back-office forms: shape only. Ranges, currencies, dates and ownership are
decided by `accounting.services`, whose errors land on these forms."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from solibook.accounting.models import CommissionRule, PaidFrom
from solibook.accounting.receipts import MAX_RECEIPT_BYTES
from solibook.core.forms import StyledFormMixin
from solibook.core.money import Money


class MoneyField(forms.DecimalField):
    """A major-unit amount typed by a person ("12.50"), cleaned to minor units
    of the form's currency. Negative amounts are left for the service to refuse."""

    def __init__(self, *, currency: str = "EUR", **kwargs):
        self.currency = currency
        super().__init__(max_digits=14, decimal_places=3, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value is None:
            return None
        try:
            return Money.from_decimal(Decimal(value), self.currency).amount
        except (ValueError, InvalidOperation) as exc:
            raise forms.ValidationError(
                _("Too many decimals for %(currency)s.") % {"currency": self.currency}
            ) from exc


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ExpenseForm(StyledFormMixin, forms.Form):
    location_id = forms.TypedChoiceField(label=_("Location"), coerce=int)
    category_id = forms.TypedChoiceField(label=_("Category"), coerce=int)
    supplier_id = forms.TypedChoiceField(
        label=_("Supplier"), coerce=int, required=False, empty_value=None
    )
    description = forms.CharField(label=_("Description"), max_length=300)
    amount = MoneyField(label=_("Amount"))
    incurred_on = forms.DateField(label=_("Date"), widget=DateInput())
    paid_from = forms.ChoiceField(label=_("Paid from"), choices=PaidFrom.choices)
    reference = forms.CharField(label=_("Invoice number"), max_length=64, required=False)
    receipt = forms.FileField(
        label=_("Receipt"),
        required=False,
        help_text=_("A photo or a PDF, at most 10 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}
        ),
    )

    def __init__(self, *args, business, locations, categories, suppliers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].currency = business.currency
        self.fields["amount"].help_text = _("In %(currency)s.") % {"currency": business.currency}
        self.fields["location_id"].choices = [(loc.pk, loc.name) for loc in locations]
        self.fields["category_id"].choices = [(c.pk, c.name) for c in categories]
        self.fields["supplier_id"].choices = [("", "—")] + [(s.pk, s.name) for s in suppliers]

    def clean_receipt(self):
        receipt = self.cleaned_data.get("receipt")
        if receipt and receipt.size > MAX_RECEIPT_BYTES:
            raise forms.ValidationError(_("The receipt is larger than 10 MB."))
        return receipt or None


class VoidForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class CategoryForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_("Names the ledger account; cannot change later."),
    )
    fec_account = forms.CharField(
        label=_("Accounting account"),
        max_length=20,
        initial="628000",
        help_text=_("French chart-of-accounts number for the FEC export."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class SupplierForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    tax_id = forms.CharField(label=_("Tax id"), max_length=64, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class PeriodForm(StyledFormMixin, forms.Form):
    """The report's filter: a period of local dates and an optional location."""

    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("Until"), widget=DateInput())
    location = forms.TypedChoiceField(
        label=_("Location"), coerce=int, required=False, empty_value=None
    )

    MAX_DAYS = 3 * 366

    def __init__(self, *args, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].choices = [("", _("All locations"))] + [
            (loc.pk, loc.name) for loc in locations
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The end date cannot be before the start date."))
            elif (end - start).days > self.MAX_DAYS:
                self.add_error("end", _("A report covers at most three years."))
        return data


class BudgetCellForm(StyledFormMixin, forms.Form):
    category_id = forms.TypedChoiceField(label=_("Category"), coerce=int)
    month = forms.TypedChoiceField(label=_("Month"), coerce=date.fromisoformat)
    amount = MoneyField(
        label=_("Planned"), required=False, help_text=_("Empty or 0 removes the line.")
    )
    location = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, business, categories, months, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].currency = business.currency
        self.fields["category_id"].choices = [(c.pk, c.name) for c in categories]
        self.fields["month"].choices = [(m.isoformat(), f"{m:%Y-%m}") for m in months]


class CommissionRuleForm(StyledFormMixin, forms.Form):
    master_id = forms.TypedChoiceField(label=_("Master"), coerce=int)
    kind = forms.ChoiceField(label=_("Kind"), choices=CommissionRule.Kind.choices)
    percent = forms.DecimalField(
        label=_("Percentage"),
        required=False,
        max_digits=5,
        decimal_places=2,
        help_text=_("For a percentage rule, e.g. 40 or 12.5."),
    )
    amount = MoneyField(label=_("Fixed amount"), required=False)
    service_id = forms.TypedChoiceField(
        label=_("Only for service"), coerce=int, required=False, empty_value=None
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput())
    valid_until = forms.DateField(label=_("Valid until"), widget=DateInput(), required=False)

    def __init__(self, *args, business, masters, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].currency = business.currency
        self.fields["master_id"].choices = [(m.pk, m.display_name) for m in masters]
        self.fields["service_id"].choices = [("", _("All services"))] + [
            (s.pk, s.name) for s in services
        ]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        percent = data.get("percent")
        return {
            "master_id": data["master_id"],
            "kind": data["kind"],
            "valid_from": data["valid_from"],
            "valid_until": data.get("valid_until"),
            "rate_bp": int((percent or 0) * 100),
            "amount": data.get("amount") or 0,
            "service_id": data.get("service_id"),
        }


class PayPeriodForm(StyledFormMixin, forms.Form):
    master = forms.TypedChoiceField(label=_("Master"), coerce=int)
    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("Until"), widget=DateInput())

    def __init__(self, *args, masters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["master"].choices = [(m.pk, m.display_name) for m in masters]


class PayForm(StyledFormMixin, forms.Form):
    paid_from = forms.ChoiceField(label=_("Paid from"), choices=PaidFrom.choices)


def month_start(day: date) -> date:
    return day.replace(day=1)
