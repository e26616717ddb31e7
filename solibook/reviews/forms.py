from django import forms
from django.utils.translation import gettext_lazy as _

from solibook.core.forms import StyledFormMixin
from solibook.reviews.models import ReportReason


class ReportForm(StyledFormMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("Why should this review be checked?"),
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Details (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReplyForm(StyledFormMixin, forms.Form):
    reply_text = forms.CharField(
        label=_("Your public reply"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
