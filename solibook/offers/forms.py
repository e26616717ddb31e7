from datetime import datetime, time
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _

from solibook.catalog.models import Location, Service, Weekday
from solibook.core.errors import ValidationFailed
from solibook.core.forms import StyledFormMixin
from solibook.core.money import Money


class OffPeakForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120, required=False)
    location = forms.ModelChoiceField(
        label=_("Location"),
        queryset=Location.objects.none(),
        required=False,
        empty_label=_("Every location"),
    )
    weekdays = forms.MultipleChoiceField(
        label=_("Days"), choices=Weekday.choices, widget=forms.CheckboxSelectMultiple
    )
    start = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}))
    discount_percent = forms.IntegerField(label=_("Discount (%)"), min_value=1, max_value=90)
    valid_from = forms.DateField(
        label=_("Valid from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, business, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = Location.objects.filter(business=business)
        self.fields["weekdays"].widget.attrs.pop("class", None)


class PromoForm(StyledFormMixin, forms.Form):
    code = forms.CharField(label=_("Code"), max_length=32)
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    discount_percent = forms.IntegerField(
        label=_("Discount (%)"), min_value=1, max_value=100, required=False
    )
    discount_amount = forms.DecimalField(
        label=_("Or an amount off"), min_value=0, max_digits=12, decimal_places=3, required=False
    )
    valid_until = forms.DateField(
        label=_("Valid until (end of day)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    service = forms.ModelChoiceField(
        label=_("Only on this service"),
        queryset=Service.objects.none(),
        required=False,
        empty_label=_("The whole visit"),
    )
    max_redemptions = forms.IntegerField(label=_("Total limit"), min_value=1, required=False)
    once_per_client = forms.BooleanField(label=_("Once per client"), required=False, initial=True)

    def __init__(self, *args, business=None, **kwargs):
        super().__init__(*args, **kwargs)
        if business is not None:
            service_field: forms.ModelChoiceField = self.fields["service"]  # type: ignore[assignment]
            service_field.queryset = Service.objects.filter(business=business, is_active=True)

    def service_arguments(self, business) -> dict:
        data = self.cleaned_data
        amount = None
        if data["discount_amount"] is not None:
            try:
                amount = Money.from_decimal(data["discount_amount"], business.currency).amount
            except ValueError:
                message = _("Too many decimals for this currency.")
                raise ValidationFailed(
                    str(message), fields={"discount_amount": [str(message)]}
                ) from None
        until = None
        if data["valid_until"]:
            with_zone = (
                Location.objects.filter(business=business)
                .values_list("time_zone", flat=True)
                .first()
                or "UTC"
            )
            until = datetime.combine(data["valid_until"], time.max, tzinfo=ZoneInfo(with_zone))
        return {
            "code": data["code"],
            "description": data["description"],
            "discount_percent": data["discount_percent"],
            "discount_amount": amount,
            "valid_until": until,
            "max_redemptions": data["max_redemptions"],
            "once_per_client": data["once_per_client"],
            "service_id": data["service"].pk if data.get("service") else None,
        }
