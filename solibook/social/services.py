"""Every write of social publishing: profiles, posts and their deliveries,
tracked links, clicks and the bookings they led to.

Publishing never holds a transaction open over the network: a delivery is
claimed by a conditional UPDATE (`pending`/`failed` → `sending`), sent, then
marked `published` or `failed`. Two clicks on "publish" (two tabs, a retry
while the first call is still running) cannot both claim it, and a published
delivery is never claimed again: nothing is published twice.
"""

import re
import secrets
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from solibook.booking import services as booking
from solibook.booking.models import Appointment, Source
from solibook.booking.selectors import ItemSpec
from solibook.catalog.models import Location, LocationPhoto, MasterPhoto, Service
from solibook.commissions import services as commissions
from solibook.core.audit import audit_log
from solibook.core.errors import NotFound, refuse
from solibook.offers.models import PromoCode
from solibook.social import adapters
from solibook.social.models import (
    Attribution,
    Click,
    Delivery,
    Network,
    Post,
    SocialProfile,
    TrackedLink,
)

ATTRIBUTION_DAYS = 30
BOT_MARKERS = ("bot", "crawler", "spider", "facebookexternalhit", "vkshare", "preview", "slurp")
EXTERNAL_ID = {
    Network.TELEGRAM: re.compile(r"^(@[A-Za-z][A-Za-z0-9_]{4,31}|-100\d{5,15})$"),
    Network.FACEBOOK: re.compile(r"^\d{5,20}$"),
    Network.INSTAGRAM: re.compile(r"^\d{5,20}$"),
    Network.VK: re.compile(r"^-?\d{1,12}$"),
}
TOKEN = re.compile(r"^[A-Za-z0-9:_\-.|]{16,512}$")


def site_url() -> str:
    return getattr(settings, "NOTIFICATIONS_SITE_URL", "http://127.0.0.1:8000").rstrip("/")


# --- profiles ------------------------------------------------------------------------


def _check_token(token: str) -> str:
    token = (token or "").strip()
    if not TOKEN.match(token):
        refuse(_("Paste the whole access token the network gave you."), "token")
    return token


def profile_connect(
    *, business, network: str, name: str, external_id: str, token: str, actor=None
) -> SocialProfile:
    if network not in Network.values:
        refuse(_("Choose a network."), "network")
    external_id = (external_id or "").strip()
    if not EXTERNAL_ID[Network(network)].match(external_id):
        refuse(
            _("This is not a profile id of this network (a channel is @name or -100…)."),
            "external_id",
        )
    token = _check_token(token)
    name = (name or "").strip()[:120] or external_id
    try:
        with transaction.atomic():
            profile = SocialProfile.objects.create(
                business=business,
                network=network,
                name=name,
                external_id=external_id,
                token=token,
                connected_by=actor if actor is not None and actor.is_authenticated else None,
            )
            audit_log(
                action="social.profile_connected",
                actor=actor,
                business=business,
                obj=profile,
                data={"network": network, "external_id": external_id},
            )
    except IntegrityError:
        refuse(_("This profile is already connected."), "external_id", code="duplicate")
    return profile


def _profile(business, profile_id: int) -> SocialProfile:
    profile = SocialProfile.objects.filter(business=business, pk=profile_id).first()
    if profile is None:
        raise NotFound(_("No such profile."))
    return profile


def profile_reconnect(*, business, profile_id: int, token: str, actor=None) -> SocialProfile:
    """A new token (the old one expired): the profile's failed posts can be retried."""
    token = _check_token(token)
    with transaction.atomic():
        profile = _profile(business, profile_id)
        profile.token, profile.is_active, profile.last_error = token, True, ""
        profile.save(update_fields=["token", "is_active", "last_error"])
        audit_log(action="social.profile_reconnected", actor=actor, business=business, obj=profile)
    return profile


def profile_disconnect(*, business, profile_id: int, actor=None) -> SocialProfile:
    with transaction.atomic():
        profile = _profile(business, profile_id)
        profile.is_active = False
        profile.token = ""
        profile.save(update_fields=["is_active", "token"])
        audit_log(action="social.profile_disconnected", actor=actor, business=business, obj=profile)
    return profile


