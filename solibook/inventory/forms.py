"""The stock pages' forms (shape only: the rules live in `services`)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from solibook.core.forms import StyledFormMixin, choice_field
from solibook.finance.models import Product
from solibook.inventory.models import Kind, WriteOffReason
from solibook.inventory.units import UNIT_CHOICES


def _choices(rows, label=lambda r: r.name):
    return [(r.pk, label(r)) for r in rows]


class ProductForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    name_fr = forms.CharField(label=_("Name in French"), max_length=200, required=False)
    name_ru = forms.CharField(label=_("Name in Russian"), max_length=200, required=False)
    name_ar = forms.CharField(label=_("Name in Arabic"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Product.Kind.choices)
    stock_unit = forms.ChoiceField(label=_("Counted in"), choices=Product.Unit.choices)
    category = forms.CharField(label=_("Category"), max_length=80, required=False)
    barcode = forms.CharField(
        label=_("Barcode (EAN-13)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    sku = forms.CharField(label=_("SKU"), max_length=64, required=False)
    price = forms.DecimalField(
        label=_("Sale price"), min_value=0, max_digits=10, decimal_places=2, initial=0
    )
    tax_rate = forms.DecimalField(
        label=_("VAT rate (%)"),
        min_value=0,
        max_value=100,
        decimal_places=2,
        required=False,
        help_text=_("Empty: the country's standard rate."),
    )
    photo = forms.ImageField(label=_("Photo"), required=False)
    is_active = forms.BooleanField(label=_("On sale and in use"), required=False, initial=True)


class MovementForm(StyledFormMixin, forms.Form):
    """Stock recorded by hand at a location."""

    KINDS = [
        (Kind.RECEIPT, _("Receipt (goods in)")),
        (Kind.CONSUMPTION, _("Used (not in a visit)")),
        (Kind.ADJUSTMENT, _("Adjustment")),
        (Kind.WRITE_OFF, _("Write-off")),
    ]
    kind = forms.ChoiceField(label=_("What happened"), choices=KINDS)
    product = forms.TypedChoiceField(label=_("Product"), coerce=int)
    quantity = forms.DecimalField(
        label=_("Quantity"),
        help_text=_("An adjustment may be negative (less on the shelf)."),
        max_digits=14,
        decimal_places=3,
    )
    unit = forms.ChoiceField(
        label=_("Unit"), choices=[("", _("Product's unit")), *UNIT_CHOICES], required=False
    )
    unit_cost = forms.DecimalField(
        label=_("Cost per unit"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=4,
        help_text=_("Receipts: what one unit cost (updates the average cost)."),
    )
    write_off_reason = forms.ChoiceField(
        label=_("Why written off"), choices=[("", "—"), *WriteOffReason.choices], required=False
    )
    reason = forms.CharField(label=_("Reason or note"), max_length=300, required=False)

    def __init__(self, *args, products=(), **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "product").choices = _choices(products, lambda p: p.display_name)


class TransferForm(StyledFormMixin, forms.Form):
    to_location = forms.TypedChoiceField(label=_("Send to"), coerce=int)
    product = forms.TypedChoiceField(label=_("Product"), coerce=int)
    quantity = forms.DecimalField(label=_("Quantity"), min_value=0, max_digits=14, decimal_places=3)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, locations=(), products=(), **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "to_location").choices = _choices(locations)
        choice_field(self, "product").choices = _choices(products, lambda p: p.display_name)


class MinimumForm(StyledFormMixin, forms.Form):
    product = forms.TypedChoiceField(label=_("Product"), coerce=int)
    minimum = forms.DecimalField(
        label=_("Minimum to keep"), min_value=0, max_digits=14, decimal_places=3
    )

    def __init__(self, *args, products=(), **kwargs):
        # Its own ids: it shares the stock page with the movement form, whose
        # `product` would otherwise take this form's labels.
        kwargs.setdefault("auto_id", "id_minimum_%s")
        super().__init__(*args, **kwargs)
        choice_field(self, "product").choices = _choices(products, lambda p: p.display_name)


class RecipeLineForm(StyledFormMixin, forms.Form):
    product = forms.TypedChoiceField(label=_("Product"), coerce=int, required=False)
    quantity = forms.DecimalField(
        label=_("Quantity"), min_value=0, required=False, max_digits=14, decimal_places=3
    )
    unit = forms.ChoiceField(
        label=_("Unit"), choices=[("", _("Product's unit")), *UNIT_CHOICES], required=False
    )

    def __init__(self, *args, products=(), **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "product").choices = [
            ("", "—"),
            *_choices(products, lambda p: p.display_name),
        ]


class ScanForm(StyledFormMixin, forms.Form):
    barcode = forms.CharField(
        label=_("Scan or type a barcode, then Enter"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autofocus": True, "inputmode": "numeric", "autocomplete": "off"}
        ),
    )


class CountForm(StyledFormMixin, forms.Form):
    product = forms.TypedChoiceField(label=_("Product"), coerce=int)
    counted = forms.DecimalField(label=_("Counted"), min_value=0, max_digits=14, decimal_places=3)

    def __init__(self, *args, products=(), **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "product").choices = _choices(products, lambda p: p.display_name)


class UsageForm(StyledFormMixin, forms.Form):
    product = forms.TypedChoiceField(label=_("Product"), coerce=int)
    quantity = forms.DecimalField(
        label=_("Actually used"), min_value=0, max_digits=14, decimal_places=3
    )
    unit = forms.ChoiceField(
        label=_("Unit"), choices=[("", _("Product's unit")), *UNIT_CHOICES], required=False
    )

    def __init__(self, *args, products=(), **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "product").choices = _choices(products, lambda p: p.display_name)
