from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from solibook.catalog.models import Category
from solibook.core.forms import StyledFormMixin
from solibook.loyalty.models import Challenge, Programme, Tier


class ProgrammeForm(StyledFormMixin, forms.ModelForm):
    excluded_categories = forms.ModelMultipleChoiceField(
        label=_("Categories that earn no points"),
        queryset=Category.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = Programme
        fields = [
            "is_active",
            "earn_mode",
            "points_per_unit",
            "points_per_visit",
            "point_value",
            "expiry_days",
            "excluded_categories",
            "badges_enabled",
            "leaderboard_enabled",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        language = (get_language() or "en")[:2]
        self.fields["excluded_categories"].label_from_instance = lambda c: (
            getattr(c, f"name_{language}", None) or c.name_en
        )


class TierForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Tier
        fields = ["name", "min_points", "earn_multiplier_percent", "discount_percent", "benefits"]


class ChallengeForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Challenge
        fields = ["name", "metric", "target", "reward_points", "starts_on", "ends_on"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }
