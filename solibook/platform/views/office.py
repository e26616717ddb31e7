"""The salon's side of platform support: the owner lets support into the
back office for a few hours (every visit is audited) or withdraws it."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from solibook.accounts.access import backoffice_view
from solibook.accounts.roles import Capability
from solibook.core.refusals import refusals
from solibook.platform import selectors, services


class SupportAccessForm(forms.Form):
    hours = forms.TypedChoiceField(
        label=gettext_lazy("Let platform support in for"),
        coerce=int,
        choices=[
            (2, gettext_lazy("2 hours")),
            (24, gettext_lazy("24 hours")),
            (72, gettext_lazy("3 days")),
        ],
        widget=forms.RadioSelect,
        initial=2,
    )


@backoffice_view(Capability.MANAGE_BUSINESS)
def support_access(request):
    business = request.business
    form = SupportAccessForm(request.POST or None)
    if request.method == "POST":
        hours = 0 if "withdraw" in request.POST else None
        if hours is None and form.is_valid():
            hours = form.cleaned_data["hours"]
        if hours is not None:
            with refusals(form) as refused:
                services.support_access_grant(actor=request.user, business=business, hours=hours)
            if not refused:
                messages.success(
                    request,
                    _("Platform support may now enter.")
                    if hours
                    else _("Support access withdrawn."),
                )
                return redirect("platform:support_access", business_slug=business.slug)
    state = selectors.support_access_of(business)
    return render(
        request,
        "platform/office/support_access.html",
        {"form": form, "open": state.open, "visits": state.visits, "requests": state.requests},
    )
