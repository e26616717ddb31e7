"""A visit of several services with a master per service, through the wizard's pages."""

import re
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils.http import urlencode
from django_scopes import scopes_disabled
from rest_framework.test import APIClient

from solibook.booking.models import Appointment
from solibook.testing.factories import TEST_PASSWORD, UserFactory
from solibook.testing.salon import MONDAY, paris

pytestmark = pytest.mark.django_db


def chain_params(salon, cut_master, colour_master):
    return [
        ("location", salon.location.pk),
        ("service", salon.cut.pk),
        ("service", salon.colour.pk),
        ("master", "any"),
        (f"master_{salon.cut.pk}", cut_master),
        (f"master_{salon.colour.pk}", colour_master),
        ("date", MONDAY.isoformat()),
    ]


def form(params) -> dict:
    data: dict = {}
    for key, value in params:
        data.setdefault(key, []).append(value)
    return data


def page_starts(client, salon, cut_master, colour_master) -> list[str]:
    url = reverse("clientarea:book_time", args=[salon.business.slug])
    body = client.get(f"{url}?{urlencode(chain_params(salon, cut_master, colour_master))}")
    assert body.status_code == 200
    return [
        datetime.fromisoformat(v).isoformat()
        for v in re.findall(r'name="start" value="([^"]+)"', body.content.decode())
    ]


def test_the_services_step_offers_a_master_per_service_with_any_as_default(client, salon):
    body = client.get(
        f"{reverse('clientarea:book', args=[salon.business.slug])}?master={salon.marc.pk}"
    ).content.decode()
    cut = body[body.index(f'name="master_{salon.cut.pk}"') :]
    cut = cut[: cut.index("</select>")]
    colour = body[body.index(f'name="master_{salon.colour.pk}"') :]
    colour = colour[: colour.index("</select>")]
    # Marc does cuts only: preselected for the cut, "any" stays for the colour.
    assert "Léa" in cut and "Marc" in cut and f'value="{salon.marc.pk}" selected' in cut
    assert "Léa" in colour and "Marc" not in colour and 'value="any" selected' in colour


def test_two_masters_chain_back_to_back_and_the_summary_shows_each(client, salon):
    user = UserFactory()
    client.login(email=user.email, password=TEST_PASSWORD)
    starts = page_starts(client, salon, salon.marc.pk, salon.lea.pk)
    assert paris(10).isoformat() in starts
    response = client.post(
        reverse("clientarea:book_time", args=[salon.business.slug]),
        form(chain_params(salon, salon.marc.pk, salon.lea.pk)) | {"start": paris(10).isoformat()},
    )
    assert response.status_code == 302
    with scopes_disabled():
        items = list(Appointment.objects.get().items.order_by("position"))
    assert [(i.service_id, i.master_id) for i in items] == [
        (salon.cut.pk, salon.marc.pk),
        (salon.colour.pk, salon.lea.pk),
    ]
    assert items[1].starts_at == items[0].ends_at  # back to back across masters
    page = client.get(response["Location"]).content.decode()
    assert "Cut · Marc" in page and "Colour · Léa" in page
    assert ">10:00</time> Cut" in page and ">11:00</time> Colour" in page


def test_the_time_step_lists_the_same_starts_as_the_availability_api(client, salon):
    starts = page_starts(client, salon, salon.marc.pk, salon.lea.pk)
    api = APIClient().get(
        f"/api/v1/locations/{salon.location.pk}/availability/",
        {
            "service": [salon.cut.pk, salon.colour.pk],
            "master": [salon.marc.pk, salon.lea.pk],
            "date": MONDAY.isoformat(),
            "days": 1,
        },
    )
    assert api.status_code == 200
    expected = [datetime.fromisoformat(s["start"]).isoformat() for s in api.json()["slots"]]
    assert starts and starts == [s for s in expected if s in starts] == expected


def test_the_chain_fits_only_where_both_masters_are_free(client, salon):
    # Léa is busy 11:00-12:00: a cut with Marc at 10:00 cannot be followed by her colour.
    with scopes_disabled():
        from solibook.booking.models import Source
        from solibook.booking.selectors import ItemSpec
        from solibook.booking.services import appointment_create
        from solibook.core.tenancy import business_scope

        with business_scope(salon.business):
            appointment_create(
                business=salon.business,
                location_id=salon.location.pk,
                specs=[ItemSpec(salon.cut.pk, master_id=salon.lea.pk)],
                start=paris(11),
                source=Source.BACK_OFFICE,
                client_name="Busy",
            )
    starts = page_starts(client, salon, salon.marc.pk, salon.lea.pk)
    assert paris(10).isoformat() not in starts and paris(9).isoformat() not in starts
    assert paris(11).isoformat() in starts  # cut 11-12 with Marc, colour from 12 with Léa


@pytest.mark.parametrize("bad", ["999999999999999999999", "abc", "-1", ""])
def test_a_master_who_does_not_do_the_service_or_garbage_means_any(client, salon, bad):
    marc_for_colour = page_starts(client, salon, salon.lea.pk, salon.marc.pk)
    garbage = page_starts(client, salon, salon.lea.pk, bad)
    anyone = page_starts(client, salon, salon.lea.pk, "any")
    assert marc_for_colour == garbage == anyone
