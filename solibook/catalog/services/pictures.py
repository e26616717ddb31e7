"""Writes of a salon's pictures: location gallery, cover and 360° panoramas,
a master's avatar and portfolio. Pages and API call these functions.

Every id is looked up inside `business` (another salon's id is a 404). The
files are written before the row and removed if the transaction fails; a
removed picture's files go after the commit. A new cover (or avatar) replaces
the previous one.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from solibook.catalog.models import Business, Location, LocationPhoto, Master, MasterPhoto
from solibook.catalog.pictures import (
    picture_files,
    picture_files_delete,
    picture_prepare,
    picture_store,
)
from solibook.core.audit import audit_log
from solibook.core.errors import get_or_404, refuse

MAX_PER_LOCATION = 40
MAX_PER_MASTER = 20
MAX_CAPTION = 200


def _caption(caption: str | None) -> str:
    text = " ".join((caption or "").split())
    if len(text) > MAX_CAPTION:
        refuse(
            _("Keep the description under %(n)s characters.") % {"n": MAX_CAPTION},
            "caption",
        )
    return text


def _kind(kind: str, choices) -> str:
    if kind not in choices.values:
        refuse(_("Choose what kind of picture this is."), "kind")
    return kind


def _renumber(siblings: list, moved=None, index: int | None = None) -> None:
    """Positions 0..n-1 in display order; `moved` goes to `index`."""
    ordered = [p for p in siblings if moved is None or p.pk != moved.pk]
    if moved is not None:
        index = max(0, min(index if index is not None else len(ordered), len(ordered)))
        ordered.insert(index, moved)
    for position, picture in enumerate(ordered):
        if picture.position != position:
            picture.position = position
            picture.save(update_fields=["position"])


def _add(*, model, business, actor, owner_field: str, owner, kind: str, upload, caption, limit):
    single = {LocationPhoto: LocationPhoto.Kind.COVER, MasterPhoto: MasterPhoto.Kind.AVATAR}[model]
    siblings = model.objects.filter(business=business, **{owner_field: owner})
    if kind != single and siblings.exclude(kind=single).count() >= limit:
        refuse(_("At most %(n)s pictures here: remove one first.") % {"n": limit}, "image")
    prepared = picture_prepare(
        upload, panorama=kind == LocationPhoto.Kind.PANORAMA and model is LocationPhoto
    )
    name, renditions = picture_store(prepared, business_id=business.pk)
    replaced: list[str] = []
    try:
        with transaction.atomic():
            previous = siblings.filter(kind=single).select_for_update() if kind == single else []
            for old in previous:
                replaced += picture_files(old)
                old.delete()
            picture = model(
                business=business,
                kind=kind,
                caption=caption,
                width=prepared.width,
                height=prepared.height,
                renditions=renditions,
                position=siblings.filter(kind=kind).count(),
                **{owner_field: owner},
            )
            picture.image.name = name
            picture.save()
            if model is MasterPhoto and kind == single:
                owner.photo.name = name  # the master's own field follows the avatar
                owner.save(update_fields=["photo"])
            audit_log(
                action=f"{model._meta.model_name}.add",
                actor=actor,
                business=business,
                obj=picture,
                data={"kind": kind, owner_field: owner.pk},
            )
            transaction.on_commit(lambda: picture_files_delete(replaced))
    except BaseException:
        picture_files_delete([name, *(r["name"] for r in renditions)])
        raise
    return picture


def _update(*, picture, actor, business, caption, position):
    with transaction.atomic():
        if caption is not None:
            picture.caption = _caption(caption)
            picture.save(update_fields=["caption"])
        if position is not None:
            owner_field = "location" if isinstance(picture, LocationPhoto) else "master"
            siblings = list(
                type(picture)
                .objects.select_for_update()
                .filter(
                    business=business,
                    kind=picture.kind,
                    **{f"{owner_field}_id": getattr(picture, f"{owner_field}_id")},
                )
                .order_by("position", "id")
            )
            _renumber(siblings, picture, position)
        audit_log(
            action=f"{picture._meta.model_name}.update",
            actor=actor,
            business=business,
            obj=picture,
            data={"caption": caption is not None, "position": position},
        )
    picture.refresh_from_db()
    return picture


def _remove(*, picture, actor, business) -> None:
    files = picture_files(picture)
    owner_field = "location" if isinstance(picture, LocationPhoto) else "master"
    with transaction.atomic():
        audit_log(
            action=f"{picture._meta.model_name}.remove",
            actor=actor,
            business=business,
            obj=picture,
            data={"kind": picture.kind},
        )
        if isinstance(picture, MasterPhoto) and picture.kind == MasterPhoto.Kind.AVATAR:
            Master.objects.filter(pk=picture.master_id, photo=picture.image.name).update(photo="")
        kind, owner_id = picture.kind, getattr(picture, f"{owner_field}_id")
        picture.delete()
        _renumber(
            list(
                type(picture)
                .objects.filter(business=business, kind=kind, **{f"{owner_field}_id": owner_id})
                .order_by("position", "id")
            )
        )
        transaction.on_commit(lambda: picture_files_delete(files))


# --- locations ---------------------------------------------------------------------


def location_photo_add(
    *,
    actor,
    business: Business,
    location_id: int,
    upload,
    kind: str = LocationPhoto.Kind.PHOTO,
    caption: str = "",
) -> LocationPhoto:
    """A gallery photo, the cover (replacing the previous one) or a 360° panorama."""
    location = get_or_404(
        Location.objects.filter(business=business), location_id, _("No such location.")
    )
    return _add(
        model=LocationPhoto,
        business=business,
        actor=actor,
        owner_field="location",
        owner=location,
        kind=_kind(kind, LocationPhoto.Kind),
        upload=upload,
        caption=_caption(caption),
        limit=MAX_PER_LOCATION,
    )


def location_photo_update(
    *,
    actor,
    business: Business,
    photo_id: int,
    caption: str | None = None,
    position: int | None = None,
) -> LocationPhoto:
    """Change the description, or move the picture to `position` (0 is first)."""
    photo = get_or_404(
        LocationPhoto.objects.filter(business=business), photo_id, _("No such picture.")
    )
    return _update(
        picture=photo, actor=actor, business=business, caption=caption, position=position
    )


def location_photo_remove(*, actor, business: Business, photo_id: int) -> None:
    photo = get_or_404(
        LocationPhoto.objects.filter(business=business), photo_id, _("No such picture.")
    )
    _remove(picture=photo, actor=actor, business=business)


# --- masters -----------------------------------------------------------------------


def master_photo_add(
    *,
    actor,
    business: Business,
    master_id: int,
    upload,
    kind: str = MasterPhoto.Kind.PORTFOLIO,
    caption: str = "",
) -> MasterPhoto:
    """The master's avatar (replacing the previous one) or a portfolio picture."""
    master = get_or_404(Master.objects.filter(business=business), master_id, _("No such master."))
    return _add(
        model=MasterPhoto,
        business=business,
        actor=actor,
        owner_field="master",
        owner=master,
        kind=_kind(kind, MasterPhoto.Kind),
        upload=upload,
        caption=_caption(caption),
        limit=MAX_PER_MASTER,
    )


def master_photo_update(
    *,
    actor,
    business: Business,
    photo_id: int,
    caption: str | None = None,
    position: int | None = None,
) -> MasterPhoto:
    photo = get_or_404(
        MasterPhoto.objects.filter(business=business), photo_id, _("No such picture.")
    )
    return _update(
        picture=photo, actor=actor, business=business, caption=caption, position=position
    )


def master_photo_remove(*, actor, business: Business, photo_id: int) -> None:
    photo = get_or_404(
        MasterPhoto.objects.filter(business=business), photo_id, _("No such picture.")
    )
    _remove(picture=photo, actor=actor, business=business)
