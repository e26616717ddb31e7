"""What the client sees is what is charged (issue #14, point 7).

Léa cuts at her own price (60.00, 15 minutes slower), Marc at the salon's
(45.00, 60 minutes). Until a master is chosen the cut is "from 45.00" and
"60–75 min"; each time in the wizard shows its exact price; holding a time
holds it with the master whose price was shown; the confirm step's total is
the visit's price, and the client's account shows the same amount.
"""

import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils.http import urlencode
from django_scopes import scopes_disabled

from solibook.booking.models import Appointment
from solibook.catalog.models import MasterService
from solibook.catalog.versioning import catalog_changed
from solibook.marketplace.index import business_refresh
from solibook.testing.factories import UserFactory
from solibook.testing.salon import MONDAY, NOW, paris

pytestmark = pytest.mark.django_db

PRICES = {"Léa": "€60.00", "Marc": "€45.00"}


@pytest.fixture
def priced(salon):
    with scopes_disabled():
        MasterService.objects.filter(master=salon.lea, service=salon.cut).update(
            price_amount=6000, duration_delta_minutes=15
        )
    catalog_changed(salon.business.pk)
    return salon


def time_url(salon, master="any", day=MONDAY):
    params = [
        ("location", salon.location.pk),
        ("service", salon.cut.pk),
        ("master", "any"),
        (f"master_{salon.cut.pk}", master),
        ("date", day.isoformat()),
    ]
    return f"{reverse('clientarea:book_time', args=[salon.business.slug])}?{urlencode(params)}"


def slots(html: str) -> list[tuple[str, str, str]]:
    """(value sent, time shown, price shown) of every slot button."""
    out = []
    for value, pin, body in re.findall(
        r'<button type="submit" name="start" value="([^"]+)" formaction="[^"?]+\?pin=([^"]*)"[^>]*>(.*?)</button>',
        html,
        re.S,
    ):
        shown = re.search(r'<span class="fw-semibold">([^<]+)</span>', body).group(1)
        price = re.search(r'<span class="small slot-price">(.*?)</span>', body, re.S).group(1)
        out.append((f"{value}|{pin}", shown, unescape(re.sub(r"<[^>]+>", "", price)).strip()))
    return out


def test_a_master_priced_service_shows_from_and_a_range_until_the_master_is_chosen(client, priced):
    page = client.get(reverse("clientarea:book", args=[priced.business.slug])).content.decode()
    cut = re.search(rf'for="service-{priced.cut.pk}".*?</label>', page, re.S).group(0)
    assert "from €45.00" in unescape(cut) and "60–75 min" in cut
    colour = re.search(rf'for="service-{priced.colour.pk}".*?</label>', page, re.S).group(0)
    assert "from" not in colour and "€80.00" in unescape(colour)  # one price: no "from"

    any_master = unescape(client.get(time_url(priced)).content.decode())
    assert "Cut — from €45.00" in any_master and "60–75 min" in any_master
    assert "Total from €45.00" in any_master
    chosen = unescape(client.get(time_url(priced, master=priced.lea.pk)).content.decode())
    assert (
        "Cut · Léa — €60.00" in chosen
        and "75 min" in chosen
        and "from" not in chosen.split("slot-picker")[0].split("<h1")[1]
    )


def test_each_slot_shows_the_price_of_the_master_it_is_held_with(client, priced):
    names = {priced.lea.pk: "Léa", priced.marc.pk: "Marc"}
    shown = slots(client.get(time_url(priced)).content.decode())
    assert shown
    for value, _time, price in shown:
        start, _bar, master = value.partition("|")
        assert price == PRICES[names[int(master)]], value
    # With Léa chosen, every time costs her price.
    with_lea = slots(client.get(time_url(priced, master=priced.lea.pk)).content.decode())
    assert {price for _v, _t, price in with_lea} == {"€60.00"}


