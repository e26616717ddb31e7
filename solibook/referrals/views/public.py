"""Referral pages for anyone: the public landing of a link (with its preview card)
and the friend's booking through it. Each POST calls the same service as the API."""

import secrets
from datetime import datetime, timedelta
from io import BytesIO
from urllib.parse import quote, urlparse
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django_scopes import scopes_disabled

from solibook.booking import services as booking
from solibook.booking.models import Source
from solibook.booking.selectors import ItemSpec
from solibook.catalog.models import Location, Service
from solibook.core.money import format_money
from solibook.core.refusals import refusals
from solibook.core.tenancy import business_scope
from solibook.referrals import services
from solibook.referrals.forms import (
    BookForm,
)
from solibook.referrals.fraud import DEVICE_COOKIE
from solibook.referrals.models import (
    ReferralCode,
    ReferralProgramme,
    ReferralStatus,
    RewardKind,
)

REF_COOKIE = "sb_ref"
YEAR = 365 * 24 * 3600


def request_signals(request) -> dict:
    return {
        "ip": request.META.get("REMOTE_ADDR") or None,
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
        "device": request.COOKIES.get(DEVICE_COOKIE, "")[:64],
    }


def with_device(request, response):
    if not request.COOKIES.get(DEVICE_COOKIE):
        response.set_cookie(
            DEVICE_COOKIE, secrets.token_urlsafe(24), max_age=YEAR, httponly=True, samesite="Lax"
        )
    return response


def reward_text(kind: str | None, value: int | None, currency: str, language: str) -> str:
    if not kind or not value:
        return ""
    if kind == RewardKind.POINTS:
        return _("%(points)s loyalty points") % {"points": value}
    amount = format_money(value, currency, language or "en")
    if kind == RewardKind.DISCOUNT:
        return _("%(amount)s off your first visit") % {"amount": amount}
    return _("%(amount)s of credit to spend at any salon") % {"amount": amount}


def share_links(url: str, text: str) -> list[tuple[str, str]]:
    u, t = quote(url, safe=""), quote(f"{text} {url}", safe="")
    return [
        ("WhatsApp", f"https://wa.me/?text={t}"),
        ("Telegram", f"https://t.me/share/url?url={u}&text={quote(text, safe='')}"),
        ("Facebook", f"https://www.facebook.com/sharer/sharer.php?u={u}"),
        ("X", f"https://twitter.com/intent/tweet?url={u}&text={quote(text, safe='')}"),
        ("VK", f"https://vk.com/share.php?url={u}"),
        (_("E-mail"), f"mailto:?subject={quote(text, safe='')}&body={t}"),
    ]


def _code_or_404(code: str) -> ReferralCode:
    found = services.code_lookup(code)
    if found is None:
        raise Http404
    return found


def _preview(found: ReferralCode, request) -> dict:
    with scopes_disabled():
        programme = ReferralProgramme.objects.filter(business_id=found.business_id).first()
    language = getattr(request, "LANGUAGE_CODE", "en")
    reward = (
        reward_text(
            programme.friend_reward_kind,
            programme.friend_reward_value,
            found.business.currency,
            language,
        )
        if programme and programme.is_active
        else ""
    )
    return {"code": found, "business": found.business, "reward": reward}


def landing(request, code: str):
    """The referral link: a preview card for messengers, a click recorded, a cookie."""
    found = _code_or_404(code)
    context = _preview(found, request)
    with refusals() as refused:
        services.code_check(code=found.code, friend=request.user, now=timezone.now())
    error = refused.message if refused else None
    is_bot = any(
        b in request.META.get("HTTP_USER_AGENT", "")
        for b in ("facebookexternalhit", "TelegramBot", "WhatsApp", "Twitterbot", "vkShare")
    )
    if not is_bot and request.method == "GET":
        referer = urlparse(request.META.get("HTTP_REFERER", "")).hostname or ""
        services.click_record(code=found, referer_host=referer, **request_signals(request))
    context.update(
        {
            "error": error,
            "card_url": request.build_absolute_uri(
                reverse("referrals:card", kwargs={"code": found.code})
            ),
            "page_url": request.build_absolute_uri(),
            "book_url": reverse("referrals:book", kwargs={"code": found.code}),
        }
    )
    response = render(request, "referrals/public/landing.html", context)
    response.set_cookie(REF_COOKIE, found.code, max_age=30 * 24 * 3600, samesite="Lax")
    return with_device(request, response)


