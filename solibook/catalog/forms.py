"""Forms of the catalogue pages. They check shape only; services decide the rest.

Working hours are typed as ranges, `09:00-13:00 14:00-19:00`: one line per
day is faster to type than pairs of time pickers, and the gap is the break.
"""

import re
from collections import defaultdict
from datetime import datetime, time
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language_info, ngettext
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from solibook.accounts.models import User
from solibook.accounts.roles import Role
from solibook.catalog.models import (
    Category,
    DepositRule,
    Location,
    LocationPhoto,
    MasterPhoto,
    ResourceType,
    TimeOff,
    Weekday,
)
from solibook.core.forms import (
    FormMixinBase,
    StyledFormMixin,
    choice_field,
    form_field,
)
from solibook.core.money import SUPPORTED_CURRENCIES, Money, minor_digits
from solibook.core.time import NonexistentLocalTime, local_to_utc, zone_choices
from solibook.core.validators import validate_name

# ---------------------------------------------------------------- building blocks

_DASHES = re.compile(r"\s*[-–—]\s*")
_RANGE = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")
Period = tuple[time, time]


def _clock(hours: str, minutes: str, token: str) -> time:
    try:
        return time(int(hours), int(minutes))
    except ValueError:
        raise ValidationError(
            _("“%(value)s” is not a valid time of day."), code="invalid", params={"value": token}
        ) from None


def parse_ranges(text: str) -> list[Period]:
    """`09:00-13:00 14:00-19:00` → sorted (start, end) pairs; blank → []."""
    tokens = [t for t in re.split(r"[\s,;]+", _DASHES.sub("-", text.strip())) if t]
    periods = []
    for token in tokens:
        match = _RANGE.match(token)
        if not match:
            raise ValidationError(
                _("“%(value)s” is not a time range; write it like 09:00-13:00."),
                code="invalid",
                params={"value": token},
            )
        start, end = _clock(match[1], match[2], token), _clock(match[3], match[4], token)
        if end <= start:
            raise ValidationError(
                _("In “%(value)s” the end is not after the start."),
                code="backwards",
                params={"value": token},
            )
        periods.append((start, end))
    periods.sort()
    for (s1, e1), (s2, e2) in zip(periods, periods[1:], strict=False):
        if s2 < e1:
            raise ValidationError(
                _("%(first)s and %(second)s overlap."),
                code="overlap",
                params={"first": format_ranges([(s1, e1)]), "second": format_ranges([(s2, e2)])},
            )
    return periods


def format_ranges(periods) -> str:
    return " ".join(f"{start:%H:%M}-{end:%H:%M}" for start, end in periods)


class TimeRangesField(forms.CharField):
    """Text in, a list of (start, end) times out."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("placeholder", "09:00-13:00 14:00-19:00")
        self.widget.attrs.setdefault("dir", "ltr")  # times read left to right in Arabic too

    # The field's value is the parsed ranges, not its text: by design, unlike CharField's.
    def to_python(self, value) -> list[Period]:  # type: ignore[override]
        return parse_ranges(super().to_python(value) or "")

    def prepare_value(self, value):
        return format_ranges(value) if isinstance(value, list) else value

    def has_changed(self, initial, data) -> bool:
        try:
            return self.to_python(initial or "") != self.to_python(data or "")
        except ValidationError:
            return True


def to_minor_units(value: Decimal, currency: str) -> int:
    try:
        return Money.from_decimal(value, currency).amount
    except ValueError:
        digits = minor_digits(currency)
        message = (
            ngettext(
                "Use at most %(digits)d decimal place for %(currency)s.",
                "Use at most %(digits)d decimal places for %(currency)s.",
                digits,
            )
            if digits
            else _("Use whole amounts for %(currency)s.")
        )
        raise ValidationError(
            message, code="decimals", params={"digits": digits, "currency": currency}
        ) from None


class PriceField(forms.DecimalField):
    """A price typed in major units ("45.00"), cleaned to integer minor units.
    Set `currency` before cleaning; initial values are minor units too."""

    def __init__(self, *, currency: str = "EUR", **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("localize", True)  # "45,00" in French
        super().__init__(**kwargs)
        self.currency = currency
        self.widget.attrs.update({"inputmode": "decimal", "dir": "ltr"})

    def clean(self, value):
        amount = super().clean(value)
        return None if amount is None else to_minor_units(amount, self.currency)

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            value = Money(value, self.currency).as_decimal()
        return super().prepare_value(value)

    def has_changed(self, initial, data) -> bool:
        try:
            typed = self.to_python(data)
        except ValidationError:
            return True
        known = Money(initial, self.currency).as_decimal() if isinstance(initial, int) else initial
        return typed != known


class LocalDateTimeField(forms.Field):
    """A wall-clock date and time, left naive on purpose: the form places it
    in the location's zone (Django's own field would use the server's)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    default_error_messages = {"invalid": _("Enter a date and time.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value
        try:
            parsed = parse_datetime(str(value).strip())
        except ValueError:
            parsed = None
        if parsed is None or parsed.tzinfo is not None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed


