"""`offer_freed_time` runs again after its worker died (core.workers requeues
it): a second run offers nothing twice."""

from datetime import time

import pytest
from django_scopes import scopes_disabled

from solibook.booking import services
from solibook.booking.models import Appointment, Source, Status, WaitlistEntry
from solibook.booking.selectors import ItemSpec
from solibook.booking.tasks import offer_freed_time
from solibook.core.models import OutboxEvent
from solibook.core.tenancy import business_scope
from solibook.testing.factories import UserFactory
from solibook.testing.salon import MONDAY, NOW, paris

pytestmark = pytest.mark.django_db


def test_offer_freed_time_twice_offers_each_freed_slot_once(salon):
    waiting = [UserFactory(), UserFactory()]
    with business_scope(salon.business):
        taken = services.appointment_create(
            business=salon.business,
            location_id=salon.location.pk,
            specs=[ItemSpec(salon.cut.pk, master_id=salon.lea.pk)],
            start=paris(10),
            source=Source.MARKETPLACE,
            account=UserFactory(),
            now=NOW,
        )
        for client in waiting:
            services.waitlist_join(
                business=salon.business,
                account=client,
                location_id=salon.location.pk,
                service_id=salon.cut.pk,
                master_id=salon.lea.pk,
                day=MONDAY,
                time_from=time(10),
                time_to=time(11),
                now=NOW,
            )
        # Cancelled without running the task (its worker is about to die).
        services.appointment_cancel(
            business=salon.business, appointment_id=taken.pk, by_client=True, now=NOW
        )
    args = {"business_id": salon.business.pk, "location_id": salon.location.pk, "day": str(MONDAY)}
    with scopes_disabled():  # on commit, which a test transaction never reaches
        assert not WaitlistEntry.objects.filter(state=WaitlistEntry.State.OFFERED).exists()
    first = offer_freed_time.call(**args)
    second = offer_freed_time.call(**args)  # the requeued run
    with scopes_disabled():
        offered = WaitlistEntry.objects.filter(state=WaitlistEntry.State.OFFERED)
        holds = Appointment.objects.filter(status=Status.HOLD, starts_at=paris(10))
        assert offered.count() == 1 and holds.count() == 1
        assert offered.get().offer_id == holds.get().pk
        assert OutboxEvent.objects.filter(topic="waitlist.offered").count() == 1
    assert (first, second) == (1, 0)