# --- tracked links -------------------------------------------------------------------


def link_create(*, business, purpose: str, target_path: str) -> TrackedLink:
    """A short public code leading to `target_path` (after the language prefix)."""
    for _attempt in range(5):
        code = secrets.token_urlsafe(6).replace("-", "x").replace("_", "y")
        try:
            with transaction.atomic():
                return TrackedLink.objects.create(
                    business=business, code=code, purpose=purpose, target_path=target_path
                )
        except IntegrityError:  # pragma: no cover - 48 random bits
            continue
    raise RuntimeError("no free link code")


def link_retarget(*, link: TrackedLink, target_path: str) -> None:
    TrackedLink.objects.filter(pk=link.pk).update(target_path=target_path)
    link.target_path = target_path


def is_bot(user_agent: str) -> bool:
    agent = (user_agent or "").lower()
    return not agent or any(marker in agent for marker in BOT_MARKERS)


def link_click(
    *, code: str, session, user_agent: str = "", referrer: str = "", now: datetime | None = None
) -> tuple[TrackedLink, Click | None]:
    """Someone followed a tracked link: one click counted (link previews of
    the networks' robots are not), the salon's own link kept as the visitor's
    first touch, and a click token the booking will be attributed to."""
    now = now or timezone.now()
    with scopes_disabled():
        link = TrackedLink.objects.filter(code=code[:16]).first()
        if link is None:
            raise NotFound(_("This link does not exist."))
        if is_bot(user_agent):
            return link, None
        commissions.touch_seen(session=session, business_id=link.business_id, via="link", now=now)
        with transaction.atomic():
            TrackedLink.objects.filter(pk=link.pk).update(clicks=F("clicks") + 1)
            click = Click.objects.create(
                business_id=link.business_id,
                link=link,
                token=secrets.token_urlsafe(18),
                at=now,
                referrer=(referrer or "")[:200],
            )
    return link, click


VISITED = ("hold", "awaiting_deposit", "confirmed", "arrived", "in_progress", "completed")


def booking_attribute(
    *, appointment: Appointment, click_tokens: list[str], now: datetime | None = None
) -> Attribution | None:
    """Tie a new booking to the last tracked click of its salon that the
    visitor's browser carries (within `ATTRIBUTION_DAYS`). Back-office
    bookings are the salon's own work and are never attributed."""
    if not click_tokens or appointment.source == Source.BACK_OFFICE:
        return None
    now = now or timezone.now()
    with scopes_disabled():
        click = (
            Click.objects.filter(
                token__in=click_tokens[:20],
                business_id=appointment.business_id,
                at__gte=now - timedelta(days=ATTRIBUTION_DAYS),
            )
            .order_by("-at", "-id")
            .first()
        )
        if click is None:
            return None
        attribution, _created = Attribution.objects.get_or_create(
            appointment=appointment,
            defaults={
                "business_id": appointment.business_id,
                "link_id": click.link_id,
                "click": click,
            },
        )
    return attribution


# --- posts ---------------------------------------------------------------------------


def _promo(business, promo_id: int | None, now) -> PromoCode:
    promo = PromoCode.objects.filter(business=business, pk=promo_id or 0).first()
    if promo is None:
        raise NotFound(_("No such promo code."), fields={"promo_id": [_("No such promo code.")]})
    if not promo.is_active or (promo.valid_until and promo.valid_until <= now):
        refuse(_("This promo code is no longer valid."), "promo_id")
    return promo


def _picture(business, picture: str) -> tuple[str, str]:
    """ "location:<id>" or "master:<id>": the picture's file and caption."""
    kind, _sep, number = (picture or "").partition(":")
    model = {"location": LocationPhoto, "master": MasterPhoto}.get(kind)
    found = (
        model.objects.filter(business=business, pk=int(number)).first()
        if model and number.isdigit() and len(number) < 12
        else None
    )
    if found is None:
        raise NotFound(_("No such picture."), fields={"picture": [_("No such picture.")]})
    return found.image.name, found.caption


