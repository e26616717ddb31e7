"""Landing pages for an event or a partner: their own code and link, the
public page (an expired one shows no code), bookings and revenue counted per
page, a code spent twice at once, and another salon's page never reachable."""

import io
import re
import threading
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from PIL import Image

from solibook.booking import services as booking
from solibook.booking.models import Source
from solibook.booking.selectors import ItemSpec
from solibook.core.errors import ValidationFailed
from solibook.core.tenancy import business_scope
from solibook.offers import services as offers
from solibook.offers.models import PromoCode, Redemption
from solibook.partnerships import services
from solibook.partnerships.models import Landing
from solibook.social.tests.test_pages_api import BROWSER, book_as_client
from solibook.testing.clients import api_as, pages_as
from solibook.testing.factories import BusinessFactory, LocationFactory
from solibook.testing.salon import paris

pytestmark = pytest.mark.django_db


def today():
    return timezone.now().date()


def gym(salon, **extra) -> Landing:
    values = {
        "kind": "partner",
        "title": "Members of Gym Bastille: -15%",
        "partner_name": "Gym Bastille",
        "starts_on": today() - timedelta(days=1),
        "ends_on": today() + timedelta(days=30),
        "code": "GYM15",
        "discount_percent": 15,
    }
    with business_scope(salon.business):
        return services.landing_create(business=salon.business, **{**values, **extra})


def logo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (10, 90, 160)).save(buffer, format="PNG")
    return SimpleUploadedFile("gym.png", buffer.getvalue(), content_type="image/png")


def test_the_owner_creates_a_partner_page_with_its_code_and_logo(salon):
    pages = pages_as(salon.business)
    made = pages.post(
        reverse("partnerships:landing_list", args=[salon.business.slug]),
        {
            "kind": "partner",
            "title": "Gym Bastille members",
            "partner_name": "Gym Bastille",
            "partner_logo": logo(),
            "starts_on": today().isoformat(),
            "ends_on": (today() + timedelta(days=60)).isoformat(),
            "code": "gym-bastille",
            "discount_percent": 15,
        },
    )
    assert made.status_code == 302, made.content.decode()[:2000]
    with scopes_disabled():
        landing = Landing.objects.select_related("promo").get()
    assert landing.promo.code == "GYM-BASTILLE" and landing.promo.discount_percent == 15
    assert landing.promo.valid_until > timezone.now() + timedelta(days=59)
    assert landing.partner_logo.name.endswith(".png")
    public = Client().get(f"/en/partnerships/{salon.business.slug}/{landing.slug}/")
    body = public.content.decode()
    assert public.status_code == 200 and "GYM-BASTILLE" in body and "Gym Bastille" in body
    assert re.search(r'property="og:image" content="http://testserver/[^"]+\.png"', body)


def test_bad_input_is_refused_on_its_field(salon):
    gym(salon)
    with pytest.raises(ValidationFailed) as over:
        gym(
            salon,
            code="OLD",
            slug="old",
            starts_on=today() - timedelta(days=9),
            ends_on=today() - timedelta(days=2),
        )
    assert over.value.code == "expired"
    with pytest.raises(ValidationFailed) as same_code:
        gym(salon, slug="other")
    assert "code" in same_code.value.fields
    with pytest.raises(ValidationFailed) as same_page:
        gym(salon, code="GYM16")
    assert "slug" in same_page.value.fields
    with scopes_disabled():
        assert Landing.objects.count() == 1 and PromoCode.objects.count() == 1


def test_an_expired_event_shows_no_code_and_its_code_no_longer_works(salon):
    landing = gym(salon, kind="event", title="Wedding fair", partner_name="")
    with scopes_disabled():
        Landing.objects.filter(pk=landing.pk).update(
            starts_on=today() - timedelta(days=10), ends_on=today() - timedelta(days=3)
        )
        PromoCode.objects.filter(pk=landing.promo_id).update(
            valid_until=timezone.now() - timedelta(days=2)
        )
    page = Client().get(f"/en/partnerships/{salon.business.slug}/{landing.slug}/")
    assert page.status_code == 410 and "GYM15" not in page.content.decode()
    with pytest.raises(ValidationFailed) as refused:
        offers.promo_quote(
            business_id=salon.business.pk,
            code="GYM15",
            price_amount=4500,
            currency=salon.business.currency,
        )
    assert refused.value.code == "promo_expired"


