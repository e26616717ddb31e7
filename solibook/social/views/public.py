"""Public pages of social publishing: the tracked link (counts the click,
keeps the touch, sets the attribution cookie) and the post's card, an Open
Graph page that leads to booking."""

from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.core.files.storage import default_storage
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django_scopes import scopes_disabled

from solibook.core.errors import NotFound
from solibook.social import receivers, services
from solibook.social.models import Post, TrackedLink


def click(request, code: str):
    try:
        link, clicked = services.link_click(
            code=code,
            session=request.session,
            user_agent=request.headers.get("User-Agent", ""),
            referrer=request.headers.get("Referer", ""),
        )
    except NotFound as exc:
        raise Http404 from exc
    response = redirect(f"/{get_language()}/{link.target_path}")
    if clicked is not None:
        response.set_cookie(
            receivers.COOKIE,
            receivers.cookie_value(request.headers.get("Cookie", ""), clicked.token),
            max_age=receivers.MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


def card(request, code: str):
    with scopes_disabled():
        link = TrackedLink.objects.filter(code=code[:16], purpose=TrackedLink.Purpose.POST).first()
        post = (
            Post.objects.select_related("business", "promo", "service", "location")
            .filter(link=link)
            .first()
            if link
            else None
        )
    if post is None:
        raise Http404
    query: dict[str, object] = {"via": "link"}
    slot_local = None
    if post.location_id:
        query["location"] = post.location_id
    if post.service_id:
        query["service"] = post.service_id
    if post.slot_start and post.location:
        slot_local = post.slot_start.astimezone(ZoneInfo(post.location.time_zone))
        query["date"] = slot_local.date().isoformat()
    book_url = reverse("clientarea:book", args=[post.business.slug])
    if post.service_id:
        book_url = reverse("clientarea:book_time", args=[post.business.slug])
    image_url = ""
    if post.image:
        image_url = request.build_absolute_uri(default_storage.url(post.image))
    elif post.business.logo:
        image_url = request.build_absolute_uri(post.business.logo.url)
    return render(
        request,
        "social/public/card.html",
        {
            "post": post,
            "business": post.business,
            "slot_local": slot_local,
            "book_url": f"{book_url}?{urlencode(query)}",
            "image_url": image_url,
            "page_url": request.build_absolute_uri(request.path),
        },
    )
