"""The pages' forms: shape only (the services decide). Amounts are typed in major
units and cleaned to integer minor units of the company's currency."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from solibook.catalog.models import Category
from solibook.core.forms import StyledFormMixin
from solibook.core.money import Money, minor_digits

LANGUAGES = [("fr", "Français"), ("en", "English"), ("ru", "Русский"), ("ar", "العربية")]


def major(amount: int, currency: str) -> Decimal:
    """Minor units as the amount a person types (1250 EUR cents → 12.50)."""
    return Decimal(amount).scaleb(-minor_digits(currency))


class MoneyField(forms.DecimalField):
    def __init__(self, *args, currency: str = "EUR", **kwargs):
        kwargs.setdefault("min_value", Decimal("0"))
        kwargs.setdefault("max_value", Decimal("1000000"))
        kwargs.setdefault("decimal_places", 3)
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.widget.attrs.update({"inputmode": "decimal", "step": "any"})

    def clean(self, value):
        value = super().clean(value)
        if value in (None, ""):
            return 0
        try:
            return Money.from_decimal(value, self.currency).amount
        except (ValueError, InvalidOperation):
            raise forms.ValidationError(
                _("Too many decimals for %(currency)s.") % {"currency": self.currency}
            ) from None


class RulesForm(StyledFormMixin, forms.Form):
    monthly_budget = MoneyField(label=_("Monthly budget per employee"))
    rollover_cap = MoneyField(
        label=_("Unspent budget carried over, at most"),
        help_text=_("What is left above this at the month's end expires."),
    )
    allowed_categories = forms.MultipleChoiceField(
        label=_("Service categories paid for"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every category."),
    )

    def __init__(self, *args, currency: str = "EUR", language: str = "en", **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("monthly_budget", "rollover_cap"):
            money = self.fields[name]
            assert isinstance(money, MoneyField)
            money.currency = currency
        field = self.fields["allowed_categories"]
        assert isinstance(field, forms.MultipleChoiceField)
        attr = f"name_{language}" if language in ("en", "fr", "ru", "ar") else "name_en"
        field.choices = [
            (c.slug, getattr(c, attr) or c.name_en)
            for c in Category.objects.filter(parent__isnull=True)
        ]


class CompanyForm(RulesForm):
    name = forms.CharField(label=_("Name"), max_length=150)
    city = forms.CharField(label=_("City"), max_length=120)
    domains = forms.CharField(
        label=_("E-mail domains"),
        max_length=500,
        help_text=_("Separated by spaces, such as example.com example.fr."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES)
    legal_name = forms.CharField(label=_("Legal name"), max_length=200, required=False)
    vat_number = forms.CharField(label=_("VAT number"), max_length=40, required=False)

    field_order = ["name", "city", "domains", "language", "legal_name", "vat_number"]


class EmailForm(StyledFormMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)


class InviteForm(StyledFormMixin, forms.Form):
    emails = forms.CharField(
        label=_("E-mail addresses"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=20000,
        help_text=_("One or more, separated by spaces or new lines."),
    )


class MonthForm(StyledFormMixin, forms.Form):
    month = forms.DateField(
        label=_("Month"),
        widget=forms.DateInput(attrs={"type": "month"}),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )


class PayForm(StyledFormMixin, forms.Form):
    amount = MoneyField(label=_("From my wellness budget"), min_value=Decimal("0.01"))

    def __init__(self, *args, currency: str = "EUR", **kwargs):
        super().__init__(*args, **kwargs)
        money = self.fields["amount"]
        assert isinstance(money, MoneyField)
        money.currency = currency
