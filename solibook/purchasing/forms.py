"""Back-office forms of purchasing: shape only. What is allowed (packs left to
receive, offers of the order's supplier, amounts) is decided by the services,
whose refusals land on these forms."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from solibook.core.forms import StyledFormMixin, choice_field
from solibook.core.money import Money
from solibook.purchasing.models import PaidFrom


class PriceField(forms.DecimalField):
    """A price typed in major units ("12.50") cleaned to minor units of `currency`."""

    def __init__(self, *, currency: str, **kwargs):
        self.currency = currency
        super().__init__(max_digits=14, decimal_places=3, min_value=Decimal("0.01"), **kwargs)

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


class SupplierLanguageForm(StyledFormMixin, forms.Form):
    language = forms.ChoiceField(label=_("Language of orders"), choices=settings.LANGUAGES)


class OfferForm(StyledFormMixin, forms.Form):
    product_id = forms.TypedChoiceField(label=_("Product"), coerce=int)
    pack_name = forms.CharField(
        label=_("Pack"), max_length=100, help_text=_("As the supplier sells it, e.g. Bottle 1 L.")
    )
    pack_size = forms.DecimalField(
        label=_("Pack size, in the product's stock unit"),
        max_digits=14,
        decimal_places=3,
        help_text=_("A 1 L bottle of a product counted in ml holds 1000."),
    )
    price_amount = PriceField(label=_("Price per pack, before VAT"), currency="EUR")
    lead_time_days = forms.IntegerField(label=_("Lead time (days)"), min_value=0, max_value=365)
    supplier_sku = forms.CharField(label=_("Supplier's reference"), max_length=64, required=False)
    is_preferred = forms.BooleanField(label=_("Preferred offer for reordering"), required=False)

    def __init__(self, *args, products=(), currency: str = "EUR", editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "product_id").choices = [(p.pk, p.name) for p in products]
        price = self.fields["price_amount"]
        assert isinstance(price, PriceField)
        price.currency = currency
        if editing:
            del self.fields["product_id"]
            self.fields["is_active"] = forms.BooleanField(label=_("Active"), required=False)
            self.fields["is_active"].widget.attrs["class"] = "form-check-input"


class OrderForm(StyledFormMixin, forms.Form):
    supplier_id = forms.TypedChoiceField(label=_("Supplier"), coerce=int)
    location_id = forms.TypedChoiceField(label=_("Deliver to"), coerce=int)

    def __init__(self, *args, suppliers=(), locations=(), **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "supplier_id").choices = [(s.pk, s.name) for s in suppliers]
        choice_field(self, "location_id").choices = [(loc.pk, loc.name) for loc in locations]


class LineForm(StyledFormMixin, forms.Form):
    offer_id = forms.TypedChoiceField(label=_("Product and pack"), coerce=int)
    packs = forms.IntegerField(
        label=_("Packs"), min_value=0, max_value=100_000, help_text=_("0 removes the line.")
    )

    def __init__(self, *args, offers=(), **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "offer_id").choices = [(o.pk, str(o)) for o in offers]


class ReceiveForm(StyledFormMixin, forms.Form):
    """One packs field per line still to receive (`line_<id>`), and how it is paid."""

    paid_from = forms.ChoiceField(label=_("Paid"), choices=PaidFrom.choices)
    note = forms.CharField(label=_("Note (delivery note number…)"), max_length=300, required=False)

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.line_fields = []
        for line in lines:
            name = f"line_{line.pk}"
            self.fields[name] = forms.IntegerField(
                label=_("Packs of %(product)s arrived") % {"product": line.product.display_name},
                min_value=0,
                required=False,
                initial=line.outstanding_packs,
            )
            self.fields[name].widget.attrs.update({"class": "form-control", "inputmode": "numeric"})
            self.line_fields.append((line, name))

    def packs(self) -> dict[int, int]:
        return {
            line.pk: self.cleaned_data.get(name) or 0
            for line, name in self.line_fields
            if self.cleaned_data.get(name)
        }


class InvoiceForm(StyledFormMixin, forms.Form):
    number = forms.CharField(label=_("Invoice number"), max_length=64)
    issued_on = forms.DateField(label=_("Date"), widget=DateInput())
    due_on = forms.DateField(label=_("Due date"), widget=DateInput(), required=False)
    amount = PriceField(label=_("Amount"), currency="EUR")

    def __init__(self, *args, currency: str = "EUR", **kwargs):
        super().__init__(*args, **kwargs)
        amount = self.fields["amount"]
        assert isinstance(amount, PriceField)
        amount.currency = currency


class PayForm(StyledFormMixin, forms.Form):
    paid_from = forms.ChoiceField(
        label=_("Paid from"),
        choices=[(c.value, c.label) for c in PaidFrom if c != PaidFrom.ON_ACCOUNT],
    )
