"""The signed-in client's marketing choices: which salons may send them offers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from solibook.core.ids import as_db_id
from solibook.core.refusals import refusals
from solibook.marketing import selectors, services


@login_required
@require_http_methods(["GET", "POST"])
def subscriptions(request):
    if request.method == "POST":
        business_id = as_db_id(request.POST.get("business_id"))
        with refusals(request=request, as_404=True) as refused:
            services.subscriptions_set(
                user=request.user,
                business_id=business_id or 0,
                granted=request.POST.get("granted") == "1",
            )
        if not refused:
            messages.success(request, _("Your choice is saved."))
        return redirect(reverse("marketing:subscriptions"))
    return render(
        request,
        "marketing/client/subscriptions.html",
        {"rows": selectors.client_subscriptions(user=request.user)},
    )
