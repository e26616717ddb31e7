"""The client's own pages: which channels they want (for every salon, or
per salon), this device's web push; and the installable app's service
worker and manifest, served from the site root so the worker's scope is `/`."""

import json
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from solibook.core.errors import DomainError
from solibook.notifications import push, selectors, services
from solibook.notifications.forms import PreferencesForm
from solibook.notifications.models import Channel, PushSubscription

STATIC = Path(settings.BASE_DIR) / "solibook" / "static"


@login_required
def preferences(request):
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            try:
                services.channel_preferences_set(
                    user=request.user,
                    channels=form.cleaned_data["channels"],
                    business_id=form.cleaned_data["business"],
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Your choice is saved."))
                return redirect("notifications_client:preferences")
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


@require_GET
@cache_control(max_age=0, no_cache=True)
def service_worker(request):
    response = HttpResponse(
        (STATIC / "sw.js").read_bytes(), content_type="application/javascript; charset=utf-8"
    )
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
@cache_control(max_age=3600)
def manifest(request):
    data = json.loads((STATIC / "manifest.webmanifest").read_text(encoding="utf-8"))
    data["name"] = data["short_name"] = settings.SOLIBOOK_SITE_NAME
    data["icons"] = [{**icon, "src": static(icon["src"])} for icon in data["icons"]]
    return HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type="application/manifest+json"
    )
