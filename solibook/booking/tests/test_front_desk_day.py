"""The calendar as the front desk (issue #15, point 1): booking a master who is
off lists real free times, several services and masters in one booking, the
shading of each master's day, the day's arrivals with check-in, the panel's
alerts and links, the printed day."""

from datetime import timedelta

import pytest
from django_scopes import scopes_disabled

from solibook.booking import services
from solibook.booking.models import Appointment
from solibook.booking.selectors import ItemSpec
from solibook.catalog.models import TimeOff
from solibook.clients.models import Client
from solibook.core.errors import Conflict
from solibook.core.tenancy import business_scope
from solibook.testing.salon import MONDAY, NOW, paris

pytestmark = pytest.mark.django_db


def away(master, first_day, days):
    with scopes_disabled():
        TimeOff.objects.create(
            business=master.business,
            master=master,
            starts_at=paris(0, day=first_day),
            ends_at=paris(0, day=first_day + timedelta(days=days)),
            reason=TimeOff.Reason.VACATION,
        )


def desk_book(salon, specs, start, **client):
    with business_scope(salon.business):
        return services.appointment_create_at_desk(
            business=salon.business,
            location_id=salon.location.pk,
            specs=specs,
            start=start,
            now=NOW,
            **({"client_name": "Walk-in", "client_phone": "+33612345678"} | client),
        )


# --- the nearest free times are listed for real --------------------------------


def test_booking_a_master_who_is_off_lists_their_next_free_times(salon):
    """Marc is away Sunday to Tuesday: the three days the recount looks at hold
    no free time, so the answer used to say 'here are the nearest free times'
    with none. Now it looks further and finds Wednesday morning."""
    away(salon.marc, MONDAY - timedelta(days=1), 3)
    with pytest.raises(Conflict) as caught:
        desk_book(salon, [ItemSpec(salon.cut.pk, master_id=salon.marc.pk)], paris(10))
    assert caught.value.code == "slot_taken"
    alternatives = caught.value.extra["alternatives"]
    assert alternatives, "the answer promises free times: it must list them"
    wednesday = (MONDAY + timedelta(days=2)).isoformat()
    assert [a["start"][:10] for a in alternatives] == [wednesday] * len(alternatives)
    assert {i["master_name"] for a in alternatives for i in a["items"]} == {"Marc"}
    assert "nearest free times" in caught.value.message
    with scopes_disabled():
        assert not Appointment.objects.exists()
        assert not Client.objects.exists()  # a refused booking leaves no new card


def test_when_the_master_is_away_for_weeks_another_master_is_offered(salon):
    away(salon.marc, MONDAY - timedelta(days=1), 30)
    with pytest.raises(Conflict) as caught:
        desk_book(salon, [ItemSpec(salon.cut.pk, master_id=salon.marc.pk)], paris(10))
    alternatives = caught.value.extra["alternatives"]
    assert alternatives
    assert {i["master_name"] for a in alternatives for i in a["items"]} == {"Léa"}
    assert alternatives[0]["start"][:10] == MONDAY.isoformat()


def test_no_free_time_at_all_says_so_instead_of_promising_some(salon):
    away(salon.lea, MONDAY - timedelta(days=1), 30)  # only Léa does the colour
    with pytest.raises(Conflict) as caught:
        desk_book(salon, [ItemSpec(salon.colour.pk, master_id=salon.lea.pk)], paris(10))
    assert caught.value.extra["alternatives"] == []
    assert "no free time in the next two weeks" in caught.value.message
    assert "Here are" not in caught.value.message