@pytest.mark.parametrize("who", ["lea", "marc"])
def test_the_total_and_the_account_show_what_the_visit_is_charged(client, priced, who):
    master = getattr(priced, who)
    user = UserFactory()
    client.force_login(user)
    start = paris(10)
    held = client.post(
        f"{reverse('clientarea:book_time', args=[priced.business.slug])}?pin={master.pk}",
        {
            "location": priced.location.pk,
            "service": priced.cut.pk,
            "master": "any",
            "start": start.isoformat(),
        },
    )
    assert held.status_code == 302, held.content.decode()[:500]
    confirm_url = held["Location"]
    page = unescape(client.get(confirm_url).content.decode())
    total = re.search(r'data-testid="total">([^<]+)<', page).group(1)
    expected = PRICES[master.display_name]
    assert total == expected
    with scopes_disabled():
        visit = Appointment.objects.get(account=user)
        (item,) = visit.items.all()
    assert item.master_id == master.pk  # the master whose price was shown
    assert visit.price_amount == {"lea": 6000, "marc": 4500}[who]
    minutes = (visit.ends_at - visit.starts_at).total_seconds() / 60
    assert minutes == {"lea": 75, "marc": 60}[who]  # the pace the menu said

    done = client.post(confirm_url, {"action": "confirm", "promo_code": ""})
    assert done.status_code == 302
    account = unescape(client.get(reverse("clientarea:visits")).content.decode())
    assert f'<span class="visit-total">{expected}</span>' in account


@pytest.mark.parametrize("pin", ["999999", "1.2.3", "abc", "", "1" * 500])
def test_a_slot_sent_with_a_master_that_cannot_serve_it_is_held_by_the_engine(client, priced, pin):
    held = client.post(
        f"{reverse('clientarea:book_time', args=[priced.business.slug])}?{urlencode({'pin': pin})}",
        {
            "location": priced.location.pk,
            "service": priced.cut.pk,
            "master": "any",
            "start": paris(11).isoformat(),
        },
    )
    assert held.status_code == 302
    with scopes_disabled():
        (item,) = Appointment.objects.get().items.all()
    assert item.master_id in (priced.lea.pk, priced.marc.pk)


def test_a_pinned_master_already_taken_is_a_conflict_not_another_price(client, priced):
    from solibook.testing.booking import book

    book(priced, paris(12), master=priced.marc)  # Marc is busy at noon; Léa is free
    answer = client.post(
        f"{reverse('clientarea:book_time', args=[priced.business.slug])}?pin={priced.marc.pk}",
        {
            "location": priced.location.pk,
            "service": priced.cut.pk,
            "master": "any",
            "start": paris(12).isoformat(),
        },
    )
    assert answer.status_code == 409  # never silently Léa at 60.00
    with scopes_disabled():
        assert not Appointment.objects.filter(items__master=priced.lea).exists()


def test_durations_on_the_salon_page_equal_the_wizards(client, priced):
    with scopes_disabled():
        business_refresh(priced.business.pk, start=MONDAY, days=2, now=NOW)
    salon = unescape(client.get(f"/en/salons/{priced.business.slug}/").content.decode())
    row = re.search(rf'data-service="{priced.cut.pk}".*?</li>', salon, re.S).group(0)
    assert "60–75 min" in row and "from €45.00" in row
    book = re.search(r'href="([^"]*book/[^"]+)"', row).group(1)
    assert f"service={priced.cut.pk}" in book and f"location={priced.location.pk}" in book
    wizard = unescape(client.get(book.replace("&amp;", "&")).content.decode())
    assert f'value="{priced.cut.pk}" id="service-{priced.cut.pk}" checked' in wizard  # preselected
    assert "60–75 min" in wizard


def test_a_masters_page_shows_her_own_price_and_books_her(client, priced):
    with scopes_disabled():
        business_refresh(priced.business.pk, start=MONDAY, days=2, now=NOW)
    page = unescape(
        client.get(f"/en/salons/{priced.business.slug}/masters/{priced.lea.pk}/").content.decode()
    )
    row = re.search(rf'data-service="{priced.cut.pk}".*?</li>', page, re.S).group(0)
    assert "€60.00" in row and "75 min" in row and "€45.00" not in row
    book = re.search(r'href="([^"]*book/[^"]+)"', row).group(1)
    wizard = unescape(client.get(book).content.decode())
    assert f'<option value="{priced.lea.pk}" selected>' in wizard
    marc = unescape(
        client.get(f"/en/salons/{priced.business.slug}/masters/{priced.marc.pk}/").content.decode()
    )
    row = re.search(rf'data-service="{priced.cut.pk}".*?</li>', marc, re.S).group(0)
    assert "€45.00" in row and "60 min" in row
