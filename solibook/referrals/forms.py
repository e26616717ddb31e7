from django import forms
from django.utils.translation import gettext_lazy as _

from solibook.core.forms import StyledFormMixin
from solibook.core.validators import validate_name
from solibook.referrals.models import CommissionKind, ReferralProgramme


class ProgrammeForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = ReferralProgramme
        fields = [
            "is_active",
            "friend_reward_kind",
            "friend_reward_value",
            "referrer_reward_kind",
            "referrer_reward_value",
            "monthly_cap",
            "lifetime_cap",
            "review_days",
            "code_valid_days",
            "burst_limit",
        ]


class BookForm(StyledFormMixin, forms.Form):
    service = forms.TypedChoiceField(label=_("Service"), coerce=int)
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))


class PartnerSignupForm(StyledFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Your name or brand"), max_length=120, validators=[validate_name]
    )
    website = forms.URLField(
        label=_("Website or social profile"), required=False, max_length=200, assume_scheme="https"
    )


class CampaignForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Campaign name"), max_length=80)


class DecisionForm(StyledFormMixin, forms.Form):
    commission_kind = forms.ChoiceField(label=_("Commission"), choices=CommissionKind.choices)
    commission_percent = forms.IntegerField(
        label=_("Commission (%)"), min_value=0, max_value=100, initial=10
    )
    commission_months = forms.IntegerField(
        label=_("For the first months"), min_value=1, max_value=36, initial=3
    )
    commission_fixed = forms.IntegerField(
        label=_("Fixed commission (minor units)"), min_value=0, max_value=10**7, initial=0
    )


class StatementForm(StyledFormMixin, forms.Form):
    month = forms.DateField(
        label=_("Month"),
        widget=forms.DateInput(attrs={"type": "month"}),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )


class InviteForm(StyledFormMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail of the salon to invite"))


class InviteAcceptForm(StyledFormMixin, forms.Form):
    code = forms.CharField(label=_("Invitation code"), max_length=32)