class AccountChoiceField(forms.ModelChoiceField):
    """A user account, shown as "Name <e-mail>"."""

    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name} <{obj.email}>" if obj.full_name else obj.email


class CatalogFormMixin(StyledFormMixin):
    """StyledFormMixin, with checkbox lists styled as checkboxes. (Django links
    `<id>_error` and `<id>_helptext` through aria-describedby by itself.)"""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxSelectMultiple):
                field.widget.attrs["class"] = "form-check-input"


def _weekday_fields(form: forms.Form, label_prefix: str = "") -> None:
    for day, day_name in Weekday.choices:
        label = f"{label_prefix}, {day_name}" if label_prefix else day_name
        form.fields[f"day_{day}"] = TimeRangesField(label=label)
        form.fields[f"day_{day}"].widget.attrs["class"] = "form-control form-control-sm"


def weekday_initial(periods_by_day: dict[int, list[Period]]) -> dict[str, str]:
    return {f"day_{day}": format_ranges(periods) for day, periods in periods_by_day.items()}


class WeekRangesMixin(FormMixinBase):
    """Seven `day_N` range fields; `periods()` flattens them for a service."""

    def day_fields(self):
        return [self[f"day_{day}"] for day in Weekday.values]

    def periods(self) -> list[tuple[int, str, time, time]]:
        """(weekday, field name, start, end) in the order sent to the service."""
        return [
            (day, f"day_{day}", start, end)
            for day in Weekday.values
            for start, end in self.cleaned_data.get(f"day_{day}") or []
        ]


# ---------------------------------------------------------------- business settings

LANGUAGE_CODES = ("ar", "de", "en", "es", "fr", "it", "pt", "ru", "tr", "uk", "zh-hans")


def _language_choices():
    # Each language in its own name: how people look for theirs in a list.
    return [(code, get_language_info(code)["name_local"]) for code in LANGUAGE_CODES]


