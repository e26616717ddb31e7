"""Every write of partnerships: landing pages with their promo code and link.

The code is created by `offers.services.promo_code_create` (valid from the
first day's start to the last day's end in the salon's first location's
zone) and spent by the booking wizard like any code: its limits are offers'
conditional updates, so a code spent twice at once is refused once.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from solibook.catalog.models import Location
from solibook.core.audit import audit_log
from solibook.core.errors import NotFound, refuse
from solibook.core.images import photo_sanitize
from solibook.offers import services as offers
from solibook.partnerships.models import Landing
from solibook.social import services as social
from solibook.social.models import TrackedLink


def _zone(business) -> ZoneInfo:
    location = Location.objects.filter(business=business).order_by("id").first()
    return ZoneInfo(location.time_zone if location else "UTC")


def landing_create(
    *,
    business,
    kind: str,
    title: str,
    starts_on: date,
    ends_on: date,
    code: str,
    discount_percent: int | None = None,
    discount_amount: int | None = None,
    max_redemptions: int | None = None,
    slug: str = "",
    description: str = "",
    partner_name: str = "",
    partner_url: str = "",
    partner_logo=None,
    actor=None,
    today: date | None = None,
) -> Landing:
    if kind not in Landing.Kind.values:
        refuse(_("Choose an event or a partner."), "kind")
    title = (title or "").strip()
    if not title:
        refuse(_("Give the page a title."), "title")
    if ends_on < starts_on:
        refuse(_("The end date must not be before the start date."), "ends_on")
    zone = _zone(business)
    today = today or timezone.now().astimezone(zone).date()
    if ends_on < today:
        refuse(_("This event is already over."), "ends_on", code="expired")
    if kind == Landing.Kind.PARTNER and not (partner_name or "").strip():
        refuse(_("Name the partner."), "partner_name")
    slug = slugify(slug or title)[:60]
    if not slug:
        refuse(_("Give the page an address of letters and digits."), "slug")
    logo = photo_sanitize(partner_logo, field="partner_logo", name="logo") if partner_logo else None
    try:
        with transaction.atomic():
            promo = offers.promo_code_create(
                business=business,
                code=code,
                discount_percent=discount_percent,
                discount_amount=discount_amount,
                valid_from=datetime.combine(starts_on, time.min, tzinfo=zone),
                valid_until=datetime.combine(ends_on + timedelta(days=1), time.min, tzinfo=zone),
                max_redemptions=max_redemptions,
                description=title[:200],
                actor=actor,
            )
            link = social.link_create(
                business=business,
                purpose=TrackedLink.Purpose.LANDING,
                target_path=f"partnerships/{business.slug}/{slug}/",
            )
            landing = Landing(
                business=business,
                kind=kind,
                slug=slug,
                title=title[:120],
                description=(description or "").strip()[:2000],
                partner_name=(partner_name or "").strip()[:120],
                partner_url=partner_url or "",
                starts_on=starts_on,
                ends_on=ends_on,
                promo=promo,
                link=link,
            )
            if logo is not None:
                landing.partner_logo.save(logo.name, logo, save=False)
            landing.save()
            audit_log(
                action="partnerships.landing_created",
                actor=actor,
                business=business,
                obj=landing,
                data={"code": promo.code, "kind": kind},
            )
    except IntegrityError:
        refuse(_("Another landing page has this address."), "slug", code="duplicate")
    return landing


def landing_set_active(*, business, landing_id: int, is_active: bool, actor=None) -> Landing:
    with transaction.atomic():
        landing = (
            Landing.objects.select_for_update().filter(business=business, pk=landing_id).first()
        )
        if landing is None:
            raise NotFound(_("No such landing page."))
        landing.is_active = is_active
        landing.save(update_fields=["is_active"])
        offers.promo_code_set_active(
            business=business, promo_id=landing.promo_id, is_active=is_active, actor=actor
        )
        audit_log(
            action="partnerships.landing_on" if is_active else "partnerships.landing_off",
            actor=actor,
            business=business,
            obj=landing,
        )
    return landing


def public_landing(*, business_slug: str, slug: str) -> Landing:
    with scopes_disabled():
        landing = (
            Landing.objects.select_related("business", "promo", "link")
            .filter(
                business__slug=business_slug[:80],
                slug=slug[:60],
                is_active=True,
            )
            .first()
        )
    if landing is None:
        raise NotFound(_("No such landing page."))
    return landing