def test_a_booking_with_the_pages_code_after_its_link_counts_once_with_its_revenue(salon):
    landing = gym(salon)
    visitor = Client(HTTP_USER_AGENT=BROWSER)
    followed = visitor.get(f"/en/s/{landing.link.code}/")
    assert followed["Location"] == f"/en/partnerships/{salon.business.slug}/{landing.slug}/"
    book_as_client(visitor, salon, hour=10, promo_code="GYM15")  # link and code: one booking
    book_as_client(Client(HTTP_USER_AGENT=BROWSER), salon, hour=12, promo_code="gym15")  # code only
    book_as_client(Client(HTTP_USER_AGENT=BROWSER), salon, hour=14)  # neither
    page = (
        pages_as(salon.business)
        .get(reverse("partnerships:landing_detail", args=[salon.business.slug, landing.pk]))
        .content.decode()
    )
    assert re.search(r'id="landing-visits">1<', page)
    assert re.search(r'id="landing-bookings">2<', page)
    assert re.search(r'id="landing-code-uses">2<', page)
    listed = (
        api_as(salon.business)
        .get(f"/api/v1/businesses/{salon.business.pk}/partnerships/landings/")
        .json()
    )
    assert listed[0]["effect"] == {
        "visits": 1,
        "bookings": 2,
        "code_uses": 2,
        "revenue": 2 * (4500 - 675),
    }


@pytest.mark.django_db(transaction=True)
def test_a_code_for_one_use_spent_twice_at_once_is_refused_once(salon):
    if connection.vendor != "postgresql":
        pytest.skip("row-level races need PostgreSQL")
    landing = gym(salon, max_redemptions=1)
    with business_scope(salon.business):
        visits = [
            booking.appointment_create(
                business=salon.business,
                location_id=salon.location.pk,
                specs=[ItemSpec(salon.cut.pk, master_id=master.pk)],
                start=paris(10),
                source=Source.BACK_OFFICE,
                client_name=name,
            )
            for master, name in ((salon.lea, "Ana"), (salon.marc, "Bea"))
        ]
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def spend(visit, key):
        try:
            barrier.wait()
            with transaction.atomic():
                offers.promo_redeem(
                    appointment=visit, code=landing.promo.code, price_amount=4500, client_key=key
                )
            outcomes.append("spent")
        except ValidationFailed as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=spend, args=(v, f"email:{i}@x.test")) for i, v in enumerate(visits)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["promo_used_up", "spent"]
    with scopes_disabled():
        assert Redemption.objects.filter(promo=landing.promo).count() == 1
        assert PromoCode.objects.get(pk=landing.promo_id).redeemed_count == 1


def test_another_salons_landing_page_is_404_in_pages_and_api(salon):
    other = BusinessFactory()
    LocationFactory(business=other)
    with business_scope(other):
        theirs = services.landing_create(
            business=other,
            kind="event",
            title="Their fair",
            starts_on=today(),
            ends_on=today() + timedelta(days=5),
            code="FAIR10",
            discount_percent=10,
        )
    pages, api = pages_as(salon.business), api_as(salon.business)
    assert (
        pages.get(
            reverse("partnerships:landing_detail", args=[salon.business.slug, theirs.pk])
        ).status_code
        == 404
    )
    assert (
        pages.post(
            reverse("partnerships:landing_active", args=[salon.business.slug, theirs.pk]),
            {"is_active": "0"},
        ).status_code
        == 404
    )
    base = f"/api/v1/businesses/{salon.business.pk}/partnerships/landings/"
    assert api.get(f"{base}{theirs.pk}/").status_code == 404
    assert (
        api.post(f"{base}{theirs.pk}/active/", {"is_active": False}, format="json").status_code
        == 404
    )
    assert api.get(base).json() == []
    with scopes_disabled():
        assert Landing.objects.get(pk=theirs.pk).is_active


def test_the_api_creates_a_page_and_switches_it_off_with_its_code(salon):
    api = api_as(salon.business)
    base = f"/api/v1/businesses/{salon.business.pk}/partnerships/landings/"
    made = api.post(
        base,
        {
            "kind": "partner",
            "title": "Bridal shop Lila",
            "partner_name": "Lila",
            "starts_on": today().isoformat(),
            "ends_on": (today() + timedelta(days=90)).isoformat(),
            "code": "LILA20",
            "discount_percent": 20,
        },
        format="json",
    )
    assert made.status_code == 201, made.content
    assert made.json()["code"] == "LILA20" and made.json()["effect"]["bookings"] == 0
    off = api.post(f"{base}{made.json()['id']}/active/", {"is_active": False}, format="json")
    assert off.status_code == 200 and off.json()["is_active"] is False
    with scopes_disabled():
        assert not PromoCode.objects.get(code="LILA20").is_active
    assert (
        Client().get(f"/en/partnerships/{salon.business.slug}/bridal-shop-lila/").status_code == 404
    )
