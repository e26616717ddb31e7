"""Publishing through each network's adapter, against a local server that
checks every request as the real API would (fakenet.py): success, an
expired token, a rate limit, a retry, and never the same post twice."""

import threading

import pytest
from django.db import connection
from django_scopes import scopes_disabled

from solibook.core.errors import ValidationFailed
from solibook.core.tenancy import business_scope
from solibook.offers import services as offers
from solibook.social import services
from solibook.social.models import Delivery, SocialProfile
from solibook.social.tests.helpers import photo, profile
from solibook.testing.salon import paris

pytestmark = pytest.mark.django_db


def slot_post(salon, profiles, **extra):
    with business_scope(salon.business):
        return services.post_create(
            business=salon.business,
            kind="slot",
            profile_ids=[p.pk for p in profiles],
            location_id=salon.location.pk,
            service_id=salon.cut.pk,
            slot_start=paris(15),
            **extra,
        )


def publish(salon, post, **extra):
    with business_scope(salon.business):
        return services.post_publish(
            business=salon.business, post_id=post.pk, language="en", **extra
        )


def test_a_free_slot_goes_to_the_telegram_channel_with_its_tracked_link(salon, net):
    channel = profile(salon.business, "telegram")
    post = slot_post(salon, [channel])
    [done] = publish(salon, post)
    assert done.status == Delivery.Status.PUBLISHED and done.external_id == "101"
    [call] = net.seen
    assert call.method == "POST" and call.path.endswith("/sendMessage")
    assert call.fields["chat_id"] == "@atelier_test"
    assert "Cut" in call.fields["text"]
    assert f"https://solibook.example/en/s/{post.link.code}/" in call.fields["text"]
    # Publishing again sends nothing: the delivery is published.
    publish(salon, post)
    assert len(net.seen) == 1


def test_a_photo_is_uploaded_to_telegram_facebook_and_vk_and_linked_on_instagram(salon, net):
    picture = photo(salon.business, salon.location)
    profiles = [profile(salon.business, n) for n in ("telegram", "facebook", "instagram", "vk")]
    with business_scope(salon.business):
        post = services.post_create(
            business=salon.business,
            kind="photo",
            profile_ids=[p.pk for p in profiles],
            picture=f"location:{picture.pk}",
        )
    done = publish(salon, post)
    assert [d.status for d in done] == ["published"] * 4, [d.error for d in done]
    assert net.calls("/sendPhoto")[0].files["photo"][:3] == b"\xff\xd8\xff"
    assert net.calls("/photos")[0].files["source"][:3] == b"\xff\xd8\xff"
    media = net.calls("/instagram/17841400000/media")[0].fields
    assert (
        media["image_url"].startswith("https://solibook.example/") and "work" in media["image_url"]
    )
    assert net.calls("media_publish")[0].fields["creation_id"] == "creation-9"
    assert net.calls("/vk/upload")[0].files["photo"][:3] == b"\xff\xd8\xff"
    wall = net.calls("wall.post")[0].fields
    assert wall["owner_id"] == "-987654" and wall["attachments"].startswith("photo-987654_77,")
    assert wall["v"] and wall["access_token"]
    by_network = {d.profile.network: d.external_id for d in done}
    assert by_network == {
        "telegram": "102",
        "facebook": "111_333",
        "instagram": "ig-media-1",
        "vk": "555",
    }


def test_an_offer_goes_to_a_facebook_page_feed_with_the_link(salon, net):
    page = profile(salon.business, "facebook")
    with business_scope(salon.business):
        promo = offers.promo_code_create(
            business=salon.business, code="SUMMER20", discount_percent=20
        )
        post = services.post_create(
            business=salon.business, kind="offer", profile_ids=[page.pk], promo_id=promo.pk
        )
    assert post.title == "-20% with the code SUMMER20"
    [done] = publish(salon, post)
    assert done.status == "published"
    feed = net.calls("/facebook/1234567/feed")[0].fields
    assert feed["link"] == f"https://solibook.example/en/s/{post.link.code}/"


@pytest.mark.parametrize("network", ["telegram", "facebook", "vk"])
def test_an_expired_token_fails_clearly_and_a_new_token_lets_it_retry_once(salon, net, network):
    account = profile(salon.business, network)
    post = slot_post(salon, [account])
    net.script[network] = "expired"
    [failed] = publish(salon, post)
    assert failed.status == "failed" and failed.error_code == "expired_token"
    assert "reconnect the profile" in failed.error
    with scopes_disabled():
        assert SocialProfile.objects.get(pk=account.pk).last_error
    net.script[network] = "ok"
    with business_scope(salon.business):
        services.profile_reconnect(
            business=salon.business, profile_id=account.pk, token=account.token
        )
    [retried] = publish(salon, post, delivery_id=failed.pk)
    assert retried.status == "published" and retried.attempts == 2
    sent = len(net.seen)
    publish(salon, post, delivery_id=failed.pk)
    assert len(net.seen) == sent, "a published post is not sent again"


@pytest.mark.parametrize("network", ["telegram", "facebook", "vk"])
def test_a_rate_limit_marks_the_post_failed_with_a_wait_message(salon, net, network):
    account = profile(salon.business, network)
    post = slot_post(salon, [account])
    net.script[network] = "rate"
    [failed] = publish(salon, post)
    assert failed.status == "failed" and failed.error_code == "rate_limited"
    assert "retry in a few minutes" in failed.error
    if network == "telegram":
        assert "7 s" in failed.error
    net.script[network] = "ok"
    [done] = publish(salon, post)
    assert done.status == "published"


def test_instagram_without_a_picture_is_refused_before_anything_is_written(salon, net):
    account = profile(salon.business, "instagram")
    with pytest.raises(ValidationFailed) as refused:
        slot_post(salon, [account])
    assert "picture" in refused.value.fields
    assert net.seen == []


def test_a_taken_or_past_slot_cannot_be_published(salon, net):
    channel = profile(salon.business, "telegram")
    with business_scope(salon.business), pytest.raises(ValidationFailed) as refused:
        services.post_create(
            business=salon.business,
            kind="slot",
            profile_ids=[channel.pk],
            location_id=salon.location.pk,
            service_id=salon.cut.pk,
            slot_start=paris(3),  # the salon opens at 9
        )
    assert refused.value.code == "slot_taken"


def test_tokens_and_ids_are_checked_when_connecting(salon):
    with business_scope(salon.business), pytest.raises(ValidationFailed) as refused:
        services.profile_connect(
            business=salon.business,
            network="telegram",
            name="x",
            external_id="not a channel",
            token="short",
        )
    assert "external_id" in refused.value.fields
    profile(salon.business, "telegram")
    with business_scope(salon.business), pytest.raises(ValidationFailed) as twice:
        profile(salon.business, "telegram")
    assert twice.value.code == "duplicate"


@pytest.mark.django_db(transaction=True)
def test_two_publishers_at_once_send_the_post_once(salon, net):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent claims need PostgreSQL")
    channel = profile(salon.business, "telegram")
    post = slot_post(salon, [channel])
    net.delay = 0.5  # the first call is still running when the second click comes
    results = []

    def click():
        try:
            results.extend(publish(salon, post))
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(net.calls("/sendMessage")) == 1
    with scopes_disabled():
        delivery = Delivery.objects.get(post=post)
    assert delivery.status == "published" and delivery.attempts == 1
