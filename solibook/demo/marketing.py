"""Marketing in the demo (issue #19): at Ongles & Sens, a newsletter segment of
twelve clients who agreed to offers (in French, English, Russian and Arabic), a
campaign already running to the salon's clients with a visit (started ten days ago by
e-mail, a code of their own, a 20 % hold-out; their visits since make its report
show bookings and revenue against the hold-out), and every automatic journey on.
All through the real services; e-mail only (no SMS: the salon's invoice stays as
the billing journey expects)."""

from datetime import timedelta

from django_scopes import scopes_disabled

from solibook.booking.models import Appointment
from solibook.clients.models import Client, ClientTag
from solibook.clients.services import client_consent_record, client_create, segment_save
from solibook.core.tenancy import business_scope
from solibook.marketing import services as marketing
from solibook.marketing.models import JourneyKind

SALON = "Ongles & Sens"
NEWSLETTER = "Newsletter"
REGULARS = "Habituées"
# (first name, last name, e-mail, language): the browser journey reads their inbox.
NEWSLETTER_CLIENTS = [
    (f"Abonnée{i}", "Démo", f"newsletter{i}@ongles-sens.demo", ("fr", "en", "ru", "ar")[i % 4])
    for i in range(1, 13)
]
SPRING = {
    "fr": (
        "Le printemps chez {{ salon }}",
        "Bonjour {{ first_name }},\n\n{{ discount }} sur votre prochaine visite avec votre code "
        "{{ code }}, jusqu'au {{ valid_until }}.\nRéservez : {{ link }}\n\n"
        "Ne plus recevoir nos offres : {{ unsubscribe_link }}",
    ),
    "en": (
        "Spring at {{ salon }}",
        "Hello {{ first_name }},\n\n{{ discount }} off your next visit with your code {{ code }}, "
        "until {{ valid_until }}.\nBook: {{ link }}\n\nStop our offers: {{ unsubscribe_link }}",
    ),
    "ru": (
        "Весна в {{ salon }}",
        "Здравствуйте, {{ first_name }}!\n\nСкидка {{ discount }} на следующий визит по коду "
        "{{ code }} до {{ valid_until }}.\nЗаписаться: {{ link }}\n\n"
        "Отписаться: {{ unsubscribe_link }}",
    ),
    "ar": (
        "الربيع في {{ salon }}",
        "مرحبا {{ first_name }}،\n\nخصم {{ discount }} على زيارتك القادمة بالرمز {{ code }} حتى "
        "{{ valid_until }}.\nاحجز: {{ link }}\n\nإلغاء الاشتراك: {{ unsubscribe_link }}",
    ),
}


def seed_marketing(catalogues: dict, *, owners: dict, now) -> None:
    catalogue = catalogues.get(SALON)
    if catalogue is None:
        return
    business, owner = catalogue.business, owners[SALON]
    with business_scope(business):
        for first, last, email, language in NEWSLETTER_CLIENTS:
            card = client_create(
                business=business,
                actor=owner,
                data={"first_name": first, "last_name": last, "email": email, "language": language},
                tags=[NEWSLETTER],
            )
            client_consent_record(
                business=business, client=card, kind="marketing", granted=True, source="demo"
            )
        tags = {t.name: t for t in ClientTag.objects.filter(business=business)}
        segment_save(
            business=business,
            actor=owner,
            name=NEWSLETTER,
            filters={"tag_id": tags[NEWSLETTER].pk},
        )
        # The salon's clients with a visit (past or booked) agreed to offers at the desk.
        recent = set(
            Appointment.objects.filter(business=business, client_card__isnull=False).values_list(
                "client_card_id", flat=True
            )
        )
        regulars = ClientTag.objects.create(business=business, name=REGULARS)
        for card in Client.objects.filter(pk__in=recent).exclude(email=""):
            card.tags.add(regulars)
            client_consent_record(
                business=business,
                client=card,
                kind="marketing",
                granted=True,
                source="demo",
                at=now - timedelta(days=40),
            )
        segment = segment_save(
            business=business, actor=owner, name=REGULARS, filters={"tag_id": regulars.pk}
        )
        for kind in JourneyKind.values:
            marketing.journey_update(
                business=business,
                actor=owner,
                kind=kind,
                enabled=True,
                channels=["email"],
                holdout_percent=10,
                discount_percent=15
                if kind in (JourneyKind.CHURN_RISK, JourneyKind.BIRTHDAY)
                else None,
            )
        campaign = marketing.campaign_save(
            business=business,
            actor=owner,
            name="Printemps",
            channels=["email"],
            segment_id=segment.pk,
            offer="code",
            discount_percent=15,
            holdout_percent=20,
            templates={k: {"subject": s, "body": b} for k, (s, b) in SPRING.items()},
        )
        started = now - timedelta(days=10)
        if not marketing.audience_estimate(business=business, campaign=campaign)["reachable"]:
            return  # a demo without recent visits here: nothing to send
        with scopes_disabled():
            marketing.campaign_send(
                business=business, actor=owner, campaign_id=campaign.pk, now=started
            )
            marketing.campaign_run(business=business, campaign_id=campaign.pk, now=started)
