"""One rule for every person's name (issue #17, point 7): each page and API
route that takes a name refuses a zero-width-only name, a bidi override and a
name of spaces with a 400 naming the field, and writes nothing."""

import pytest
from django import forms
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled

from solibook.accounts.roles import Role
from solibook.booking.selectors import ItemSpec
from solibook.catalog.models import Master
from solibook.clientarea import services as clientarea
from solibook.clientarea.models import BookingDraft
from solibook.finance.models import Checkout
from solibook.referrals.models import Partner
from solibook.testing.factories import UserFactory, member
from solibook.testing.salon import paris

pytestmark = pytest.mark.django_db

BAD_NAMES = {
    "zero_width": "\u200b\u200b",
    "bidi": "\u202eannA",
    "spaces": "   ",
}
MESSAGES = {
    "Names cannot contain invisible characters.",
    "Names cannot contain text-direction control characters.",
    "Enter a name.",
    "This field is required.",
    "This field may not be blank.",
    "Enter your name or your brand's.",
}
FRENCH = {
    "Les noms ne peuvent pas contenir de caractères invisibles.",
    "Les noms ne peuvent pas contenir de caractères de contrôle du sens du texte.",
    "Saisissez un nom.",
    "Ce champ est obligatoire.",
    "Ce champ ne peut être vide.",
    "Saisissez votre nom ou celui de votre marque.",
}


def _counts():
    with scopes_disabled():
        return (
            Master.objects.count(),
            Partner.objects.count(),
            Checkout.objects.count(),
            list(BookingDraft.objects.exclude(guest_name="").values_list("guest_name", flat=True)),
            list(Master.objects.values_list("display_name", flat=True)),
        )


def _master_api(api_client, salon, name):
    api_client.force_authenticate(member(salon.business, Role.OWNER))
    url = reverse("catalog_api:master_list", kwargs={"business_id": salon.business.pk})
    body = {"display_name": name, "location_ids": [salon.location.pk]}
    return api_client.post(url, body, format="json"), "display_name"


def _master_patch_api(api_client, salon, name):
    api_client.force_authenticate(member(salon.business, Role.OWNER))
    url = reverse(
        "catalog_api:master_detail",
        kwargs={"business_id": salon.business.pk, "master_id": salon.lea.pk},
    )
    return api_client.patch(url, {"display_name": name}, format="json"), "display_name"


def _guest_api(api_client, salon, name):
    draft = clientarea.booking_hold(
        business=salon.business,
        location_id=salon.location.pk,
        specs=[ItemSpec(salon.cut.pk, master_id=salon.lea.pk)],
        start=paris(10),
    )
    url = reverse("clientarea_api:draft_send_code", kwargs={"token": draft.token})
    body = {"name": name, "channel": "email", "destination": "guest@example.com"}
    return api_client.post(url, body, format="json"), "name"


def _partner_api(api_client, salon, name):
    api_client.force_authenticate(UserFactory())
    url = reverse("referrals_api:my_partnerships")
    return api_client.post(
        url, {"business_id": salon.business.pk, "name": name}, format="json"
    ), "name"


def _gift_card_api(api_client, salon, name):
    api_client.force_authenticate(member(salon.business, Role.OWNER))
    url = reverse("finance_api:checkouts", kwargs={"business_id": salon.business.pk})
    body = {
        "location_id": salon.location.pk,
        "lines": [{"kind": "gift_card", "amount": 5000, "recipient_name": name}],
        "shown_total": 5000,
        "currency": "EUR",
        "tenders": [{"kind": "cash", "amount": 5000}],
    }
    return api_client.post(url, body, format="json"), "lines.0.recipient_name"


API_ROUTES = [_master_api, _master_patch_api, _guest_api, _partner_api, _gift_card_api]


@pytest.mark.parametrize("kind", sorted(BAD_NAMES))
@pytest.mark.parametrize("route", API_ROUTES, ids=[r.__name__.strip("_") for r in API_ROUTES])
def test_api_routes_refuse_bad_names(api_client, salon, route, kind):
    before = _counts()
    response, field = route(api_client, salon, BAD_NAMES[kind])
    assert response.status_code == 400, response.content
    messages = response.json()["error"]["fields"].get(field)
    assert messages and set(messages) <= MESSAGES, response.json()
    assert _counts() == before


def _master_page(client, salon, name):
    client.force_login(member(salon.business, Role.OWNER))
    url = reverse("catalog:master_new", kwargs={"business_slug": salon.business.slug})
    data = {"display_name": name, "color": "#7a2e5a", "location_ids": [salon.location.pk]}
    return client.post(url, data), "display_name"


def _guest_page(client, salon, name):
    draft = clientarea.booking_hold(
        business=salon.business,
        location_id=salon.location.pk,
        specs=[ItemSpec(salon.cut.pk, master_id=salon.lea.pk)],
        start=paris(10),
    )
    session = SessionStore()
    session["booking_drafts"] = [draft.token]
    session.save()
    client.cookies["sessionid"] = session.session_key
    url = reverse("clientarea:book_details", kwargs={"token": draft.token})
    data = {"action": "send", "name": name, "channel": "email", "destination": "g@example.com"}
    return client.post(url, data), "name"


def _partner_page(client, salon, name):
    client.force_login(UserFactory())
    url = reverse("referrals:partner_join", kwargs={"salon_slug": salon.business.slug})
    return client.post(url, {"name": name}), "name"


def _gift_card_page(client, salon, name):
    client.force_login(member(salon.business, Role.OWNER))
    url = reverse("finance:checkout", kwargs={"business_slug": salon.business.slug})
    data = {
        "location": salon.location.pk,
        "gift_card_amount": "50",
        "gift_card_recipient": name,
        "pay_cash": "50",
        "action": "complete",
    }
    return client.post(url, data), "gift_card_recipient"


PAGES = [_master_page, _guest_page, _partner_page, _gift_card_page]


@pytest.mark.parametrize("kind", sorted(BAD_NAMES))
@pytest.mark.parametrize("page", PAGES, ids=[p.__name__.strip("_") for p in PAGES])
def test_pages_refuse_bad_names_on_the_field(client, salon, page, kind):
    before = _counts()
    with translation.override("fr"):
        response, field = page(client, salon, BAD_NAMES[kind])
        assert response.status_code in (200, 400), response.status_code
        errors = _field_errors(response, field)
        assert errors and {str(e) for e in errors} <= FRENCH, errors
    assert _counts() == before


def _field_errors(response, field):
    """The errors shown on the field `field` of the page's form."""
    for context in response.context:
        for value in context.flatten().values():
            if isinstance(value, forms.BaseForm) and field in value.fields:
                return value.errors.get(field)
    return None
