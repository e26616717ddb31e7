import json
import re
from datetime import time, timedelta

import pytest
from django.core import mail
from django_scopes import scopes_disabled

from solibook.booking.models import Appointment, Status
from solibook.booking.selectors import ItemSpec
from solibook.clientarea import services
from solibook.clientarea.models import BookingDraft
from solibook.core.errors import Conflict, NotFound, ValidationFailed
from solibook.offers.models import OffPeakRule, PromoCode, Redemption
from solibook.offers.services import promo_code_create
from solibook.privacy.services import user_data_export
from solibook.testing.factories import UserFactory
from solibook.testing.salon import MONDAY, NOW, paris

pytestmark = pytest.mark.django_db


def hold(salon, hour=10, user=None, master=None):
    return services.booking_hold(
        business=salon.business,
        location_id=salon.location.pk,
        specs=[ItemSpec(salon.cut.pk, master_id=master.pk if master else None)],
        start=paris(hour),
        user=user,
        now=NOW,
    )


def verified_guest(salon, draft, capture, email="guest@example.test"):
    with capture(execute=True):
        services.draft_send_code(
            token=draft.token, channel="email", destination=email, name="Ada", now=NOW
        )
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    return services.draft_verify(token=draft.token, code=code, now=NOW)


def test_slots_are_priced_with_off_peak_rules(salon):
    with scopes_disabled():
        OffPeakRule.objects.create(
            business=salon.business, weekdays=[0], start=time(14), end=time(16), discount_percent=20
        )
    by_day = services.wizard_slots(
        business=salon.business,
        location=salon.location,
        specs=[ItemSpec(salon.cut.pk)],
        day=MONDAY,
        days=2,
        now=NOW,
    )
    monday = {s.start.strftime("%H:%M"): s for s in by_day[MONDAY]}
    assert monday["13:45"].offpeak_percent == 0 and monday["13:45"].discounted_amount == 4500
    assert monday["14:00"].offpeak_percent == 20 and monday["14:00"].discounted_amount == 3600
    assert monday["14:00"].duration_minutes == 60
    assert len(by_day[MONDAY + timedelta(days=1)]) > 0


def test_a_guest_holds_verifies_by_email_and_confirms(salon, django_capture_on_commit_callbacks):
    draft = hold(salon)
    with scopes_disabled():
        assert Appointment.objects.get().status == Status.HOLD
    with pytest.raises(ValidationFailed) as error:
        services.draft_confirm(token=draft.token, now=NOW)
    assert error.value.code == "not_identified"

    verified_guest(salon, draft, django_capture_on_commit_callbacks)
    assert mail.outbox[-1].to == ["guest@example.test"]
    appointment = services.draft_confirm(token=draft.token, now=NOW)

    assert appointment.status == Status.CONFIRMED
    assert (
        appointment.account is None
        and appointment.client_email == "guest@example.test"
        and appointment.client_name == "Ada"
    )
    # The salon's client list has the guest now (the hold knew nobody).
    with scopes_disabled():
        card = Appointment.objects.select_related("client_card").get(pk=appointment.pk).client_card
    assert card is not None and card.email == "guest@example.test" and card.first_name == "Ada"
    assert (
        services.draft_confirm(token=draft.token, now=NOW).pk == appointment.pk
    )  # a second click changes nothing


def test_a_guest_can_verify_by_sms(salon, monkeypatch):
    sent = []
    monkeypatch.setattr(
        "solibook.clientarea.services.provider_for",
        lambda channel: type("P", (), {"send": lambda self, m: sent.append(m)})(),
    )
    draft = hold(salon)
    with pytest.raises(ValidationFailed) as error:
        services.draft_send_code(
            token=draft.token, channel="sms", destination="12", name="Ada", now=NOW
        )
    assert "destination" in error.value.fields
    services.draft_send_code(
        token=draft.token, channel="sms", destination="06 12 34 56 78", name="Ada", now=NOW
    )
    BookingDraft.objects.filter(pk=draft.pk).update(
        code_hash=services._code_hash(draft.token, "123456")
    )
    services.draft_verify(token=draft.token, code="123 456", now=NOW)
    appointment = services.draft_confirm(token=draft.token, now=NOW)
    assert appointment.client_phone == "+33612345678"
    with scopes_disabled():
        card = Appointment.objects.select_related("client_card").get(pk=appointment.pk).client_card
    assert card is not None and str(card.phone) == "+33612345678"


def test_wrong_codes_count_and_lock_out(salon):
    draft = hold(salon)
    services.draft_send_code(
        token=draft.token, channel="email", destination="g@example.test", name="Ada", now=NOW
    )
    for _ in range(services.MAX_ATTEMPTS):
        with pytest.raises(ValidationFailed) as error:
            services.draft_verify(token=draft.token, code="000000x", now=NOW)
        assert error.value.code == "wrong_code"
    with pytest.raises(Conflict) as error:
        services.draft_verify(token=draft.token, code="000000", now=NOW)
    assert error.value.code == "too_many_attempts"
    assert BookingDraft.objects.get().verified_at is None


