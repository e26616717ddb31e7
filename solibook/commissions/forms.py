"""The pages' forms (shape only; the rules live in the services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from solibook.catalog.models import Category
from solibook.core.errors import ValidationFailed
from solibook.core.forms import StyledFormMixin
from solibook.core.money import Money
from solibook.marketplace.models import Promotion


class DisputeForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why is this line wrong?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DecisionForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept: waive the line")), ("reject", _("Reject: keep the charge"))],
    )
    reason = forms.CharField(
        label=_("Reason given to the salon"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BoostForm(StyledFormMixin, forms.Form):
    mode = forms.ChoiceField(label=_("How you pay"), choices=Promotion.Mode.choices)
    city = forms.CharField(
        label=_("City"), max_length=120, required=False, help_text=_("Empty: every city.")
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("Every category"),
    )
    price = forms.DecimalField(
        label=_("Price per new client"), min_value=0, max_digits=12, decimal_places=3
    )
    daily_budget = forms.DecimalField(
        label=_("Daily budget (daily budget only)"),
        min_value=0,
        max_digits=12,
        decimal_places=3,
        required=False,
    )
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(parent__isnull=True)

    def service_arguments(self, business) -> dict:
        data = self.cleaned_data
        amounts = {}
        for name in ("price", "daily_budget"):
            try:
                amounts[name] = (
                    Money.from_decimal(data[name], business.currency).amount
                    if data[name] is not None
                    else 0
                )
            except ValueError:
                message = str(_("Too many decimals for this currency."))
                raise ValidationFailed(message, fields={name: [message]}) from None
        return {
            "mode": data["mode"],
            "city": data["city"],
            "category_id": data["category"].pk if data["category"] else None,
            "price_amount": amounts["price"],
            "daily_budget": amounts["daily_budget"],
            "starts_on": data["starts_on"],
            "ends_on": data["ends_on"],
        }
