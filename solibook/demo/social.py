"""Social publishing and partnerships at Atelier Lumière (issue #19, points 3
and 5): a connected Telegram channel, a photo post published on it with its
clicks and a booking that followed one, and a gym's landing page with its
code and a few visits.

Nothing reaches Telegram: the seed publishes to the demo inbox (as `make
run` does for every post, `SOCIAL_SANDBOX` following `DEMO_INBOX`), so a
newcomer reads the post there and sees its clicks on the post's page."""

from datetime import datetime, timedelta

from django_scopes import scopes_disabled

from solibook.booking.models import Appointment, Source, Status
from solibook.catalog.models import LocationPhoto
from solibook.core.tenancy import business_scope
from solibook.partnerships import services as partnerships
from solibook.social import services as social

SALON = "Atelier Lumière"
CHANNEL = "@atelier_lumiere_demo"
# Shaped like a bot token; the demo never sends it anywhere.
DEMO_TOKEN = "7000000001:AAdemoTokenNeverSentAnywhere"  # noqa: S105 - not a secret
BROWSER = "Mozilla/5.0 (demo visitor)"


def _clicks(code: str, times: list[datetime]) -> list[str]:
    tokens = []
    for at in times:
        _link, click = social.link_click(code=code, session={}, user_agent=BROWSER, now=at)
        if click is not None:
            tokens.append(click.token)
    return tokens


def seed_social(catalogues: dict, *, owners: dict, now: datetime) -> None:
    catalogue = catalogues.get(SALON)
    if catalogue is None:
        return
    business, owner = catalogue.business, owners[SALON]
    with business_scope(business):
        channel = social.profile_connect(
            business=business,
            network="telegram",
            name="Atelier Lumière · Telegram",
            external_id=CHANNEL,
            token=DEMO_TOKEN,
            actor=owner,
        )
        picture = LocationPhoto.objects.filter(kind="photo").order_by("id").first()
        post = social.post_create(
            business=business,
            kind="photo",
            profile_ids=[channel.pk],
            picture=f"location:{picture.pk}" if picture else "",
            title="Nouveau balayage au Marais",
            text="Lumière naturelle, reflets miel : réservez votre balayage en deux clics.",
            actor=owner,
        )
        social.post_publish(
            business=business, post_id=post.pk, actor=owner, language="fr", sandbox=True
        )
        tokens = _clicks(post.link.code, [now - timedelta(days=3, hours=h) for h in range(12)])
        with scopes_disabled():
            followed = (
                Appointment.objects.filter(
                    business=business,
                    source=Source.BOOKING_LINK,
                    status__in=(Status.CONFIRMED, Status.COMPLETED),
                )
                .order_by("id")
                .first()
            )
        if followed is not None and tokens:
            social.booking_attribute(appointment=followed, click_tokens=tokens[-1:], now=now)
        gym = partnerships.landing_create(
            business=business,
            kind="partner",
            title="Membres de Gym Bastille : −15 %",
            description="Sur présentation de votre carte Gym Bastille, 15 % sur toutes les prestations.",
            partner_name="Gym Bastille",
            partner_url="https://gym-bastille.example",
            starts_on=(now - timedelta(days=7)).date(),
            ends_on=(now + timedelta(days=60)).date(),
            code="GYMBASTILLE",
            discount_percent=15,
            slug="gym-bastille",
            actor=owner,
            today=now.date(),
        )
        _clicks(gym.link.code, [now - timedelta(days=2, hours=h) for h in range(5)])
