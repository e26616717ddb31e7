from django import forms
from django.utils.translation import gettext_lazy as _


class PlanForm(forms.Form):
    plan = forms.SlugField(label=_("Plan"), max_length=20)


class MarkPaidForm(forms.Form):
    reference = forms.CharField(
        label=_("Transfer reference"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )


class CreditForm(forms.Form):
    amount = forms.IntegerField(
        label=_("Amount (minor units)"),
        min_value=1,
        max_value=10**8,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    description = forms.CharField(
        label=_("Reason"), max_length=300, widget=forms.TextInput(attrs={"class": "form-control"})
    )