def slot_is_free(*, business, location_id: int, service_id: int, start: datetime) -> bool:
    zone = ZoneInfo(Location.objects.get(business=business, pk=location_id).time_zone)
    day = start.astimezone(zone).date()
    _loaded, slots = booking.slots_available(
        business=business,
        location_id=location_id,
        specs=[ItemSpec(service_id=service_id)],
        start_date=day,
        days=1,
        online=True,
    )
    minute = int(start.timestamp() // 60)
    return any(slot.start == minute for slot in slots)


def post_create(
    *,
    business,
    kind: str,
    profile_ids: list[int],
    text: str = "",
    title: str = "",
    promo_id: int | None = None,
    location_id: int | None = None,
    service_id: int | None = None,
    slot_start: datetime | None = None,
    picture: str = "",
    actor=None,
    now: datetime | None = None,
) -> Post:
    """A post ready to publish on the chosen profiles (each a `Delivery`)."""
    now = now or timezone.now()
    if kind not in Post.Kind.values:
        refuse(_("Choose what to publish."), "kind")
    ids = sorted({int(i) for i in profile_ids or []})
    profiles = list(SocialProfile.objects.filter(business=business, pk__in=ids, is_active=True))
    if not ids:
        refuse(_("Choose at least one profile."), "profile_ids")
    if len(profiles) != len(ids):
        raise NotFound(_("No such profile."), fields={"profile_ids": [_("No such profile.")]})
    fields: dict = {"promo": None, "location": None, "service": None, "slot_start": None}
    image, caption = "", ""
    if kind == Post.Kind.OFFER:
        promo = _promo(business, promo_id, now)
        fields["promo"] = promo
        off = (
            f"-{promo.discount_percent}%"
            if promo.discount_percent
            else formats.number_format((promo.discount_amount or 0) / 100, 2) + f" {promo.currency}"
        )
        title = title or _("%(off)s with the code %(code)s") % {"off": off, "code": promo.code}
    elif kind == Post.Kind.SLOT:
        location = Location.objects.filter(business=business, pk=location_id or 0).first()
        service = Service.objects.filter(business=business, pk=service_id or 0).first()
        if location is None:
            raise NotFound(_("No such location."), fields={"location_id": [_("No such location.")]})
        if service is None:
            raise NotFound(_("No such service."), fields={"service_id": [_("No such service.")]})
        if slot_start is None or slot_start.tzinfo is None:
            refuse(_("Choose a free time."), "slot_start")
        # Beyond the salon's booking horizon nothing is free (and no date overflows).
        if slot_start > now + timedelta(days=min(business.horizon_days or 0, 3660) + 1):
            refuse(
                _("This time is no longer free: choose another."), "slot_start", code="slot_taken"
            )
        if slot_start <= now or not slot_is_free(
            business=business, location_id=location.pk, service_id=service.pk, start=slot_start
        ):
            refuse(
                _("This time is no longer free: choose another."), "slot_start", code="slot_taken"
            )
        fields.update(location=location, service=service, slot_start=slot_start)
        local = slot_start.astimezone(ZoneInfo(location.time_zone))
        title = title or _("%(service)s, free %(when)s") % {
            "service": service.name,
            "when": formats.date_format(local, "SHORT_DATETIME_FORMAT"),
        }
    if picture or kind == Post.Kind.PHOTO:
        image, caption = _picture(business, picture)
        title = title or caption or _("New in our salon")
    if not image and any(p.network == Network.INSTAGRAM for p in profiles):
        refuse(_("Instagram publishes pictures only: choose a picture."), "picture")
    text = (text or "").strip()
    if len(text) > 900:
        refuse(_("Keep the text under 900 characters."), "text")
    with transaction.atomic():
        link = link_create(business=business, purpose=TrackedLink.Purpose.POST, target_path="")
        link_retarget(link=link, target_path=f"s/{link.code}/card/")
        post = Post.objects.create(
            business=business,
            kind=kind,
            title=title.strip()[:120],
            text=text or title,
            image=image,
            image_caption=caption,
            link=link,
            created_by=actor if actor is not None and actor.is_authenticated else None,
            **fields,
        )
        Delivery.objects.bulk_create(
            [Delivery(business=business, post=post, profile=p) for p in profiles]
        )
        audit_log(
            action="social.post_created",
            actor=actor,
            business=business,
            obj=post,
            data={"kind": kind, "profiles": ids},
        )
    return post


def message_for(post: Post, *, language: str = "") -> adapters.Message:
    link = f"{site_url()}/{language or settings.LANGUAGE_CODE}/s/{post.link.code}/"
    path = None
    image_url = ""
    if post.image:
        try:
            path = Path(default_storage.path(post.image))
        except NotImplementedError:  # pragma: no cover - remote storage: URL only
            path = None
        url = default_storage.url(post.image)
        image_url = url if url.startswith("http") else f"{site_url()}{url}"
    text = (
        f"{post.title}\n\n{post.text}\n\n{link}"
        if post.text != post.title
        else f"{post.title}\n\n{link}"
    )
    return adapters.Message(text=text, link=link, image_path=path, image_url=image_url)


ERRORS = {
    "expired_token": lambda: _(
        "The network refused the profile's token (expired or revoked): reconnect the profile, then retry."
    ),
    "rate_limited": lambda: _("The network asks to slow down: retry in a few minutes."),
    "needs_picture": lambda: _("Instagram publishes pictures only."),
    "unreachable": lambda: _("The network did not answer: retry later."),
    "refused": lambda: _("The network refused the post."),
}


def _claim(delivery_id: int, now: datetime) -> bool:
    # The race point: only one caller moves a waiting or failed delivery to
    # "sending"; a published one is never claimed again.
    return bool(
        Delivery.objects.filter(
            pk=delivery_id, status__in=(Delivery.Status.PENDING, Delivery.Status.FAILED)
        ).update(status=Delivery.Status.SENDING, attempts=F("attempts") + 1, claimed_at=now)
    )


def _send(delivery: Delivery, post: Post, language: str, actor, sandbox: bool | None) -> Delivery:
    now = timezone.now()
    if not _claim(delivery.pk, now):
        delivery.refresh_from_db()
        return delivery
    profile = delivery.profile
    try:
        if not profile.is_active:
            raise adapters.PublishError("expired_token", "profile disconnected")
        external_id = adapters.publish(
            profile, message_for(post, language=language), sandbox=sandbox
        )
    except adapters.PublishError as exc:
        message = ERRORS.get(exc.kind, ERRORS["refused"])()
        if exc.retry_after:
            message += " " + _("(asked to wait %(seconds)s s)") % {"seconds": exc.retry_after}
        Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING).update(
            status=Delivery.Status.FAILED,
            error=f"{message} {exc.detail}"[:300],
            error_code=exc.kind[:20],
        )
        if exc.kind == "expired_token":
            SocialProfile.objects.filter(pk=profile.pk).update(last_error=exc.detail[:300])
    else:
        Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING).update(
            status=Delivery.Status.PUBLISHED,
            external_id=external_id[:120],
            error="",
            error_code="",
            published_at=timezone.now(),
        )
    delivery.refresh_from_db()
    audit_log(
        action=f"social.delivery_{delivery.status}",
        actor=actor,
        business=post.business,
        obj=delivery,
        data={"network": profile.network, "error": delivery.error_code},
    )
    return delivery


def post_publish(
    *,
    business,
    post_id: int,
    actor=None,
    language: str = "",
    delivery_id: int | None = None,
    sandbox: bool | None = None,
) -> list[Delivery]:
    """Send the post to each profile still waiting or failed (or to one:
    `delivery_id`, a retry). Runs outside any transaction: the network is slow."""
    post = (
        Post.objects.select_related("link", "business")
        .filter(business=business, pk=post_id)
        .first()
    )
    if post is None:
        raise NotFound(_("No such post."))
    deliveries = list(post.deliveries.select_related("profile"))
    if delivery_id is not None:
        deliveries = [d for d in deliveries if d.pk == delivery_id]
        if not deliveries:
            raise NotFound(_("No such delivery."))
    return [_send(d, post, language, actor, sandbox) for d in deliveries]
