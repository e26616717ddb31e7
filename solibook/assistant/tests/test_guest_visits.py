"""A guest sees, moves and cancels their visits in the chat after proving their
phone with a code sent by SMS: the visits whose client card has that phone, at
this salon only, through the manage link's services, after an explicit yes."""

import re
from datetime import timedelta

import pytest
from django_scopes import scopes_disabled

from solibook.assistant import services
from solibook.booking import services as booking
from solibook.booking.models import Appointment, Source, Status
from solibook.booking.selectors import ItemSpec
from solibook.clientarea import services as wizard
from solibook.core.tenancy import business_scope
from solibook.testing.booking import book
from solibook.testing.factories import BusinessFactory, LocationFactory, make_master, make_service
from solibook.testing.salon import NOW, give_shifts, paris

pytestmark = pytest.mark.django_db

PHONE = "+33612345678"
OTHER_PHONE = "+33698765432"


@pytest.fixture
def sms(monkeypatch, django_capture_on_commit_callbacks):
    """The SMS the code service sends (after commit), read as the guest would."""
    sent = []

    class Provider:
        def send(self, message):
            sent.append(message)
            return "sms-1"

    monkeypatch.setattr("solibook.clientarea.services.provider_for", lambda channel: Provider())

    class Inbox:
        messages = sent

        def send_phone(self, c, text, now=NOW):
            with django_capture_on_commit_callbacks(execute=True):
                return c.say(text, now=now)

        def code(self, to=PHONE) -> str:
            (last,) = [m for m in sent if m.to == to][-1:]
            return re.search(r"\b(\d{6})\b", last.text).group(1)

    return Inbox()


def guest_books(salon, *, phone=PHONE, name="Nadia Benali", hour=10):
    return book(salon, hour=hour, source=Source.MARKETPLACE, client_name=name, client_phone=phone)


def fresh(visit) -> Appointment:
    with scopes_disabled():
        return Appointment.objects.get(pk=visit.pk)


def proved(c, sms, text="please cancel my booking", phone="+33 6 12 34 56 78"):
    c.say(text)
    assert "mobile number" in c.text
    sms.send_phone(c, phone)
    assert "six-digit code" in c.text
    c.say(sms.code())


def test_a_guest_cancels_with_the_code_sent_to_their_phone(salon, chat, sms):
    visit = guest_books(salon)
    c = chat()
    c.say("please cancel my booking")
    assert "mobile number" in c.text
    assert "10:00" not in c.text and "Cut" not in c.text  # nothing shown before the code
    sms.send_phone(c, "06 12 34 56 78")
    (message,) = sms.messages
    assert message.to == PHONE and salon.business.name in message.text
    c.say(sms.code())
    assert "Cancel your visit" in c.text and "10:00" in c.text
    assert [ch["value"] for ch in c.replies[-1].choices] == ["yes", "no"]
    assert fresh(visit).status == Status.CONFIRMED  # a summary is not a cancellation
    c.say("yes")
    assert "cancelled" in c.text
    cancelled = fresh(visit)
    assert cancelled.status == Status.CANCELLED and cancelled.cancelled_by_client


def test_a_visit_the_guest_booked_in_the_chat_is_found_by_its_phone(salon, chat, sms):
    """A guest's booking (wizard or chat) has the verified phone on the visit, no card."""
    booker = chat()
    booker.say("cut on Monday at 11:00")
    booker.say("yes")
    sms.send_phone(booker, "Nadia +33 6 12 34 56 78")
    booker.say(sms.code())
    assert "Booked" in booker.text
    with scopes_disabled():
        (visit,) = Appointment.objects.filter(status=Status.CONFIRMED)
    c = chat()
    proved(c, sms)
    assert "Cancel your visit" in c.text and "11:00" in c.text
    c.say("yes")
    assert fresh(visit).status == Status.CANCELLED


def test_a_guest_moves_their_visit_keeping_its_master(salon, chat, sms):
    visit = guest_books(salon)
    c = chat()
    proved(c, sms, text="I need to reschedule my appointment")
    assert "instead" in c.text
    c.say("Monday at 15:00")
    assert "Move your visit" in c.text and "Léa" in c.text
    assert fresh(visit).starts_at == paris(10)
    c.say("yes")
    moved = fresh(visit)
    assert moved.starts_at == paris(15) and moved.status == Status.CONFIRMED
    with scopes_disabled():
        assert [i.master_id for i in moved.items.all()] == [salon.lea.pk]
    assert "now on" in c.text