@cache_control(public=True, max_age=3600)
def card(request, code: str):
    """The OpenGraph preview image (1200×630 PNG) of a referral link."""
    from PIL import Image, ImageDraw, ImageFont

    found = _code_or_404(code)
    context = _preview(found, request)
    image = Image.new("RGB", (1200, 630), (122, 46, 90))
    draw = ImageDraw.Draw(image)
    font_path = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
    try:
        big, small = (
            ImageFont.truetype(font_path, 72),
            ImageFont.truetype(font_path.replace("-Bold", ""), 40),
        )
    except OSError:
        big = small = ImageFont.load_default()
    draw.text((80, 150), found.business.name[:28], font=big, fill="white")
    draw.text(
        (80, 290),
        (context["reward"] or _("Book your first visit"))[:50],
        font=small,
        fill=(255, 230, 240),
    )
    draw.text((80, 480), f"Solibook · {found.code}", font=small, fill=(255, 230, 240))
    out = BytesIO()
    image.save(out, format="PNG", optimize=True)
    return HttpResponse(out.getvalue(), content_type="image/png")


def _slots(location: Location, service: Service, day) -> list[tuple[str, str]]:
    zone = ZoneInfo(location.time_zone)
    with business_scope(location.business), refusals() as refused:
        _loaded, slots = booking.slots_available(
            business=location.business,
            location_id=location.pk,
            specs=[ItemSpec(service_id=service.pk)],
            start_date=day,
            days=1,
            online=True,
            limit=48,
        )
    if refused:
        return []
    out = []
    for slot in slots:
        start = datetime.fromtimestamp(slot.start * 60, tz=ZoneInfo("UTC"))
        out.append((start.isoformat(), start.astimezone(zone).strftime("%H:%M")))
    return out


@login_required
def book(request, code: str):
    """Book a first visit through a referral link (the friend's side)."""
    found = _code_or_404(code)
    business = found.business
    with refusals(request=request) as refused:
        services.code_check(code=found.code, business=business, friend=request.user)
    if refused:
        return redirect("referrals:landing", code=found.code)
    with business_scope(business):
        location = Location.objects.filter(business=business).order_by("pk").first()
        service_list = list(
            Service.objects.filter(
                business=business, is_active=True, bookable_online=True
            ).order_by("position", "name")
        )
    if location is None or not service_list:
        raise Http404
    zone = ZoneInfo(location.time_zone)
    form = BookForm(
        request.GET or None,
        initial={"day": (timezone.now().astimezone(zone) + timedelta(days=1)).date()},
    )
    form.fields["service"].choices = [(s.pk, s.name) for s in service_list]
    slots, chosen = [], None
    if form.is_bound and form.is_valid():
        chosen = next((s for s in service_list if s.pk == form.cleaned_data["service"]), None)
        slots = _slots(location, chosen, form.cleaned_data["day"]) if chosen else []
    if request.method == "POST":
        service = next(
            (s for s in service_list if str(s.pk) == request.POST.get("service", "")), None
        )
        try:
            start = datetime.fromisoformat(request.POST.get("start", ""))
        except ValueError:
            start = None
        if service is None or start is None or start.tzinfo is None:
            messages.error(request, _("Choose a service and a time."))
        else:
            with (
                refusals(request=request) as refused,
                business_scope(business),
                transaction.atomic(),
            ):
                appointment = booking.appointment_create(
                    business=business,
                    location_id=location.pk,
                    specs=[ItemSpec(service_id=service.pk)],
                    start=start,
                    source=Source.REFERRAL,
                    actor=request.user,
                    account=request.user,
                )
                referral = services.referral_attach(
                    appointment=appointment,
                    code=found.code,
                    friend=request.user,
                    actor=request.user,
                    **request_signals(request),
                )
            if not refused:
                if referral.status == ReferralStatus.REJECTED:
                    messages.info(
                        request,
                        _(
                            "Your visit is booked. You are already a client of this salon, so the referral reward does not apply."
                        ),
                    )
                elif referral.status == ReferralStatus.HELD:
                    messages.info(
                        request,
                        _(
                            "Your visit is booked. The salon checks this referral before the reward is given."
                        ),
                    )
                else:
                    messages.success(
                        request,
                        _("Your visit is booked and your welcome reward is waiting for you."),
                    )
                return redirect("loyalty:wallet")
    context = {
        "code": found,
        "business": business,
        "location": location,
        "form": form,
        "slots": slots,
        "service": chosen,
    }
    return with_device(request, render(request, "referrals/public/book.html", context))
