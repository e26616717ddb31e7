"""Salon back office pages. Each is a thin entry point into a service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solibook.accounts import services as account_services
from solibook.accounts.access import backoffice_view, memberships_of
from solibook.accounts.models import Membership, User
from solibook.accounts.roles import Capability
from solibook.catalog import services as catalog_services
from solibook.catalog.forms import (
    BrandingForm,
    BusinessForm,
    LocationForm,
    MemberAddForm,
    MemberRoleForm,
)
from solibook.catalog.models import Location
from solibook.catalog.selectors import brand_colour
from solibook.catalog.services import branding_update
from solibook.core.audit import events_for_business
from solibook.core.refusals import refusals


@login_required
def office_home(request):
    memberships = memberships_of(request.user)
    if len(memberships) == 1:
        return redirect("catalog:dashboard", business_slug=memberships[0].business.slug)
    return render(request, "catalog/office/office_home.html", {"memberships": memberships})


@login_required
def business_new(request):
    form = BusinessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals(form) as refused:
            business = catalog_services.business_create(
                owner=request.user, needs_approval=True, **form.cleaned_data
            )
        if not refused:
            messages.success(request, _("Your business is created. Add its first location."))
            return redirect("catalog:location_new", business_slug=business.slug)
    return render(request, "catalog/office/business_new.html", {"form": form})


@backoffice_view()
def dashboard(request):
    context = {
        "locations": list(Location.objects.order_by("name")),
        "team_size": Membership.objects.count(),
    }
    return render(request, "catalog/office/dashboard.html", context)


@backoffice_view()
def location_list(request):
    return render(
        request,
        "catalog/office/location_list.html",
        {"locations": Location.objects.order_by("name")},
    )


@backoffice_view(Capability.MANAGE_BUSINESS)
def location_new(request):
    form = LocationForm(request.POST or None, initial={"country": request.business.country})
    if request.method == "POST" and form.is_valid():
        with refusals(form) as refused:
            catalog_services.location_create(
                actor=request.user, business=request.business, **form.cleaned_data
            )
        if not refused:
            messages.success(request, _("Location saved."))
            return redirect("catalog:location_list", business_slug=request.business.slug)
    return render(request, "catalog/office/location_form.html", {"form": form, "location": None})


@backoffice_view(Capability.MANAGE_BUSINESS)
def location_edit(request, location_id: int):
    location = Location.objects.filter(pk=location_id).first()
    if location is None:
        raise Http404
    initial = {f: getattr(location, f) for f in catalog_services.LOCATION_FIELDS}
    form = LocationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with refusals(form) as refused:
            catalog_services.location_update(
                actor=request.user,
                business=request.business,
                location_id=location.pk,
                **form.cleaned_data,
            )
        if not refused:
            messages.success(request, _("Location saved."))
            return redirect("catalog:location_list", business_slug=request.business.slug)
    return render(
        request, "catalog/office/location_form.html", {"form": form, "location": location}
    )


@backoffice_view(Capability.MANAGE_TEAM)
def team(request):
    form = MemberAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = User.objects.filter(email__iexact=form.cleaned_data["email"].strip()).first()
        if user is None:
            form.add_error(
                "email", _("No Solibook account uses this address. Ask them to sign up first.")
            )
        else:
            with refusals(form) as refused:
                account_services.membership_add(
                    actor=request.user,
                    business=request.business,
                    user=user,
                    role=form.cleaned_data["role"],
                )
            if not refused:
                messages.success(request, _("%(name)s joined the team.") % {"name": user})
                return redirect("catalog:team", business_slug=request.business.slug)
    members = Membership.objects.select_related("user").order_by("role", "user__full_name")
    return render(
        request,
        "catalog/office/team.html",
        {"form": form, "members": members, "role_form": MemberRoleForm()},
    )


@backoffice_view(Capability.MANAGE_TEAM)
@require_POST
def member_role(request, member_id: int):
    if not Membership.objects.filter(pk=member_id).exists():
        raise Http404
    form = MemberRoleForm(request.POST)
    if form.is_valid():
        with refusals(request=request) as refused:
            account_services.membership_change_role(
                actor=request.user,
                business=request.business,
                membership_id=member_id,
                role=form.cleaned_data["role"],
            )
        if not refused:
            messages.success(request, _("Role changed."))
    else:
        messages.error(request, _("Unknown role."))
    return redirect("catalog:team", business_slug=request.business.slug)


@backoffice_view(Capability.VIEW_AUDIT_LOG)
def audit(request):
    events = events_for_business(business=request.business)[:200]
    return render(request, "catalog/office/audit.html", {"events": events})


@backoffice_view(Capability.MANAGE_BUSINESS)
def branding(request):
    form = BrandingForm(
        request.POST or None,
        request.FILES or None,
        initial={"colour": brand_colour(request.business)},
    )
    if request.method == "POST" and form.is_valid():
        with refusals(form) as refused:
            branding_update(
                business=request.business,
                actor=request.user,
                colour=form.cleaned_data["colour"],
                logo=form.cleaned_data.get("logo"),
                remove_logo=form.cleaned_data["remove_logo"],
            )
        if not refused:
            messages.success(request, _("Branding saved."))
            return redirect("catalog:branding", business_slug=request.business.slug)
    return render(
        request,
        "catalog/office/branding.html",
        {"form": form, "colour": brand_colour(request.business)},
    )
