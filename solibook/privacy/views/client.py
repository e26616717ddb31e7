"""A client's own data: download a copy (JSON) and erase the account."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solibook.core.refusals import refusals
from solibook.privacy import services
from solibook.privacy.forms import EraseForm


def export_response(data: dict) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    name = f"solibook-my-data-{timezone.now():%Y%m%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def export(request):
    return export_response(services.user_data_export(user=request.user, via="page"))


@login_required
def export_json(request):
    """The client area's "Download my data" link: the same export, by GET."""
    return export_response(services.user_data_export(user=request.user, via="page"))


@login_required
def erase(request):
    form = EraseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        with refusals(form) as refused:
            services.user_erase(user=request.user, actor=request.user)
        if not refused:
            logout(request)
            messages.success(request, _("Your account and personal data are erased."))
            return redirect("marketplace:home")
    return render(request, "privacy/client/erase.html", {"form": form})
