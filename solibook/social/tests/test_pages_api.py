"""The pages and the API of social publishing: connecting (the token never
shown back), publishing a free slot, the tracked link and its Open Graph
page, and bookings after a click counted on the post."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from solibook.accounts.roles import Role
from solibook.social.models import Attribution, Delivery, Post, TrackedLink
from solibook.social.tests import fakenet
from solibook.social.tests.helpers import photo, profile
from solibook.testing.clients import api_as, pages_as
from solibook.testing.factories import TEST_PASSWORD, BusinessFactory, LocationFactory, UserFactory
from solibook.testing.salon import paris

pytestmark = pytest.mark.django_db
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0"


def office(salon, name, *args):
    return reverse(f"social:{name}", args=[salon.business.slug, *args])


def publish_slot_page(pages, salon, channel, hour=15):
    return pages.post(
        office(salon, "post_new"),
        {
            "action": "publish",
            "kind": "slot",
            "profile_ids": [channel.pk],
            "location_id": salon.location.pk,
            "service_id": salon.cut.pk,
            "slot_start": paris(hour).isoformat(),
        },
    )


def test_the_token_is_never_shown_back_on_the_page_or_in_the_api(salon):
    pages = pages_as(salon.business)
    sent = pages.post(
        office(salon, "profiles"),
        {
            "network": "telegram",
            "name": "Atelier",
            "external_id": "@atelier_test",
            "token": fakenet.TELEGRAM_TOKEN,
        },
    )
    assert sent.status_code == 302
    page = pages.get(office(salon, "profiles")).content.decode()
    assert fakenet.TELEGRAM_TOKEN not in page and "…ests" in page
    api = api_as(salon.business)
    answer = api.post(
        f"/api/v1/businesses/{salon.business.pk}/social/profiles/",
        {"network": "vk", "external_id": "987654", "token": fakenet.VK_TOKEN},
        format="json",
    )
    assert answer.status_code == 201, answer.content
    assert "token" not in answer.json() and answer.json()["token_hint"] == "…5678"
    listed = api.get(f"/api/v1/businesses/{salon.business.pk}/social/profiles/").content.decode()
    assert fakenet.VK_TOKEN not in listed and fakenet.TELEGRAM_TOKEN not in listed


def test_a_refused_profile_says_why_on_its_field(salon):
    pages = pages_as(salon.business)
    refused = pages.post(
        office(salon, "profiles"),
        {
            "network": "telegram",
            "external_id": "no spaces allowed",
            "token": fakenet.TELEGRAM_TOKEN,
        },
    )
    assert refused.status_code == 400
    assert "a channel is @name" in refused.content.decode()


def test_the_owner_publishes_a_free_slot_and_sees_where_it_went(salon, net):
    channel = profile(salon.business, "telegram")
    pages = pages_as(salon.business)
    done = publish_slot_page(pages, salon, channel)
    assert done.status_code == 302, done.content.decode()[:2000]
    with scopes_disabled():
        post = Post.objects.get()
        assert post.deliveries.get().status == Delivery.Status.PUBLISHED
    assert net.calls("/sendMessage")[0].fields["chat_id"] == "@atelier_test"
    detail = pages.get(done["Location"]).content.decode()
    assert "Published" in detail and post.link.code in detail
    taken = publish_slot_page(pages, salon, channel, hour=4)
    assert taken.status_code == 400 and "no longer free" in taken.content.decode()


def test_a_failed_delivery_is_retried_from_the_posts_page(salon, net):
    channel = profile(salon.business, "telegram")
    pages = pages_as(salon.business)
    net.script["telegram"] = "expired"
    done = publish_slot_page(pages, salon, channel)
    page = pages.get(done["Location"]).content.decode()
    assert "reconnect the profile" in page and "Retry" in page
    net.script["telegram"] = "ok"
    with scopes_disabled():
        delivery = Delivery.objects.get()
    pages.post(office(salon, "post_publish", delivery.post_id), {"delivery_id": delivery.pk})
    delivery.refresh_from_db()
    assert delivery.status == "published" and len(net.calls("/sendMessage")) == 2


def test_a_click_is_counted_once_per_person_not_for_link_previews_and_the_card_has_open_graph(
    salon, net
):
    picture = photo(salon.business, salon.location)
    channel = profile(salon.business, "telegram")
    pages = pages_as(salon.business)
    pages.post(
        office(salon, "post_new"),
        {
            "action": "publish",
            "kind": "photo",
            "profile_ids": [channel.pk],
            "picture": f"location:{picture.pk}",
        },
    )
    with scopes_disabled():
        post = Post.objects.get()
    visitor = Client(HTTP_USER_AGENT=BROWSER)
    clicked = visitor.get(f"/en/s/{post.link.code}/")
    assert clicked.status_code == 302 and clicked["Location"] == f"/en/s/{post.link.code}/card/"
    assert "sb_clicks" in clicked.cookies
    Client(HTTP_USER_AGENT="TelegramBot (like TwitterBot)").get(f"/en/s/{post.link.code}/")
    with scopes_disabled():
        assert TrackedLink.objects.get(pk=post.link_id).clicks == 1
    card = visitor.get(clicked["Location"]).content.decode()
    image = re.search(r'<meta property="og:image" content="([^"]+)"', card).group(1)
    assert image.startswith("http://testserver/") and "work" in image
    assert re.search(r'<meta property="og:url" content="http://testserver/en/s/\w+/card/"', card)
    assert 'property="og:title" content="Balayage' in card and 'property="og:description"' in card
    assert "/book/" in card and "via=link" in card
    assert visitor.get("/en/s/nosuchcode/").status_code == 404


def book_as_client(client, salon, hour=10, promo_code=""):
    user = UserFactory()
    client.login(email=user.email, password=TEST_PASSWORD)
    held = client.post(
        reverse("clientarea:book_time", args=[salon.business.slug]) + "?via=link",
        {
            "location": salon.location.pk,
            "service": salon.cut.pk,
            "master": "any",
            "start": paris(hour).isoformat(),
        },
    )
    assert held.status_code == 302, held.content.decode()[:1500]
    done = client.post(held["Location"], {"action": "confirm", "promo_code": promo_code})
    assert done.status_code == 302 and done["Location"].endswith("/done/"), done.content.decode()[
        :1500
    ]
    return user


def test_a_booking_after_a_click_counts_on_the_post_and_one_without_does_not(salon, net):
    channel = profile(salon.business, "telegram")
    pages = pages_as(salon.business)
    publish_slot_page(pages, salon, channel)
    with scopes_disabled():
        post = Post.objects.get()
    follower = Client(HTTP_USER_AGENT=BROWSER)
    follower.get(f"/en/s/{post.link.code}/")
    book_as_client(follower, salon, hour=15)
    book_as_client(Client(HTTP_USER_AGENT=BROWSER), salon, hour=11)  # came another way
    with scopes_disabled():
        assert Attribution.objects.count() == 1
    detail = pages.get(office(salon, "post_detail", post.pk)).content.decode()
    assert re.search(r'id="post-clicks">1<', detail) and re.search(r'id="post-bookings">1<', detail)
    api = api_as(salon.business)
    effect = api.get(f"/api/v1/businesses/{salon.business.pk}/social/posts/{post.pk}/").json()[
        "effect"
    ]
    assert effect == {"clicks": 1, "bookings": 1, "revenue": 4500}


def test_another_salons_click_is_not_counted_for_this_salon(salon, net):
    other = BusinessFactory()
    LocationFactory(business=other)
    from solibook.core.tenancy import business_scope
    from solibook.social import services

    with business_scope(other):
        link = services.link_create(business=other, purpose="post", target_path="s/x/card/")
    visitor = Client(HTTP_USER_AGENT=BROWSER)
    visitor.get(f"/en/s/{link.code}/")
    book_as_client(visitor, salon)
    with scopes_disabled():
        assert not Attribution.objects.exists()


def test_the_api_prepares_publishes_and_refuses_another_salons_profile(salon, net):
    channel = profile(salon.business, "telegram")
    other = BusinessFactory()
    foreign = profile(other, "telegram")
    api = api_as(salon.business)
    base = f"/api/v1/businesses/{salon.business.pk}/social/"
    refused = api.post(
        f"{base}posts/",
        {
            "kind": "slot",
            "profile_ids": [foreign.pk],
            "location_id": salon.location.pk,
            "service_id": salon.cut.pk,
            "slot_start": paris(15).isoformat(),
        },
        format="json",
    )
    assert refused.status_code == 404
    made = api.post(
        f"{base}posts/",
        {
            "kind": "slot",
            "profile_ids": [channel.pk],
            "location_id": salon.location.pk,
            "service_id": salon.cut.pk,
            "slot_start": paris(15).isoformat(),
        },
        format="json",
    )
    assert made.status_code == 201, made.content
    assert made.json()["deliveries"][0]["status"] == "pending" and net.seen == []
    sent = api.post(f"{base}posts/{made.json()['id']}/publish/", {}, format="json")
    assert sent.status_code == 200 and sent.json()[0]["status"] == "published"
    assert api.get(f"/api/v1/businesses/{other.pk}/social/posts/").status_code == 404
    assert api.post(f"{base}profiles/{foreign.pk}/disconnect/").status_code == 404


def test_a_receptionist_cannot_publish(salon):
    desk = pages_as(salon.business, Role.RECEPTIONIST)
    assert desk.get(office(salon, "post_list")).status_code == 403
    assert (
        api_as(salon.business, Role.RECEPTIONIST)
        .get(f"/api/v1/businesses/{salon.business.pk}/social/posts/")
        .status_code
        == 403
    )


def test_another_salons_ids_in_a_body_or_query_are_404_and_nothing_is_written(salon, net):
    from solibook.core.tenancy import business_scope
    from solibook.offers.models import PromoCode
    from solibook.social import services
    from solibook.testing.factories import make_service

    channel = profile(salon.business, "telegram")
    other = BusinessFactory()
    other_location = LocationFactory(business=other)
    other_cut = make_service(other, name="Their cut", steps=[(60, True)], price=1000)
    their_picture = photo(other, other_location)
    their_channel = profile(other, "telegram")
    with scopes_disabled():
        their_promo = PromoCode.objects.create(
            business=other, code="THEIRS", discount_percent=10, currency=other.currency
        )
    with business_scope(other):
        theirs = services.post_create(
            business=other,
            kind="photo",
            profile_ids=[their_channel.pk],
            picture=f"location:{their_picture.pk}",
        )
    with scopes_disabled():
        their_delivery = Delivery.objects.get(post=theirs)
    assert publish_slot_page(pages_as(salon.business), salon, channel).status_code == 302
    with scopes_disabled():
        mine = Post.objects.get(business=salon.business)
    api = api_as(salon.business)
    base = f"/api/v1/businesses/{salon.business.pk}/social/"
    slot = {"kind": "slot", "profile_ids": [channel.pk], "slot_start": paris(15).isoformat()}
    for body in (
        {**slot, "location_id": other_location.pk, "service_id": salon.cut.pk},
        {**slot, "location_id": salon.location.pk, "service_id": other_cut.pk},
        {"kind": "offer", "profile_ids": [channel.pk], "promo_id": their_promo.pk},
        {"kind": "photo", "profile_ids": [channel.pk], "picture": f"location:{their_picture.pk}"},
    ):
        assert api.post(f"{base}posts/", body, format="json").status_code == 404, body
    refused = api.post(
        f"{base}posts/{mine.pk}/publish/", {"delivery_id": their_delivery.pk}, format="json"
    )
    assert refused.status_code == 404
    slots = api.get(f"{base}slots/", {"location_id": other_location.pk, "service_id": salon.cut.pk})
    assert slots.status_code == 404
    with scopes_disabled():
        assert Post.objects.filter(business=salon.business).count() == 1
        assert Delivery.objects.get(pk=their_delivery.pk).status == "pending"