def test_codes_expire_and_resending_is_throttled(salon):
    draft = hold(salon)
    services.draft_send_code(
        token=draft.token, channel="email", destination="g@example.test", name="Ada", now=NOW
    )
    with pytest.raises(Conflict):
        services.draft_send_code(
            token=draft.token,
            channel="email",
            destination="g@example.test",
            name="Ada",
            now=NOW + timedelta(seconds=5),
        )
    with pytest.raises(ValidationFailed) as error:
        services.draft_verify(
            token=draft.token, code="123456", now=NOW + timedelta(minutes=services.CODE_MINUTES + 1)
        )
    assert error.value.code == "code_expired"


def test_a_slot_taken_meanwhile_is_a_conflict_with_alternatives(salon):
    hold(salon, master=salon.lea)
    hold(salon, master=salon.marc)
    with pytest.raises(Conflict) as error:
        hold(salon)
    assert error.value.code == "slot_taken"
    assert error.value.extra["alternatives"] and all(
        "T10:00" not in a["start"] for a in error.value.extra["alternatives"]
    )


def test_an_expired_hold_explains_and_offers_alternatives(salon):
    draft = hold(salon, user=(user := UserFactory()))
    with pytest.raises(Conflict) as error:
        services.draft_confirm(
            token=draft.token,
            user=user,
            now=NOW + timedelta(minutes=services.WIZARD_HOLD_MINUTES + 1),
        )
    assert error.value.code == "hold_expired"
    assert len(error.value.extra["alternatives"]) == 3


def test_a_draft_held_by_one_user_is_invisible_to_another(salon):
    draft = hold(salon, user=UserFactory())
    with pytest.raises(NotFound):
        services.draft_confirm(token=draft.token, user=UserFactory(), now=NOW)
    with pytest.raises(NotFound):
        services.draft_confirm(token="nope", now=NOW)


def test_confirm_records_off_peak_and_spends_a_promo_code_or_changes_nothing(salon):
    with scopes_disabled():
        OffPeakRule.objects.create(
            business=salon.business, weekdays=[0], start=time(9), end=time(12), discount_percent=10
        )
        promo_code_create(
            business=salon.business,
            code="WELCOME",
            discount_percent=None,
            discount_amount=500,
            max_redemptions=1,
        )
    user = UserFactory()
    draft = hold(salon, user=user)
    summary = services.draft_summary(draft, promo_code="WELCOME", now=NOW)
    assert (
        summary.price_amount,
        summary.offpeak_amount,
        summary.promo_amount,
        summary.total_amount,
    ) == (4500, 450, 500, 3550)
    assert summary.policy["late_fee_percent"] == 50 and summary.duration_minutes == 60

    with pytest.raises(ValidationFailed):
        services.draft_confirm(token=draft.token, user=user, promo_code="NOPE", now=NOW)
    with scopes_disabled():
        assert Appointment.objects.get().status == Status.HOLD  # nothing half-written
        assert not Redemption.objects.exists()

    appointment = services.draft_confirm(
        token=draft.token, user=user, promo_code="welcome", now=NOW
    )
    with scopes_disabled():
        assert appointment.account == user
        assert sorted(Redemption.objects.values_list("kind", "discount_amount")) == [
            ("off_peak", 450),
            ("promo", 500),
        ]
        assert PromoCode.objects.get().redeemed_count == 1
    after = services.draft_summary(BookingDraft.objects.get(), now=NOW)
    assert after.total_amount == 3550

    services.visit_cancel(user=user, appointment_id=appointment.pk, now=NOW)
    with scopes_disabled():
        assert PromoCode.objects.get().redeemed_count == 0


def test_export_holds_the_clients_own_data_only(salon):
    user, other = UserFactory(full_name="Ada Lovelace"), UserFactory()
    mine = services.draft_confirm(token=hold(salon, user=user).token, user=user, now=NOW)
    services.draft_confirm(token=hold(salon, hour=12, user=other).token, user=other, now=NOW)
    services.favourite_add(user=user, business_id=salon.business.pk)
    data = user_data_export(user=user)
    assert data["profile"]["full_name"] == "Ada Lovelace"
    assert [v["id"] for v in data["visits"]] == [mine.pk]
    assert data["favourites"] == [{"salon": salon.business.name}]
    json.dumps(data)


def test_off_peak_windows_are_local_wall_clock_across_a_dst_change(salon):
    from datetime import UTC, date, datetime

    autumn_sunday = date(2030, 10, 27)  # Paris leaves summer time at 03:00
    with scopes_disabled():
        OffPeakRule.objects.create(
            business=salon.business,
            weekdays=[5, 6],
            start=time(14),
            end=time(16),
            discount_percent=10,
        )
    by_day = services.wizard_slots(
        business=salon.business,
        location=salon.location,
        specs=[ItemSpec(salon.cut.pk)],
        day=date(2030, 10, 26),
        days=2,
        now=NOW,
    )
    for day, offset in ((date(2030, 10, 26), 2), (autumn_sunday, 1)):
        priced = {s.start.strftime("%H:%M"): s for s in by_day[day]}
        assert priced["14:00"].offpeak_percent == 10 and priced["15:45"].offpeak_percent == 10
        assert priced["13:45"].offpeak_percent == 0 and priced["16:00"].offpeak_percent == 0
        assert priced["14:00"].start.astimezone(UTC) == datetime(
            day.year, day.month, day.day, 14 - offset, tzinfo=UTC
        )