def test_a_wrong_code_is_refused_and_nothing_changes(salon, chat, sms):
    visit = guest_books(salon)
    c = chat()
    c.say("cancel my booking")
    sms.send_phone(c, PHONE)
    right = sms.code()
    wrong = "000000" if right != "000000" else "111111"
    c.say(wrong)
    assert "not right" in c.text and "4 more times" in c.text
    assert "10:00" not in c.text
    c.say("yes")
    assert fresh(visit).status == Status.CONFIRMED
    for _ in range(wizard.MAX_ATTEMPTS - 1):
        c.say(wrong)
    assert "last try" in c.text
    c.say(right)  # too late: that code is spent
    assert "Cancel your visit" not in c.text
    c.say("yes")
    assert fresh(visit).status == Status.CONFIRMED
    assert "verified_phone" not in c.conversation.state


def test_another_phones_visit_is_not_found_and_untouched(salon, chat, sms):
    mine = guest_books(salon)
    theirs = guest_books(salon, phone=OTHER_PHONE, name="Maria Petrova", hour=12)
    c = chat()
    proved(c, sms, text="show my bookings")
    assert "10:00" in c.text and "12:00" not in c.text
    c.say(f"visit:{theirs.pk}")
    assert "can't find that visit among yours" in c.text
    c.say("yes")
    assert fresh(theirs).status == Status.CONFIRMED
    assert fresh(mine).status == Status.CONFIRMED
    assert "Petrova" not in c.text


def test_the_same_phones_visit_at_another_salon_is_not_listed(salon, chat, sms):
    here = guest_books(salon)
    other = BusinessFactory(name="Salon Ailleurs", lead_time_minutes=0, horizon_days=3650)
    location = LocationFactory(business=other, time_zone="Europe/Paris")
    cut = make_service(other, name="Brushing", steps=[(45, True)], price=3000)
    master = make_master(other, locations=[location], services=[cut], name="Zoé")
    give_shifts(master, location)
    with business_scope(other):
        elsewhere = booking.appointment_create(
            business=other,
            location_id=location.pk,
            specs=[ItemSpec(cut.pk, master_id=master.pk)],
            start=paris(16),
            source=Source.MARKETPLACE,
            client_name="Nadia Benali",
            client_phone=PHONE,
            now=NOW,
        )
    c = chat()
    proved(c, sms, text="show my bookings")
    assert "10:00" in c.text and "Cut" in c.text
    assert "16:00" not in c.text and "Brushing" not in c.text
    c.say(f"visit:{elsewhere.pk}")
    assert "can't find that visit among yours" in c.text
    c.say("yes")
    assert fresh(elsewhere).status == Status.CONFIRMED
    assert fresh(here).status == Status.CONFIRMED


def test_no_changes_nothing_and_the_proof_lasts_half_an_hour(salon, chat, sms):
    visit = guest_books(salon)
    c = chat()
    proved(c, sms)
    assert "Cancel your visit" in c.text
    c.say("no")
    assert fresh(visit).status == Status.CONFIRMED
    c.say("show my bookings", now=NOW + timedelta(minutes=20))
    assert "10:00" in c.text  # still proved: no new code
    c.say("show my bookings", now=NOW + timedelta(minutes=31))
    assert "mobile number" in c.text and "10:00" not in c.text
    assert len(sms.messages) == 1


def test_a_whatsapp_sender_is_known_by_their_number_but_telegram_needs_the_code(salon, sms):
    guest_books(salon)
    whatsapp = services.conversation_start(
        business=salon.business, channel="whatsapp", external_id=PHONE.removeprefix("+")
    )
    replies = services.assistant_reply(conversation=whatsapp, text="show my bookings", now=NOW)
    assert "10:00" in "\n".join(r.text for r in replies)
    telegram = services.conversation_start(
        business=salon.business, channel="telegram", external_id="4242"
    )
    replies = services.assistant_reply(conversation=telegram, text="show my bookings", now=NOW)
    text = "\n".join(r.text for r in replies)
    assert "mobile number" in text and "10:00" not in text
    assert sms.messages == []


@pytest.mark.parametrize(
    "language, text",
    [("fr", "Je voudrais annuler mon rendez-vous, s'il vous plaît"), ("ar", "الغي موعدي")],
)
def test_a_guest_is_asked_for_their_phone_in_their_language(salon, chat, language, text):
    from django.utils import translation

    english = (
        "To find your visits, I need to check it's you. What is your mobile number? "
        "I'll send you a code by SMS."
    )
    guest_books(salon)
    c = chat(language=language)
    c.say(text)
    with translation.override(language):
        asked = translation.gettext(english)
    assert asked != english  # translated
    assert c.text == asked
