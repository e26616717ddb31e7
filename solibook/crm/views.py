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
from solibook.catalog.models import Location
from solibook.core.audit import events_for_business
from solibook.core.errors import DomainError
from solibook.core.forms import form_error_from_domain
from solibook.crm.forms import BusinessForm, LocationForm, MemberAddForm, MemberRoleForm


@login_required
def office_home(request):
    memberships = memberships_of(request.user)
    if len(memberships) == 1:
        return redirect("crm:dashboard", business_slug=memberships[0].business.slug)
    return render(request, "crm/office_home.html", {"memberships": memberships})


@login_required
def business_new(request):
    form = BusinessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            business = catalog_services.business_create(owner=request.user, **form.cleaned_data)
        except DomainError as exc:
            form_error_from_domain(form, exc)
        else:
            messages.success(request, _("Your business is created. Add its first location."))
            return redirect("crm:location_new", business_slug=business.slug)
    return render(request, "crm/business_new.html", {"form": form})


@backoffice_view()
def dashboard(request):
    context = {
        "locations": list(Location.objects.order_by("name")),
        "team_size": Membership.objects.count(),
    }
    return render(request, "crm/dashboard.html", context)


@backoffice_view()
def location_list(request):
    return render(
        request, "crm/location_list.html", {"locations": Location.objects.order_by("name")}
    )


@backoffice_view(Capability.MANAGE_BUSINESS)
def location_new(request):
    form = LocationForm(request.POST or None, initial={"country": request.business.country})
    if request.method == "POST" and form.is_valid():
        try:
            catalog_services.location_create(
                actor=request.user, business=request.business, **form.cleaned_data
            )
        except DomainError as exc:
            form_error_from_domain(form, exc)
        else:
            messages.success(request, _("Location saved."))
            return redirect("crm:location_list", business_slug=request.business.slug)
    return render(request, "crm/location_form.html", {"form": form, "location": None})


@backoffice_view(Capability.MANAGE_BUSINESS)
def location_edit(request, location_id: int):
    location = Location.objects.filter(pk=location_id).first()
    if location is None:
        raise Http404
    initial = {f: getattr(location, f) for f in catalog_services.LOCATION_FIELDS}
    form = LocationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            catalog_services.location_update(
                actor=request.user,
                business=request.business,
                location_id=location.pk,
                **form.cleaned_data,
            )
        except DomainError as exc:
            form_error_from_domain(form, exc)
        else:
            messages.success(request, _("Location saved."))
            return redirect("crm:location_list", business_slug=request.business.slug)
    return render(request, "crm/location_form.html", {"form": form, "location": location})


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
            try:
                account_services.membership_add(
                    actor=request.user,
                    business=request.business,
                    user=user,
                    role=form.cleaned_data["role"],
                )
            except DomainError as exc:
                form_error_from_domain(form, exc)
            else:
                messages.success(request, _("%(name)s joined the team.") % {"name": user})
                return redirect("crm:team", business_slug=request.business.slug)
    members = Membership.objects.select_related("user").order_by("role", "user__full_name")
    return render(
        request, "crm/team.html", {"form": form, "members": members, "role_form": MemberRoleForm()}
    )


@backoffice_view(Capability.MANAGE_TEAM)
@require_POST
def member_role(request, member_id: int):
    if not Membership.objects.filter(pk=member_id).exists():
        raise Http404
    form = MemberRoleForm(request.POST)
    if form.is_valid():
        try:
            account_services.membership_change_role(
                actor=request.user,
                business=request.business,
                membership_id=member_id,
                role=form.cleaned_data["role"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Role changed."))
    else:
        messages.error(request, _("Unknown role."))
    return redirect("crm:team", business_slug=request.business.slug)


@backoffice_view(Capability.VIEW_AUDIT_LOG)
def audit(request):
    events = events_for_business(business=request.business)[:200]
    return render(request, "crm/audit.html", {"events": events})
