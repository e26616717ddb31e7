"""The demo's social side: Atelier Lumière's Telegram channel, a photo post
published to the demo inbox (nothing leaves the machine) with its clicks and
a booking that followed one, and the gym's landing page with its code."""

import pytest
from django.core import mail
from django.db import transaction
from django_scopes import scopes_disabled

from solibook.demo.seed import seed_demo
from solibook.partnerships.models import Landing
from solibook.partnerships.selectors import landing_effects
from solibook.social.models import Delivery, Post, SocialProfile
from solibook.social.selectors import post_effect

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        mail.outbox = []
        yield seed_demo(), list(mail.outbox)
        transaction.set_rollback(True)


def test_the_demo_channel_has_a_published_post_with_clicks_and_a_booking(demo):
    _seeded, sent = demo
    with scopes_disabled():
        channel = SocialProfile.objects.get(external_id="@atelier_lumiere_demo")
        assert channel.business.name == "Atelier Lumière" and channel.network == "telegram"
        post = Post.objects.select_related("link").get(business=channel.business)
        delivery = Delivery.objects.get(post=post)
        effect = post_effect(post)
    assert delivery.status == "published" and delivery.external_id.startswith("demo-")
    assert post.image, "the post carries one of the salon's pictures"
    assert effect.clicks == 12 and effect.bookings == 1 and effect.revenue > 0
    [inbox] = [m for m in sent if "social.demo.invalid" in m.to[0]]
    assert "Nouveau balayage" in inbox.body and f"/fr/s/{post.link.code}/" in inbox.body


def test_the_demo_gym_page_has_its_code_and_visits(demo):
    with scopes_disabled():
        gym = Landing.objects.select_related("promo", "link").get(slug="gym-bastille")
        effect = landing_effects([gym])[gym.pk]
    assert gym.promo.code == "GYMBASTILLE" and gym.partner_name == "Gym Bastille"
    assert effect.visits == 5