class BusinessSettingsForm(CatalogFormMixin, forms.Form):
    name = forms.CharField(label=_("Business name"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    legal_name = forms.CharField(label=_("Legal name"), required=False, max_length=200)
    registration_number = forms.CharField(
        label=_("Registration number"),
        required=False,
        max_length=64,
        help_text=_("SIRET, OGRN, commercial registration…"),
    )
    vat_number = forms.CharField(label=_("VAT number"), required=False, max_length=64)
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        required=False,
        choices=_language_choices,
        widget=forms.CheckboxSelectMultiple,
    )
    is_listed = forms.BooleanField(label=_("Listed on the marketplace"), required=False)
    lead_time_minutes = forms.IntegerField(
        label=_("Minimum notice (minutes)"), min_value=0, max_value=60 * 24 * 30
    )
    horizon_days = forms.IntegerField(label=_("Booking horizon (days)"), min_value=1, max_value=730)
    slot_step_minutes = forms.IntegerField(
        label=_("Slot step (minutes)"), min_value=5, max_value=120
    )
    cancellation_window_hours = forms.IntegerField(
        label=_("Free cancellation until (hours before)"), min_value=0, max_value=24 * 14
    )
    cancellation_fee_percent = forms.IntegerField(
        label=_("Late cancellation fee (%)"), min_value=0, max_value=100
    )
    no_show_grace_minutes = forms.IntegerField(
        label=_("No-show grace period (minutes)"),
        min_value=0,
        max_value=24 * 60,
        help_text=_("A visit can be marked no-show only this long after its start."),
    )
    no_show_undo_minutes = forms.IntegerField(
        label=_("No-show undo window (minutes)"),
        min_value=1,
        max_value=24 * 60,
        help_text=_(
            "The no-show message and fee go out only after this, so a mistake can be undone."
        ),
    )
    deposit_rule = forms.ChoiceField(label=_("Deposit"), choices=DepositRule.choices)
    deposit_value = forms.DecimalField(
        label=_("Deposit value"),
        required=False,
        min_value=0,
        max_digits=12,
        localize=True,
        help_text=_("An amount (e.g. 10.00) for a fixed deposit, a whole number for a percentage."),
    )

    PROFILE = (
        "name",
        "description",
        "legal_name",
        "registration_number",
        "vat_number",
        "languages",
        "is_listed",
    )

    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency = currency

    @classmethod
    def initial_for(cls, business) -> dict:
        initial = {name: getattr(business, name) for name in cls.base_fields}
        if business.deposit_rule == DepositRule.FIXED:
            initial["deposit_value"] = Money(business.deposit_value, business.currency).as_decimal()
        return initial

    def profile_fields(self):
        return [self[name] for name in self.PROFILE]

    def rule_fields(self):
        return [self[name] for name in self.fields if name not in self.PROFILE]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        rule, value = data.get("deposit_rule"), data.get("deposit_value")
        if rule == DepositRule.NONE:
            data["deposit_value"] = 0
        elif value is None:
            if "deposit_value" not in self.errors:
                self.add_error("deposit_value", _("Enter the deposit."))
        elif rule == DepositRule.FIXED:
            try:
                data["deposit_value"] = to_minor_units(value, self.currency)
            except ValidationError as exc:
                self.add_error("deposit_value", exc)
        elif value != value.to_integral_value() or value > 100:
            self.add_error("deposit_value", _("A percentage is a whole number up to 100."))
        else:
            data["deposit_value"] = int(value)
        return data


# ---------------------------------------------------------------- services


def category_choices() -> list:
    """Top-level categories as groups, each offering itself and its children."""
    children = defaultdict(list)
    for category in Category.objects.all():
        children[category.parent_id].append(category)
    choices: list = [("", "---------")]
    for top in children[None]:
        choices.append(
            (top.name, [(top.pk, top.name)] + [(c.pk, c.name) for c in children[top.pk]])
        )
    return choices


class ServiceForm(CatalogFormMixin, forms.Form):
    category_id = forms.TypedChoiceField(label=_("Category"), coerce=int)
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    price_amount = PriceField(label=_("Price"))
    price_is_from = forms.BooleanField(
        label=_("The price is a starting price (“from”)"), required=False
    )
    buffer_before_minutes = forms.IntegerField(
        label=_("Preparation before (minutes)"), min_value=0, max_value=240, initial=0
    )
    buffer_after_minutes = forms.IntegerField(
        label=_("Clean-up after (minutes)"), min_value=0, max_value=240, initial=0
    )
    group_capacity = forms.IntegerField(
        label=_("Clients per session"),
        min_value=1,
        max_value=200,
        initial=1,
        help_text=_("More than 1 makes it a group class."),
    )
    bookable_online = forms.BooleanField(label=_("Bookable online"), required=False, initial=True)
    requires_patch_test = forms.BooleanField(label=_("Requires a valid patch test"), required=False)
    requires_consultation = forms.BooleanField(
        label=_("Requires a consultation form"), required=False
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    resource_type_ids = forms.ModelMultipleChoiceField(
        label=_("Resources needed"),
        required=False,
        queryset=ResourceType.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "category_id").choices = category_choices()
        form_field(self, "price_amount", PriceField).currency = currency
        self.fields["price_amount"].help_text = _("In %(currency)s, e.g. 45.00") % {
            "currency": currency
        }
        form_field(
            self, "resource_type_ids", forms.ModelChoiceField
        ).queryset = ResourceType.objects.order_by("name")

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["resource_type_ids"] = [t.pk for t in data["resource_type_ids"]]
        return data


class StepForm(CatalogFormMixin, forms.Form):
    duration_minutes = forms.IntegerField(label=_("Minutes"), min_value=5, max_value=12 * 60)
    master_busy = forms.BooleanField(label=_("Master busy"), required=False, initial=True)
    label = forms.CharField(label=_("Label"), required=False, max_length=120)


class VariantForm(CatalogFormMixin, forms.Form):
    name = forms.CharField(label=_("Variant name"), max_length=120)
    price_amount = PriceField(label=_("Price"))
    duration_minutes = forms.IntegerField(label=_("Minutes"), min_value=5, max_value=12 * 60)

    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        form_field(self, "price_amount", PriceField).currency = currency


StepFormSet = forms.formset_factory(
    StepForm,
    extra=2,
    min_num=1,
    validate_min=True,
    can_delete=True,
    can_delete_extra=False,
    max_num=30,
    validate_max=True,
)
VariantFormSet = forms.formset_factory(
    VariantForm, extra=2, can_delete=True, can_delete_extra=False, max_num=30, validate_max=True
)


def kept_forms(formset) -> list[forms.Form]:
    """The rows to save, in page order: filled in and not marked for removal."""
    return [f for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


def step_specs(formset) -> tuple[list[forms.Form], list[dict]]:
    kept = kept_forms(formset)
    return kept, [
        {k: f.cleaned_data[k] for k in ("duration_minutes", "master_busy", "label")} for f in kept
    ]


def variant_specs(formset) -> tuple[list[forms.Form], list[dict]]:
    # A variant typed here is one step with the master: keep the page simple;
    # the API can describe variants with processing time.
    kept = kept_forms(formset)
    specs = [
        {
            "name": f.cleaned_data["name"],
            "price_amount": f.cleaned_data["price_amount"],
            "steps": [
                {"duration_minutes": f.cleaned_data["duration_minutes"], "master_busy": True}
            ],
        }
        for f in kept
    ]
    return kept, specs


# ---------------------------------------------------------------- masters

COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


class MasterForm(CatalogFormMixin, forms.Form):
    display_name = forms.CharField(label=_("Name"), max_length=120, validators=[validate_name])
    bio = forms.CharField(
        label=_("Bio"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    color = forms.RegexField(
        label=_("Calendar colour"),
        regex=COLOR,
        initial="#7a2e5a",
        widget=forms.TextInput(attrs={"type": "color", "class": "form-control-color"}),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    location_ids = forms.ModelMultipleChoiceField(
        label=_("Works at"), queryset=Location.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    user = AccountChoiceField(
        label=_("Team member account"),
        required=False,
        queryset=User.objects.none(),
        help_text=_("Link a team member so they see their own calendar."),
    )

    def __init__(self, *args, business, **kwargs):
        super().__init__(*args, **kwargs)
        form_field(
            self, "location_ids", forms.ModelChoiceField
        ).queryset = Location.objects.order_by("name")
        form_field(self, "user", forms.ModelChoiceField).queryset = User.objects.filter(
            memberships__business=business
        ).order_by("full_name", "email")

    def master_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["location_ids"] = [location.pk for location in data["location_ids"]]
        return data


class MasterServiceForm(CatalogFormMixin, forms.Form):
    """One row of the master's service table, prefixed by the service's id."""

    performs = forms.BooleanField(required=False)
    price_amount = PriceField(required=False)
    duration_delta_minutes = forms.IntegerField(required=False, min_value=-120, max_value=240)

    def __init__(self, *args, service, **kwargs):
        super().__init__(*args, **kwargs)
        self.service = service
        self.fields["performs"].label = _("%(service)s: performs it") % {"service": service.name}
        self.fields["price_amount"].label = _("%(service)s: own price") % {"service": service.name}
        form_field(self, "price_amount", PriceField).currency = service.currency
        self.fields["duration_delta_minutes"].label = _("%(service)s: own pace (± minutes)") % {
            "service": service.name
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        own = data.get("price_amount") is not None or data.get("duration_delta_minutes")
        if own and not data.get("performs"):
            self.add_error("performs", _("Tick the service to give it an own price or pace."))
        return data

    def spec(self) -> dict:
        return {
            "service_id": self.service.pk,
            "price_amount": self.cleaned_data["price_amount"],
            "duration_delta_minutes": self.cleaned_data["duration_delta_minutes"] or 0,
        }


# ---------------------------------------------------------------- resources


class ResourceTypeForm(CatalogFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Resource type"),
        max_length=120,
        help_text=_("A kind of room or equipment, e.g. “Massage room”."),
    )


class ResourceForm(CatalogFormMixin, forms.Form):
    location = forms.ModelChoiceField(label=_("Location"), queryset=Location.objects.none())
    resource_type = forms.ModelChoiceField(label=_("Type"), queryset=ResourceType.objects.none())
    name = forms.CharField(label=_("Name"), max_length=120)
    capacity = forms.IntegerField(
        label=_("Capacity"),
        min_value=1,
        max_value=100,
        initial=1,
        help_text=_("How many clients it serves at once."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        form_field(self, "location", forms.ModelChoiceField).queryset = Location.objects.order_by(
            "name"
        )
        form_field(
            self, "resource_type", forms.ModelChoiceField
        ).queryset = ResourceType.objects.order_by("name")


class ResourceEditForm(CatalogFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    capacity = forms.IntegerField(
        label=_("Capacity"),
        min_value=1,
        max_value=100,
        help_text=_("How many clients it serves at once."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False)


# ---------------------------------------------------------------- working time


class ScheduleRowForm(WeekRangesMixin, CatalogFormMixin, forms.Form):
    """One master's week at one location: a row of the schedule grid."""

    def __init__(self, *args, master, **kwargs):
        super().__init__(*args, **kwargs)
        self.master = master
        _weekday_fields(self, master.display_name)


class OpeningHoursForm(WeekRangesMixin, CatalogFormMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _weekday_fields(self)


class _AtLocationForm(CatalogFormMixin, forms.Form):
    """A form about one master at one of their locations."""

    location = forms.ModelChoiceField(
        label=_("Location"), queryset=Location.objects.none(), empty_label=None
    )
    id_prefix = "id"

    def __init__(self, *args, locations, **kwargs):
        # Both forms share a page: distinct ids, same field names.
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)
        form_field(self, "location", forms.ModelChoiceField).queryset = locations
        if len(locations) == 1:
            self.fields["location"].widget = forms.HiddenInput()


class DateOverrideForm(_AtLocationForm):
    id_prefix = "day"
    day = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    periods = TimeRangesField(
        label=_("Working hours that day"),
        help_text=_("For example 10:00-14:00. Leave empty for a day off."),
    )
    day_off = forms.BooleanField(label=_("Day off"), required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("day_off") and data.get("periods"):
            self.add_error("periods", _("Either working hours or a day off, not both."))
        elif not data.get("day_off") and "periods" in data and not data["periods"]:
            self.add_error("periods", _("Enter the working hours, or tick “Day off”."))
        return data


class TimeOffForm(_AtLocationForm):
    id_prefix = "time_off"
    starts_at = LocalDateTimeField(label=_("From"))
    ends_at = LocalDateTimeField(label=_("Until"))
    reason = forms.ChoiceField(label=_("Reason"), choices=TimeOff.Reason.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def clean(self) -> dict[str, Any]:
        """Local wall-clock times become UTC in the location's zone."""
        super().clean()
        data = self.cleaned_data
        location = data.get("location")
        if location is None:
            return data
        for name in ("starts_at", "ends_at"):
            if data.get(name) is None:
                continue
            try:
                data[name] = local_to_utc(data[name].date(), data[name].time(), location.time_zone)
            except NonexistentLocalTime:
                self.add_error(
                    name,
                    _(
                        "This time does not exist in %(zone)s: the clocks skip it when summer time starts."
                    )
                    % {"zone": location.time_zone},
                )
        return data


class ClosureForm(CatalogFormMixin, forms.Form):
    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    name = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=200,
        help_text=_("Shown to clients, e.g. “Staff training”."),
    )


class HolidayYearForm(CatalogFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


# ---------------------------------------------------------------- business, locations, team

COUNTRIES = [
    ("FR", _("France")),
    ("RU", _("Russia")),
    ("SA", _("Saudi Arabia")),
    ("AE", _("United Arab Emirates")),
    ("BE", _("Belgium")),
    ("CH", _("Switzerland")),
    ("GB", _("United Kingdom")),
    ("MA", _("Morocco")),
    ("KZ", _("Kazakhstan")),
]


class BusinessForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Business name"), max_length=200)
    currency = forms.ChoiceField(
        label=_("Currency"), choices=[(c, c) for c in SUPPORTED_CURRENCIES]
    )
    country = forms.ChoiceField(label=_("Country"), choices=COUNTRIES)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    is_listed = forms.BooleanField(
        label=_("Listed on the marketplace"), required=False, initial=True
    )


class LocationForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    address = forms.CharField(label=_("Address"), max_length=300)
    city = forms.CharField(label=_("City"), max_length=120)
    postal_code = forms.CharField(label=_("Postal code"), max_length=20, required=False)
    country = forms.ChoiceField(label=_("Country"), choices=COUNTRIES)
    latitude = forms.DecimalField(
        label=_("Latitude"),
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
        required=False,
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        required=False,
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"), choices=zone_choices, initial="Europe/Paris"
    )
    phone = PhoneNumberField(label=_("Phone"), required=False, region=None)


class MemberAddForm(StyledFormMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail address of an existing Solibook account"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class MemberRoleForm(StyledFormMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class BrandingForm(StyledFormMixin, forms.Form):
    colour = forms.CharField(
        label=_("Brand colour"), max_length=7, widget=forms.TextInput(attrs={"type": "color"})
    )
    logo = forms.ImageField(
        label=_("Logo"), required=False, help_text=_("PNG, JPEG, WebP or GIF, up to 2 MB.")
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)


# ---------------------------------------------------------------- pictures

_PICTURE_ACCEPT = {"accept": "image/jpeg,image/png,image/webp"}


class _PictureForm(CatalogFormMixin, forms.Form):
    # A FileField, not an ImageField: the service decodes the upload once and
    # says what is wrong with it (catalog.services.pictures).
    image = forms.FileField(
        label=_("Picture"),
        widget=forms.ClearableFileInput(attrs=_PICTURE_ACCEPT),
        help_text=_("JPEG, PNG or WebP, up to 8 MB. The location and camera data are removed."),
    )
    caption = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=200,
        help_text=_("What the picture shows, read aloud to people who cannot see it."),
    )


class LocationPictureForm(_PictureForm):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=LocationPhoto.Kind.choices,
        help_text=_(
            "A 360° panorama is an equirectangular image, twice as wide as it is high "
            "and at least 2000 pixels wide."
        ),
    )
    field_order = ["kind", "image", "caption"]


class MasterPictureForm(_PictureForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=MasterPhoto.Kind.choices)
    field_order = ["kind", "image", "caption"]


class PictureEditForm(CatalogFormMixin, forms.Form):
    caption = forms.CharField(label=_("Description"), required=False, max_length=200)
    position = forms.IntegerField(required=False, min_value=0, max_value=1000)


# ---------------------------------------------------------------- self-serve onboarding


class OnboardingStartForm(StyledFormMixin, forms.Form):
    """Step 1: the salon and its address (currency and zone follow the country)."""

    name = forms.CharField(label=_("Salon name"), max_length=200)
    country = forms.ChoiceField(label=_("Country"), choices=COUNTRIES)
    address = forms.CharField(label=_("Street address"), max_length=300)
    city = forms.CharField(label=_("City"), max_length=120)
    postal_code = forms.CharField(label=_("Postal code"), max_length=20, required=False)


def taxonomy_choices() -> list:
    """Leaf categories grouped under their parent, in the page's language."""
    categories = list(Category.objects.select_related("parent").order_by("position", "slug"))
    groups: dict[int, list] = defaultdict(list)
    for c in categories:
        if c.parent_id is not None:
            groups[c.parent_id].append((c.pk, c.name))
    return [("", "—")] + [
        (c.name, groups[c.pk]) for c in categories if c.parent_id is None and groups[c.pk]
    ]


ONBOARDING_DURATIONS = [(m, f"{m} min") for m in (15, 30, 45, 60, 75, 90, 120, 150, 180)]


class OnboardingServiceForm(StyledFormMixin, forms.Form):
    """Step 2, one row: a service from the taxonomy, its length and price."""

    category = forms.TypedChoiceField(label=_("Service"), coerce=int, required=False)
    duration_minutes = forms.TypedChoiceField(
        label=_("Length"), coerce=int, choices=ONBOARDING_DURATIONS, initial=60
    )
    price_amount = PriceField(label=_("Price"), required=False)

    def __init__(self, *args, currency: str, choices: list, **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "category").choices = choices
        form_field(self, "price_amount", PriceField).currency = currency

    def clean(self):
        data = super().clean() or {}
        if data.get("category") and data.get("price_amount") is None:
            self.add_error("price_amount", _("Give this service a price."))
        return data


class OnboardingTeamForm(StyledFormMixin, forms.Form):
    """Step 3: who takes clients, and when the salon is open."""

    name_1 = forms.CharField(label=_("Person who takes clients"), max_length=100)
    name_2 = forms.CharField(label=_("Another person (optional)"), max_length=100, required=False)
    name_3 = forms.CharField(label=_("Another person (optional)"), max_length=100, required=False)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Open on"),
        coerce=int,
        choices=Weekday.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[0, 1, 2, 3, 4, 5],
    )
    opens = forms.TimeField(
        label=_("Opens at"),
        initial=time(9, 0),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    closes = forms.TimeField(
        label=_("Closes at"),
        initial=time(19, 0),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["weekdays"].widget.attrs["class"] = "form-check-input"
