"""Back-office pages of calendar sync: Team → a master → Calendar sync (those
who manage the team's schedules: `manage_catalog`), and a master's own page
(`view_own_calendar`) for the master linked to the signed-in member.

Thin: a form, one service call, in the business's scope. Calendar servers
are called by the services outside any booking transaction.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solibook.accounts.access import backoffice_view, business_access
from solibook.accounts.roles import Capability
from solibook.calendarsync import selectors, services
from solibook.calendarsync.forms import CalDAVForm
from solibook.catalog.models import Business, Master
from solibook.core.refusals import refusals
from solibook.core.tenancy import business_scope, scopes_disabled

TEAM = Capability.MANAGE_CATALOG
OWN = Capability.VIEW_OWN_CALENDAR


def _master(request, master_id: int | None) -> Master:
    if master_id is None:
        master = selectors.own_master(business=request.business, user=request.user)
    else:
        master = Master.objects.filter(business=request.business, pk=master_id).first()
    if master is None:
        raise Http404
    return master


def _back(request, master_id: int | None):
    slug = request.business.slug
    if master_id is None:
        return redirect("calendarsync:own", business_slug=slug)
    return redirect("calendarsync:master", business_slug=slug, master_id=master_id)


def _page(request, master_id: int | None):
    master = _master(request, master_id)
    form = CalDAVForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        with refusals(form) as refused:
            services.caldav_connect(
                business=request.business,
                master_id=master.pk,
                actor=request.user,
                **form.cleaned_data,
            )
        if not refused:
            messages.success(request, _("Calendar connected. It is being synchronised."))
            return _back(request, master_id)
        status = refused.status
    elif request.method == "POST":
        status = 400
    connection = selectors.connection_of(master=master)
    prefix = "own_" if master_id is None else ""
    args = [request.business.slug] + ([] if master_id is None else [master.pk])
    return render(
        request,
        "calendarsync/office/master.html",
        {
            "master": master,
            "connection": connection,
            "conflicts": selectors.open_conflicts(connection=connection) if connection else [],
            "form": form,
            "google_ready": services.google_configured(),
            "own": master_id is None,
            "urls": {
                name: reverse(f"calendarsync:{prefix}{name}", args=args)
                for name in ("google", "sync", "disconnect")
            },
        },
        status=status,
    )


@backoffice_view(TEAM)
def overview(request):
    return render(
        request,
        "calendarsync/office/overview.html",
        {"rows": selectors.masters_with_connections(business=request.business)},
    )


@backoffice_view(TEAM)
def master_page(request, master_id: int):
    return _page(request, master_id)


@backoffice_view(OWN)
def own_page(request):
    return _page(request, None)


def _sync(request, master_id: int | None):
    master = _master(request, master_id)
    with refusals(request=request) as refused:
        report = services.sync_now(
            business=request.business, master_id=master.pk, actor=request.user
        )
    if not refused:
        if report.ok:
            messages.success(
                request,
                _(
                    "Synchronised. Busy periods from the calendar: %(busy)d. Visits written to it: %(pushed)d."
                )
                % {"busy": report.pulled, "pushed": report.pushed},
            )
        else:
            messages.error(
                request, _("The calendar could not be synchronised: see its status below.")
            )
    return _back(request, master_id)


def _disconnect(request, master_id: int | None):
    master = _master(request, master_id)
    with refusals(request=request) as refused:
        services.connection_disconnect(
            business=request.business, master_id=master.pk, actor=request.user
        )
    if not refused:
        messages.success(
            request, _("Calendar disconnected: its busy times no longer block bookings.")
        )
    return _back(request, master_id)


def google_redirect_uri(request) -> str:
    """One address for every salon and language, as Google wants it registered."""
    with translation.override("en"):
        return request.build_absolute_uri(reverse("calendarsync:google_callback"))


def _google(request, master_id: int | None):
    master = _master(request, master_id)
    with refusals(request=request) as refused:
        url = services.google_authorize_url(
            business=request.business,
            master_id=master.pk,
            redirect_uri=google_redirect_uri(request),
            actor=request.user,
        )
    if refused:
        return _back(request, master_id)
    request.session["calendarsync_return"] = request.path.rsplit("google/", 1)[0]
    return redirect(url)


@require_POST
@backoffice_view(TEAM)
def master_sync(request, master_id: int):
    return _sync(request, master_id)


@require_POST
@backoffice_view(OWN)
def own_sync(request):
    return _sync(request, None)


@require_POST
@backoffice_view(TEAM)
def master_disconnect(request, master_id: int):
    return _disconnect(request, master_id)


@require_POST
@backoffice_view(OWN)
def own_disconnect(request):
    return _disconnect(request, None)


@require_POST
@backoffice_view(TEAM)
def master_google(request, master_id: int):
    return _google(request, master_id)


@require_POST
@backoffice_view(OWN)
def own_google(request):
    return _google(request, None)


@login_required
def google_callback(request):
    """Google sends the person back here with a code (or an error)."""
    state = services.google_state_or_none(request.GET.get("state", ""))
    if state is None or state.get("u") != request.user.pk:
        raise Http404
    with scopes_disabled():
        business = Business.objects.filter(pk=state["b"]).first()
    if business is None:
        raise Http404
    with business_scope(business):
        master = Master.objects.filter(business=business, pk=state["m"]).first()
        if master is None:
            raise Http404
        own = master.user_id == request.user.pk
        access = business_access(
            user=request.user, slug=business.slug, capability=OWN if own else TEAM
        )
        if not (own or access.can(TEAM)):
            raise PermissionDenied
        target = request.session.pop("calendarsync_return", "") or reverse(
            "calendarsync:master", args=[business.slug, master.pk]
        )
        if not target.startswith("/"):
            target = "/"
        with refusals(request=request) as refused:
            services.google_connect(
                business=business,
                master_id=master.pk,
                code=request.GET.get("code", ""),
                redirect_uri=google_redirect_uri(request),
                actor=request.user,
            )
    if not refused:
        messages.success(request, _("Google Calendar connected. It is being synchronised."))
    return redirect(target)
