"""Back-office pages of a salon's pictures: each location's gallery, cover and
360° panoramas (Settings → Pictures), and each master's avatar and portfolio
(from the master's page). Thin: the services in catalog.services.pictures write,
the same ones the API calls."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solibook.accounts.access import backoffice_view
from solibook.accounts.roles import Capability
from solibook.catalog import forms as cf
from solibook.catalog import services as catalog_services
from solibook.catalog.models import Location, LocationPhoto, Master, MasterPhoto
from solibook.core.refusals import refusals


@dataclass
class Target:
    """What the page is about: a location or a master, and its URL names."""

    page: str
    edit: str
    delete: str
    add: Callable[..., object]
    update: Callable[..., object]
    remove: Callable[..., object]


LOCATION = Target(
    page="catalog:location_pictures",
    edit="catalog:location_picture_edit",
    delete="catalog:location_picture_delete",
    add=catalog_services.location_photo_add,
    update=catalog_services.location_photo_update,
    remove=catalog_services.location_photo_remove,
)
MASTER = Target(
    page="catalog:master_pictures",
    edit="catalog:master_picture_edit",
    delete="catalog:master_picture_delete",
    add=catalog_services.master_photo_add,
    update=catalog_services.master_photo_update,
    remove=catalog_services.master_photo_remove,
)


def _groups(pictures, kinds) -> list[tuple[str, list]]:
    return [(label, [p for p in pictures if p.kind == value]) for value, label in kinds.choices]


@backoffice_view(Capability.MANAGE_BUSINESS)
def pictures_home(request):
    location = Location.objects.order_by("name").first()
    if location is None:
        messages.info(request, _("Add a location first."))
        return redirect("catalog:location_list", business_slug=request.business.slug)
    return redirect(
        "catalog:location_pictures", business_slug=request.business.slug, location_id=location.pk
    )


@backoffice_view(Capability.MANAGE_BUSINESS)
def location_pictures(request, location_id: int):
    """The page; a POST uploads a picture."""
    location = get_object_or_404(Location, pk=location_id)
    form = cf.LocationPictureForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusals(form) as refused:
            LOCATION.add(
                actor=request.user,
                business=request.business,
                location_id=location.pk,
                upload=data["image"],
                kind=data["kind"],
                caption=data["caption"],
            )
        if not refused:
            messages.success(request, _("Picture added."))
            return redirect(LOCATION.page, request.business.slug, location.pk)
        status = refused.status
    pictures = list(LocationPhoto.objects.filter(location=location))
    context = {
        "location": location,
        "locations": Location.objects.order_by("name"),
        "form": form,
        "groups": _groups(pictures, LocationPhoto.Kind),
        "target": LOCATION,
        "owner_id": location.pk,
        "title": _("Pictures — %(name)s") % {"name": location.name},
    }
    return render(request, "catalog/office/pictures.html", context, status=status)


@backoffice_view(Capability.MANAGE_CATALOG)
def master_pictures(request, master_id: int):
    master = get_object_or_404(Master, pk=master_id)
    form = cf.MasterPictureForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusals(form) as refused:
            MASTER.add(
                actor=request.user,
                business=request.business,
                master_id=master.pk,
                upload=data["image"],
                kind=data["kind"],
                caption=data["caption"],
            )
        if not refused:
            messages.success(request, _("Picture added."))
            return redirect(MASTER.page, request.business.slug, master.pk)
        status = refused.status
    pictures = list(MasterPhoto.objects.filter(master=master))
    context = {
        "master": master,
        "form": form,
        "groups": _groups(pictures, MasterPhoto.Kind),
        "target": MASTER,
        "owner_id": master.pk,
        "title": _("Pictures — %(name)s") % {"name": master.display_name},
    }
    return render(request, "catalog/office/pictures.html", context, status=status)


def _edit(request, target: Target, owner_id: int, photo_id: int):
    form = cf.PictureEditForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        with refusals(request=request, not_found_404=True) as refused:
            target.update(
                actor=request.user,
                business=request.business,
                photo_id=photo_id,
                caption=data["caption"] if "caption" in request.POST else None,
                position=data["position"],
            )
        if not refused:
            messages.success(request, _("Picture saved."))
    else:
        messages.error(request, _("Please correct the errors below."))
    return redirect(target.page, request.business.slug, owner_id)


def _delete(request, target: Target, owner_id: int, photo_id: int):
    with refusals(request=request, not_found_404=True) as refused:
        target.remove(actor=request.user, business=request.business, photo_id=photo_id)
    if not refused:
        messages.success(request, _("Picture removed."))
    return redirect(target.page, request.business.slug, owner_id)


@require_POST
@backoffice_view(Capability.MANAGE_BUSINESS)
def location_picture_edit(request, location_id: int, photo_id: int):
    get_object_or_404(LocationPhoto, pk=photo_id, location_id=location_id)
    return _edit(request, LOCATION, location_id, photo_id)


@require_POST
@backoffice_view(Capability.MANAGE_BUSINESS)
def location_picture_delete(request, location_id: int, photo_id: int):
    get_object_or_404(LocationPhoto, pk=photo_id, location_id=location_id)
    return _delete(request, LOCATION, location_id, photo_id)


@require_POST
@backoffice_view(Capability.MANAGE_CATALOG)
def master_picture_edit(request, master_id: int, photo_id: int):
    get_object_or_404(MasterPhoto, pk=photo_id, master_id=master_id)
    return _edit(request, MASTER, master_id, photo_id)


@require_POST
@backoffice_view(Capability.MANAGE_CATALOG)
def master_picture_delete(request, master_id: int, photo_id: int):
    get_object_or_404(MasterPhoto, pk=photo_id, master_id=master_id)
    return _delete(request, MASTER, master_id, photo_id)
