"""The search form of the pages; `build_query` is shared with the API."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from solibook.catalog.models import Category
from solibook.core.errors import ValidationFailed
from solibook.core.forms import StyledFormMixin
from solibook.core.time import validate_engine_date
from solibook.marketplace.index import city_slug
from solibook.marketplace.search import MAX_QUERY_LENGTH, MAX_RADIUS_KM, SORTS, SearchQuery
from solibook.marketplace.selectors import compare_salons

SORT_CHOICES = [
    ("relevance", _lazy("Relevance")),
    ("distance", _lazy("Distance")),
    ("price", _lazy("Price")),
    ("rating", _lazy("Rating")),
    ("earliest", _lazy("Earliest free time")),
]
assert [s for s, _label in SORT_CHOICES] == list(SORTS)


def build_query(data: dict, *, minor_per_unit: int = 1) -> SearchQuery:
    """A SearchQuery from cleaned fields (form or serializer); prices are
    multiplied by `minor_per_unit` (pages take whole units, the API minor units)."""
    category = None
    if data.get("category"):
        category = Category.objects.filter(slug=data["category"]).first()
        if category is None:
            message = _("Unknown category.")
            raise ValidationFailed(message, fields={"category": [message]})

    def price(key):
        value = data.get(key)
        return None if value is None else int(round(value * minor_per_unit))

    return SearchQuery(
        text=(data.get("q") or "").strip(),
        category=category,
        city_slug=city_slug(data["city"]) if data.get("city") else "",
        lat=data.get("lat"),
        lng=data.get("lng"),
        radius_km=data.get("radius_km"),
        price_min=price("price_min"),
        price_max=price("price_max"),
        rating_min=data.get("rating_min"),
        open_now=bool(data.get("open_now")),
        day=data.get("date"),
        time_from=data.get("time_from"),
        time_to=data.get("time_to"),
        sort=data.get("sort") or "relevance",
        page=data.get("page") or 1,
    )


class SearchForm(StyledFormMixin, forms.Form):
    q = forms.CharField(
        label=_lazy("What"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "max_length": _lazy("Your search is too long: use at most %(limit_value)s characters.")
        },
    )
    category = forms.SlugField(label=_lazy("Category"), required=False, max_length=80)
    city = forms.CharField(
        label=_lazy("Where"),
        required=False,
        max_length=120,
        error_messages={"max_length": _lazy("A city name has at most %(limit_value)s characters.")},
    )
    lat = forms.FloatField(label=_lazy("Latitude"), required=False, min_value=-90, max_value=90)
    lng = forms.FloatField(label=_lazy("Longitude"), required=False, min_value=-180, max_value=180)
    radius_km = forms.FloatField(
        label=_lazy("Radius (km)"), required=False, min_value=0, max_value=20000
    )
    price_min = forms.DecimalField(
        label=_lazy("Price from"), required=False, min_value=0, max_digits=9, decimal_places=2
    )
    price_max = forms.DecimalField(
        label=_lazy("Price up to"), required=False, min_value=0, max_digits=9, decimal_places=2
    )
    rating_min = forms.FloatField(
        label=_lazy("Rating at least"), required=False, min_value=1, max_value=5
    )
    open_now = forms.BooleanField(label=_lazy("Open now"), required=False)
    date = forms.DateField(
        label=_lazy("When"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_engine_date],
    )
    time_from = forms.TimeField(
        label=_lazy("From"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    time_to = forms.TimeField(
        label=_lazy("Until"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    sort = forms.ChoiceField(label=_lazy("Sort by"), required=False, choices=SORT_CHOICES)
    page = forms.IntegerField(
        required=False, min_value=1, max_value=10000, widget=forms.HiddenInput
    )

    def clean_radius_km(self):
        value = self.cleaned_data.get("radius_km")
        if value is not None and not 0 < value <= MAX_RADIUS_KM:
            raise forms.ValidationError(
                _("Choose a radius between 0.1 and %(max)s km.") % {"max": MAX_RADIUS_KM}
            )
        return value

    def to_query(self) -> SearchQuery:
        data = dict(self.cleaned_data)
        for key in ("price_min", "price_max"):
            if data.get(key) is not None:
                data[key] = float(data[key])
        return build_query(data, minor_per_unit=100)


def has_search(params) -> bool:
    return any(
        params.get(k)
        for k in (
            "q",
            "category",
            "city",
            "lat",
            "date",
            "price_min",
            "price_max",
            "rating_min",
            "open_now",
            "sort",
        )
    )


class CompareForm(StyledFormMixin, forms.Form):
    salon = forms.TypedMultipleChoiceField(label=_lazy("Salons"), coerce=int, required=True)
    category = forms.SlugField(label=_lazy("Category"), required=False, max_length=80)
    date = forms.DateField(
        label=_lazy("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_engine_date],
    )
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lng = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any listing id is a valid choice; compare_salons says which are unknown.
        self.fields["salon"].valid_value = lambda value: (
            str(value).isdigit() and len(str(value)) < 10
        )
        self.fields["salon"].widget = forms.MultipleHiddenInput()

    def compare(self, *, now):
        data = self.cleaned_data
        category = None
        if data.get("category"):
            category = Category.objects.filter(slug=data["category"]).first()
            if category is None:
                message = _("Unknown category.")
                raise ValidationFailed(message, fields={"category": [message]})
        return compare_salons(
            salon_ids=data["salon"],
            category=category,
            day=data.get("date"),
            lat=data.get("lat"),
            lng=data.get("lng"),
            now=now,
        )
