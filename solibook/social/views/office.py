"""Back-office pages of social publishing (owners and managers:
`manage_business`). Thin: a form, one service call, in the business's scope."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solibook.accounts.access import backoffice_view
from solibook.accounts.roles import Capability
from solibook.catalog.models import Location, Service
from solibook.core.forms import choice_field
from solibook.core.refusals import refusals
from solibook.offers.models import PromoCode
from solibook.social import selectors, services
from solibook.social.forms import PostForm, ProfileForm, TokenForm
from solibook.social.models import Delivery, Post, SocialProfile

MANAGE = Capability.MANAGE_BUSINESS


def _int(value) -> int | None:
    return int(value) if str(value or "").isdigit() and len(str(value)) < 12 else None


@backoffice_view(MANAGE)
def profiles(request):
    form = ProfileForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        with refusals(form) as refused:
            services.profile_connect(
                business=request.business, actor=request.user, **form.cleaned_data
            )
        if not refused:
            messages.success(request, _("Profile connected."))
            return redirect("social:profiles", business_slug=request.business.slug)
        status = refused.status
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "social/office/profiles.html",
        {
            "form": form,
            "profiles": SocialProfile.objects.order_by("network", "name"),
            "token_form": TokenForm(),
        },
        status=status,
    )


@require_POST
@backoffice_view(MANAGE)
def profile_reconnect(request, profile_id: int):
    form = TokenForm(request.POST)
    if form.is_valid():
        with refusals(request=request, not_found_404=True) as refused:
            services.profile_reconnect(
                business=request.business,
                profile_id=profile_id,
                actor=request.user,
                **form.cleaned_data,
            )
        if not refused:
            messages.success(request, _("New token saved: failed posts can be retried."))
    else:
        messages.error(request, _("Paste the whole access token the network gave you."))
    return redirect("social:profiles", business_slug=request.business.slug)


@require_POST
@backoffice_view(MANAGE)
def profile_disconnect(request, profile_id: int):
    with refusals(request=request, not_found_404=True):
        services.profile_disconnect(
            business=request.business, profile_id=profile_id, actor=request.user
        )
    messages.success(request, _("Profile disconnected: its token is deleted."))
    return redirect("social:profiles", business_slug=request.business.slug)


@backoffice_view(MANAGE)
def post_list(request):
    return render(
        request,
        "social/office/post_list.html",
        {"rows": selectors.posts_with_effect(business=request.business)},
    )


def _post_form(request, data):
    business = request.business
    form = PostForm(data, initial={"kind": request.GET.get("kind", "slot")})
    choice_field(form, "profile_ids").choices = [
        (p.pk, str(p))
        for p in SocialProfile.objects.filter(is_active=True).order_by("network", "name")
    ]
    now = timezone.now()
    choice_field(form, "promo_id").choices = [("", "—")] + [
        (p.pk, f"{p.code} · {p.description}" if p.description else p.code)
        for p in PromoCode.objects.filter(is_active=True).order_by("code")
        if not p.valid_until or p.valid_until > now
    ]
    locations = list(Location.objects.order_by("name"))
    choice_field(form, "location_id").choices = [(loc.pk, loc.name) for loc in locations]
    choice_field(form, "service_id").choices = [("", "—")] + [
        (s.pk, s.name) for s in Service.objects.filter(is_active=True).order_by("name")
    ]
    choice_field(form, "picture").choices = [("", "—")] + [
        (key, caption) for key, caption, _name in selectors.pictures(business=business)
    ]
    source = data or request.GET
    location_id = _int(source.get("location_id")) or (locations[0].pk if locations else None)
    service_id = _int(source.get("service_id"))
    slots = []
    if location_id and service_id and any(loc.pk == location_id for loc in locations):
        slots = selectors.last_minute_slots(
            business=business, location_id=location_id, service_id=service_id
        )
    offered = [
        (
            s.start.isoformat(),
            f"{formats.date_format(s.start, 'D j')} {formats.time_format(s.start, 'TIME_FORMAT')} · "
            + ", ".join(s.master_names),
        )
        for s in slots
    ]
    posted = (data or {}).get("slot_start", "")
    if posted and posted not in dict(offered):
        # Offered on an earlier page: the service checks that it is still free.
        offered.append((posted[:40], posted[:40]))
    choice_field(form, "slot_start").choices = offered
    if data is None:
        form.initial.update(location_id=location_id, service_id=service_id)
    return form, slots


@backoffice_view(MANAGE)
def post_new(request):
    form, slots = _post_form(request, request.POST or None)
    status = 200
    if request.method == "POST" and request.POST.get("action") == "publish" and form.is_valid():
        data = dict(form.cleaned_data)
        start = data.pop("slot_start")
        with refusals(form) as refused:
            post = services.post_create(
                business=request.business,
                actor=request.user,
                slot_start=datetime.fromisoformat(start) if start else None,
                **data,
            )
        if not refused:
            done = services.post_publish(
                business=request.business,
                post_id=post.pk,
                actor=request.user,
                language=get_language(),
            )
            _say(request, done)
            return redirect(
                "social:post_detail", business_slug=request.business.slug, post_id=post.pk
            )
        status = refused.status
    elif request.method == "POST" and request.POST.get("action") == "publish":
        status = 400
    return render(
        request, "social/office/post_new.html", {"form": form, "slots": slots}, status=status
    )


def _say(request, deliveries: list[Delivery]) -> None:
    for delivery in deliveries:
        if delivery.status == Delivery.Status.PUBLISHED:
            messages.success(
                request, _("Published on %(profile)s.") % {"profile": delivery.profile}
            )
        elif delivery.status == Delivery.Status.FAILED:
            messages.error(
                request,
                _("Not published on %(profile)s: %(error)s")
                % {"profile": delivery.profile, "error": delivery.error},
            )


@backoffice_view(MANAGE)
def post_detail(request, post_id: int):
    post = (
        Post.objects.select_related("link", "promo", "service", "location")
        .filter(pk=post_id)
        .first()
    )
    if post is None:
        raise Http404
    zone = ZoneInfo(post.location.time_zone) if post.location else None
    return render(
        request,
        "social/office/post_detail.html",
        {
            "post": post,
            "slot_local": post.slot_start.astimezone(zone) if post.slot_start and zone else None,
            "deliveries": post.deliveries.select_related("profile"),
            "effect": selectors.post_effect(post),
            "bookings": selectors.attributed_bookings(link_id=post.link_id),
            "link_url": request.build_absolute_uri(reverse("social:click", args=[post.link.code])),
        },
    )


@require_POST
@backoffice_view(MANAGE)
def post_publish(request, post_id: int):
    delivery_id = _int(request.POST.get("delivery_id"))
    with refusals(request=request, not_found_404=True):
        done = services.post_publish(
            business=request.business,
            post_id=post_id,
            actor=request.user,
            language=get_language(),
            delivery_id=delivery_id,
        )
        _say(request, done)
    return redirect("social:post_detail", business_slug=request.business.slug, post_id=post_id)
