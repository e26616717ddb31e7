"""The client's own pages: which channels they want (for every salon, or
per salon), this device's web push."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from solibook.core.refusals import refusals
from solibook.notifications import push, selectors, services
from solibook.notifications.forms import PreferencesForm
from solibook.notifications.models import Channel, PushSubscription


@login_required
def preferences(request):
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            with refusals(request=request) as refused:
                services.channel_preferences_set(
                    user=request.user,
                    channels=form.cleaned_data["channels"],
                    business_id=form.cleaned_data["business"],
                )
            if not refused:
                messages.success(request, _("Your choice is saved."))
                return redirect("notifications:preferences")
        else:
            messages.error(request, _("Choose channels from the list."))
    current = selectors.client_preferences(user=request.user)
    everything = list(Channel.values)
    context = {
        "all_form": PreferencesForm(
            initial={"channels": current["all"] if current["all"] is not None else everything},
            auto_id="all_%s",
        ),
        "salons": [
            {
                **row,
                "form": PreferencesForm(
                    initial={
                        "channels": row["channels"] if row["channels"] is not None else everything,
                        "business": row["business"].pk,
                    },
                    auto_id=f"b{row['business'].pk}_%s",
                ),
            }
            for row in current["salons"]
        ],
        "vapid_key": push.application_server_key(),
        "devices": PushSubscription.objects.filter(user=request.user).count(),
    }
    return render(request, "notifications/client/preferences.html", context)
