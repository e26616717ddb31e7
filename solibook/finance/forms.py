"""Back-office forms. Amounts are typed in major units (12.50) and turned into
minor units exactly (`core.money.Money.from_decimal`); shape only — the
services decide."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from solibook.core.forms import StyledFormMixin, choice_field
from solibook.core.ids import MAX_DB_ID
from solibook.core.money import Money
from solibook.core.validators import validate_name
from solibook.finance.models import Refund

PRODUCT_ROWS = 3


class MoneyField(forms.DecimalField):
    """A major-unit amount, cleaned to integer minor units of `currency`."""

    def __init__(self, *args, currency: str = "EUR", **kwargs):
        kwargs.setdefault("min_value", Decimal("0"))
        kwargs.setdefault("max_value", Decimal("100000000"))
        kwargs.setdefault("decimal_places", 3)
        kwargs.setdefault("required", False)
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


class CheckoutForm(StyledFormMixin, forms.Form):
    location = forms.TypedChoiceField(label=_("Location"), coerce=int)
    appointment = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, max_value=MAX_DB_ID
    )
    gift_card_amount = forms.DecimalField(label=_("Sell a gift card of"), required=False)
    # Not stripped: a name of only spaces is refused (validate_name), not taken for none.
    gift_card_recipient = forms.CharField(
        label=_("Gift card for"),
        required=False,
        max_length=150,
        strip=False,
        validators=[validate_name],
    )
    package_plan = forms.TypedChoiceField(
        label=_("Sell a package"), required=False, coerce=int, empty_value=None
    )
    use_package = forms.TypedChoiceField(
        label=_("Pay the services with the client's package"),
        required=False,
        coerce=int,
        empty_value=None,
    )
    discount_kind = forms.ChoiceField(
        label=_("Discount"),
        required=False,
        choices=[
            ("", _("None")),
            ("amount", _("Amount")),
            ("percent", _("Percent")),
            ("promo_code", _("Promo code")),
            ("membership", _("Membership")),
        ],
    )
    discount_value = forms.DecimalField(
        label=_("Discount value"), required=False, min_value=0, max_value=Decimal("100000000")
    )
    discount_reason = forms.CharField(
        label=_("Reason for the discount"), required=False, max_length=200
    )
    promo_code = forms.CharField(label=_("Promo code"), required=False, max_length=40)
    pay_cash = forms.DecimalField(label=_("Cash"), required=False)
    pay_card = forms.DecimalField(label=_("Card"), required=False)
    pay_gift_card = forms.DecimalField(label=_("Gift card"), required=False)
    gift_card_code = forms.CharField(label=_("Gift card code"), required=False, max_length=40)
    pay_client_credit = forms.DecimalField(label=_("Client credit"), required=False)
    pay_online = forms.DecimalField(label=_("Paid online (deposit)"), required=False)
    # The client card's rewards (issue #15, point 3): a walk-in's as well.
    pay_points = forms.IntegerField(
        label=_("Loyalty points to redeem"), required=False, min_value=1, max_value=10**7
    )
    pay_wallet = forms.DecimalField(label=_("Wallet credit"), required=False)
    voucher = forms.TypedChoiceField(
        label=_("Referral voucher"), required=False, coerce=int, empty_value=None
    )
    pay_voucher = forms.DecimalField(label=_("Paid with the voucher"), required=False)
    # An employee's wellness budget (the corporate app's `wellness_budget` tender).
    pay_wellness = forms.DecimalField(label=_("Wellness budget (employer)"), required=False)
    online_payment = forms.TypedChoiceField(
        label=_("Online payment"), required=False, coerce=int, empty_value=None
    )
    language = forms.ChoiceField(
        label=_("Receipt language"),
        choices=[
            ("", _("Client's language")),
            ("en", "English"),
            ("fr", "Français"),
            ("ru", "Русский"),
            ("ar", "العربية"),
        ],
        required=False,
    )
    shown_total = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0, max_value=10**11
    )

    def __init__(
        self,
        *args,
        currency: str,
        locations,
        products,
        masters,
        package_plans,
        client_packages,
        online_payments,
        tip_masters,
        rewards=None,
        **kwargs,
    ):
        self.currency = currency
        self.rewards = rewards  # referrals.selectors.DeskRewards of the visit's card, or None
        super().__init__(*args, **kwargs)
        money = {"currency": currency}
        for name in (
            "gift_card_amount",
            "pay_cash",
            "pay_card",
            "pay_gift_card",
            "pay_client_credit",
            "pay_online",
            "pay_wallet",
            "pay_voucher",
            "pay_wellness",
        ):
            old = self.fields[name]
            self.fields[name] = MoneyField(label=old.label, **money)
            self.fields[name].widget.attrs["data-tender"] = "1" if name.startswith("pay_") else ""
        choice_field(self, "location").choices = [(loc.pk, loc.name) for loc in locations]
        product_choices = [("", "—")] + [(p.pk, p.name) for p in products]
        master_choices = [("", "—")] + [(m.pk, m.display_name) for m in masters]
        self.product_rows = []
        for i in range(PRODUCT_ROWS):
            self.fields[f"product_{i}"] = forms.TypedChoiceField(
                label=_("Product"),
                choices=product_choices,
                required=False,
                coerce=int,
                empty_value=None,
            )
            self.fields[f"quantity_{i}"] = forms.IntegerField(
                label=_("Quantity"), required=False, min_value=1, max_value=999, initial=1
            )
            self.fields[f"seller_{i}"] = forms.TypedChoiceField(
                label=_("Sold by"),
                choices=master_choices,
                required=False,
                coerce=int,
                empty_value=None,
            )
            self.product_rows.append((f"product_{i}", f"quantity_{i}", f"seller_{i}"))
        self.tip_fields = []
        for master in tip_masters:
            name = f"tip_{master.pk}"
            self.fields[name] = MoneyField(
                label=_("Tip for %(master)s") % {"master": master.display_name}, **money
            )
            self.tip_fields.append((name, master.pk))
        choice_field(self, "package_plan").choices = [("", "—")] + [
            (p.pk, p.name) for p in package_plans
        ]
        choice_field(self, "use_package").choices = [("", "—")] + [
            (p.pk, f"{p.plan.name} ({p.visits_total - p.visits_used})") for p in client_packages
        ]
        choice_field(self, "voucher").choices = [("", "—")] + [
            (v.pk, Money(v.amount, v.currency).format(get_language() or "en"))
            for v in (rewards.vouchers if rewards else [])
        ]
        choice_field(self, "online_payment").choices = [("", "—")] + [
            (p.pk, f"#{p.pk} · {p.get_state_display()}") for p in online_payments
        ]
        for field in self.fields.values():
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            if css not in widget.attrs.get("class", ""):
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def clean_discount_value(self):
        value = self.cleaned_data.get("discount_value")
        kind = self.data.get(self.add_prefix("discount_kind"), "")
        if value is None or value == "":
            return 0
        if kind == "amount":
            try:
                return Money.from_decimal(value, self.currency).amount
            except ValueError:
                raise forms.ValidationError(
                    _("Too many decimals for %(currency)s.") % {"currency": self.currency}
                ) from None
        if value != int(value):
            raise forms.ValidationError(_("A percentage is a whole number."))
        return int(value)


class DeskDepositForm(StyledFormMixin, forms.Form):
    tender = forms.ChoiceField(
        label=_("Paid by"), choices=[("cash", _("Cash")), ("card", _("Card"))]
    )


class GiftCardLookupForm(StyledFormMixin, forms.Form):
    code = forms.CharField(label=_("Gift card code"), max_length=40)


class SettingsForm(StyledFormMixin, forms.Form):
    prices_include_tax = forms.BooleanField(label=_("Prices include tax"), required=False)
    vat_registered = forms.BooleanField(label=_("Charges VAT"), required=False)
    service_tax_rate = forms.DecimalField(
        label=_("Service VAT rate (%)"),
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
        help_text=_("Empty: the country's standard rate."),
    )
    online_provider = forms.ChoiceField(
        label=_("Online payments"), choices=[("venue", _("Pay at the venue")), ("stripe", "Stripe")]
    )
    stripe_account_id = forms.RegexField(
        label=_("Stripe connected account"),
        regex=r"^(acct_[A-Za-z0-9]{1,60})?$",
        required=False,
        max_length=64,
    )
    receipt_footer = forms.CharField(label=_("Receipt footer"), required=False, max_length=300)


class ProductForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    price = forms.DecimalField(
        label=_("Price"), min_value=Decimal("0.001"), max_value=Decimal("1000000")
    )
    sku = forms.CharField(label=_("SKU"), required=False, max_length=64)
    tax_rate = forms.DecimalField(
        label=_("VAT rate (%)"), required=False, min_value=0, max_value=100, decimal_places=2
    )


class PackagePlanForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    service = forms.TypedChoiceField(label=_("Service"), coerce=int)
    visits = forms.IntegerField(label=_("Visits"), min_value=1, max_value=100)
    price = forms.DecimalField(
        label=_("Price"), min_value=Decimal("0.001"), max_value=Decimal("1000000")
    )
    validity_days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=3650, initial=365
    )

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "service").choices = [(s.pk, s.name) for s in services]


class MembershipPlanForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    price = forms.DecimalField(
        label=_("Monthly price"), min_value=Decimal("0.001"), max_value=Decimal("1000000")
    )
    discount_percent = forms.IntegerField(
        label=_("Discount on services (%)"), min_value=0, max_value=100, initial=0
    )


class MembershipStartForm(StyledFormMixin, forms.Form):
    plan = forms.TypedChoiceField(label=_("Plan"), coerce=int)
    # The person's online account (a user id), not a client card.
    account = forms.IntegerField(label=_("Account id"), min_value=1, max_value=MAX_DB_ID)
    tender = forms.ChoiceField(
        label=_("Paid by"),
        choices=[
            ("cash", _("Cash")),
            ("card", _("Card")),
            ("online", _("Saved card (renews monthly)")),
        ],
    )

    def __init__(self, *args, plans=(), **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "plan").choices = [(p.pk, p.name) for p in plans]


class TestCardForm(StyledFormMixin, forms.Form):
    """The test-mode card page (no real card: the provider checks the test numbers)."""

    number = forms.CharField(
        label=_("Card number"),
        max_length=23,
        widget=forms.TextInput(
            attrs={"autocomplete": "cc-number", "inputmode": "numeric", "dir": "ltr"}
        ),
    )
    expiry = forms.CharField(
        label=_("Expiry (MM/YY)"),
        max_length=7,
        widget=forms.TextInput(attrs={"autocomplete": "cc-exp", "dir": "ltr"}),
    )
    cvc = forms.CharField(
        label=_("Security code (CVC)"),
        max_length=4,
        widget=forms.TextInput(
            attrs={"autocomplete": "cc-csc", "inputmode": "numeric", "dir": "ltr"}
        ),
    )


class GiftCardSendForm(StyledFormMixin, forms.Form):
    """The gift card to its recipient, from the sale page (`gift_card_send`)."""

    channel = forms.ChoiceField(
        label=_("Send by"), choices=[("email", _("E-mail")), ("sms", _("SMS"))], initial="email"
    )
    to = forms.CharField(
        label=_("Recipient's e-mail or phone"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    language = forms.ChoiceField(label=_("Language of the message"), choices=settings.LANGUAGES)
    note = forms.CharField(
        label=_("A word from the giver"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class GiftCardBalanceForm(StyledFormMixin, forms.Form):
    """The holder's balance check (public page)."""

    code = forms.CharField(
        label=_("Gift card code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class RefundLinesForm(StyledFormMixin, forms.Form):
    """A refund by line: how many units of each service or product line, which tips.
    Shape only; `services.refund_by_lines` refuses more than was sold."""

    reason = forms.ChoiceField(label=_("Reason"), choices=Refund.Reason.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args, lines=(), tips=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.line_fields, self.tip_fields = [], []
        for line in lines:
            name = f"line_{line.pk}"
            self.fields[name] = forms.IntegerField(
                label=_("Units of “%(item)s” to refund") % {"item": line.description},
                required=False,
                min_value=0,
                max_value=999,
                initial=0,
            )
            self.fields[name].widget.attrs.update({"class": "form-control", "inputmode": "numeric"})
            self.line_fields.append((name, line))
        for tip in tips:
            name = f"tip_{tip.pk}"
            self.fields[name] = forms.BooleanField(
                label=_("Refund the tip for %(master)s") % {"master": tip.master.display_name},
                required=False,
            )
            self.tip_fields.append((name, tip))

    def chosen(self) -> tuple[list[tuple[int, int]], list[int]]:
        """([(line id, units)], [tip id]) as chosen, in the page's order."""
        data = self.cleaned_data
        lines = [(line.pk, data[name]) for name, line in self.line_fields if data.get(name)]
        tips = [tip.pk for name, tip in self.tip_fields if data.get(name)]
        return lines, tips
