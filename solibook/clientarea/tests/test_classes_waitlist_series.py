"""Group classes, the waitlist and repeating visits through the client's pages:
the same booking services as the API, bad input, other clients' things (404),
and seats under concurrency."""

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from rest_framework.test import APIClient

from solibook.booking import services as booking
from solibook.booking.models import Appointment, ClassSession, Source, Status, WaitlistEntry
from solibook.booking.selectors import ItemSpec
from solibook.core.tenancy import business_scope
from solibook.testing.factories import TEST_PASSWORD, UserFactory, make_service
from solibook.testing.races import race

PARIS = ZoneInfo("Europe/Paris")


def day_ahead(days: int, hour: int) -> datetime:
    day = timezone.now().astimezone(PARIS).date() + timedelta(days=days)
    return datetime.combine(day, time(hour), tzinfo=PARIS)


@pytest.fixture
def yoga(salon):
    from solibook.catalog.models import MasterService
    from solibook.catalog.versioning import catalog_changed

    service = make_service(
        salon.business,
        name="Yoga",
        steps=[(60, True)],
        price=2000,
        category_slug="fitness-class",
        group_capacity=2,
    )
    with scopes_disabled():
        MasterService.objects.create(business=salon.business, master=salon.marc, service=service)
    catalog_changed(salon.business.pk)
    return service


def open_session(salon, yoga, start, seats=1) -> ClassSession:
    with business_scope(salon.business):
        for _ in range(seats):
            seat = booking.appointment_create(
                business=salon.business,
                location_id=salon.location.pk,
                specs=[ItemSpec(yoga.pk, master_id=salon.marc.pk)],
                start=start,
                source=Source.BACK_OFFICE,
                client_name="Front desk guest",
            )
    with scopes_disabled():
        return seat.session


def signed_in(user=None) -> tuple[Client, object]:
    user = user or UserFactory()
    client = Client()
    client.login(email=user.email, password=TEST_PASSWORD)
    return client, user


# --- group classes ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_class_list_shows_seats_left_and_booking_a_seat_counts_down(salon, yoga):
    session = open_session(salon, yoga, day_ahead(2, 16))
    client, user = signed_in()
    url = reverse("clientarea:classes", args=[salon.business.slug])
    page = client.get(url).content.decode()
    assert "Yoga" in page and "1 seat left" in page and "Book a seat" in page
    assert (
        "Group classes"
        in client.get(reverse("clientarea:book", args=[salon.business.slug])).content.decode()
    )

    held = client.post(reverse("clientarea:class_book", args=[salon.business.slug, session.pk]))
    assert held.status_code == 302 and held["Location"].endswith("/confirm/")
    assert client.post(held["Location"], {"action": "confirm"}).status_code == 302
    with scopes_disabled():
        mine = Appointment.objects.get(account=user)
    assert mine.session_id == session.pk and mine.status == Status.CONFIRMED

    full = client.get(url).content.decode()
    assert "This class is full." in full and "Join the waitlist" in full
    assert "Book a seat" not in full


@pytest.mark.django_db
def test_a_class_booked_twice_by_the_same_client_is_refused(salon, yoga):
    start = day_ahead(2, 16)
    with business_scope(salon.business):
        booking.appointment_create(
            business=salon.business,
            location_id=salon.location.pk,
            specs=[ItemSpec(yoga.pk, master_id=salon.marc.pk)],
            start=start,
            source=Source.BACK_OFFICE,
            client_name="Someone",
        )
    with scopes_disabled():
        session = ClassSession.objects.get()
    with scopes_disabled():  # capacity 3: a seat is left, yet the second is refused
        ClassSession.objects.filter(pk=session.pk).update(capacity=3)
    client, user = signed_in()
    book = reverse("clientarea:class_book", args=[salon.business.slug, session.pk])
    assert client.post(book).status_code == 302
    again = client.post(book)
    assert again.status_code == 409
    assert "You already have a seat in this class." in again.content.decode()
    with scopes_disabled():
        assert Appointment.objects.filter(account=user).count() == 1


@pytest.mark.django_db
def test_a_full_class_says_so_offers_the_waitlist_and_an_unknown_session_is_404(salon, yoga):
    session = open_session(salon, yoga, day_ahead(3, 16), seats=2)
    client, _user = signed_in()
    refused = client.post(reverse("clientarea:class_book", args=[salon.business.slug, session.pk]))
    assert refused.status_code == 409
    assert "This class is full." in refused.content.decode()
    assert "Join the waitlist" in refused.content.decode()
    unknown = reverse("clientarea:class_book", args=[salon.business.slug, 999999])
    assert client.post(unknown).status_code == 404


@pytest.mark.django_db
def test_a_seat_given_back_is_offered_to_the_class_waitlist(salon, yoga):
    start = day_ahead(3, 16)
    session = open_session(salon, yoga, start, seats=2)
    client, user = signed_in()
    joined = client.post(
        reverse("clientarea:waitlist_join", args=[salon.business.slug]),
        {
            "location": salon.location.pk,
            "service": yoga.pk,
            "master": "",
            "date": start.date().isoformat(),
            "time_from": "16:00",
            "time_to": "17:00",
        },
    )
    assert joined.status_code == 302
    with scopes_disabled():
        seat = Appointment.objects.filter(session=session).first()
    with business_scope(salon.business):
        booking.appointment_cancel(
            business=salon.business, appointment_id=seat.pk, reason="", by_client=False
        )
        booking.waitlist_offer(
            business=salon.business, location_id=salon.location.pk, day=start.date()
        )
    with scopes_disabled():
        entry = WaitlistEntry.objects.get(account=user)
    assert entry.state == WaitlistEntry.State.OFFERED
    assert client.post(reverse("clientarea:waitlist_offer", args=[entry.pk])).status_code == 302
    with scopes_disabled():
        mine = Appointment.objects.get(account=user)
    assert mine.session_id == session.pk and mine.status == Status.CONFIRMED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_seats_are_never_oversold_when_clients_book_at_once(salon, yoga):
    session = open_session(salon, yoga, day_ahead(2, 16), seats=1)
    with scopes_disabled():
        ClassSession.objects.filter(pk=session.pk).update(capacity=3)
    users = [UserFactory() for _ in range(6)]
    url = reverse("clientarea:class_book", args=[salon.business.slug, session.pk])

    def attempt(i):
        client, _user = signed_in(users[i])
        return client.post(url).status_code

    results = race(6, attempt)
    assert sorted(results) == [302, 302, 409, 409, 409, 409], results
    with scopes_disabled():
        live = Appointment.objects.filter(session=session).exclude(status=Status.EXPIRED)
        assert live.count() == 3


# --- the waitlist -----------------------------------------------------------------------


def join_form(salon, day, **extra):
    return {
        "location": salon.location.pk,
        "service": salon.cut.pk,
        "master": "",
        "date": day.isoformat(),
        "time_from": "09:00",
        "time_to": "12:00",
        **extra,
    }


@pytest.mark.django_db
def test_joining_through_the_page_is_the_same_as_through_the_api(salon):
    day = day_ahead(4, 9).date()
    page_client, page_user = signed_in()
    joined = page_client.post(
        reverse("clientarea:waitlist_join", args=[salon.business.slug]), join_form(salon, day)
    )
    assert joined.status_code == 302 and joined["Location"].endswith("/me/waitlist/")
    api_user = UserFactory()
    api = APIClient()
    api.force_authenticate(api_user)
    response = api.post(
        "/api/v1/waitlist/",
        {
            "location_id": salon.location.pk,
            "service_id": salon.cut.pk,
            "date": day.isoformat(),
            "time_from": "09:00",
            "time_to": "12:00",
        },
        format="json",
    )
    assert response.status_code == 201
    fields = ("location_id", "service_id", "master_id", "date", "time_from", "time_to", "state")
    with scopes_disabled():
        by_page = WaitlistEntry.objects.filter(account=page_user).values(*fields).get()
        by_api = WaitlistEntry.objects.filter(account=api_user).values(*fields).get()
    assert by_page == by_api
    mine = page_client.get(reverse("clientarea:waitlist")).content.decode()
    assert "Cut" in mine and "Waiting" in mine
    twice = page_client.post(
        reverse("clientarea:waitlist_join", args=[salon.business.slug]), join_form(salon, day)
    )
    assert twice.status_code == 400 and "already on the waitlist" in twice.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("bad", "said"),
    [
        ({"time_from": "12:00", "time_to": "09:00"}, "The end must be after the start."),
        ({"date": "2001-01-01"}, "This day is in the past."),
        ({"service": "999999"}, "Select a valid choice."),
        ({"date": "nonsense"}, "Enter a valid date."),
    ],
)
def test_bad_waitlist_requests_are_refused_clearly(salon, bad, said):
    client, user = signed_in()
    response = client.post(
        reverse("clientarea:waitlist_join", args=[salon.business.slug]),
        join_form(salon, day_ahead(4, 9).date(), **bad),
    )
    assert response.status_code == 400 and said in response.content.decode()
    with scopes_disabled():
        assert not WaitlistEntry.objects.filter(account=user).exists()


def offered_entry(salon, user, start):
    """A blocking visit, the client waiting, the visit cancelled: the offer is made."""
    with business_scope(salon.business):
        blocking = [
            booking.appointment_create(
                business=salon.business,
                location_id=salon.location.pk,
                specs=[ItemSpec(salon.cut.pk, master_id=master.pk)],
                start=start,
                source=Source.BACK_OFFICE,
                client_name="Blocking",
            )
            for master in (salon.lea, salon.marc)
        ]
        entry = booking.waitlist_join(
            business=salon.business,
            account=user,
            location_id=salon.location.pk,
            service_id=salon.cut.pk,
            day=start.astimezone(PARIS).date(),
            time_from=start.astimezone(PARIS).time(),
            time_to=(start + timedelta(hours=1)).astimezone(PARIS).time(),
        )
        booking.appointment_cancel(
            business=salon.business, appointment_id=blocking[0].pk, reason="", by_client=False
        )
        offered = booking.waitlist_offer(
            business=salon.business,
            location_id=salon.location.pk,
            day=start.astimezone(PARIS).date(),
        )
    assert [e.pk for e in offered] == [entry.pk]
    with scopes_disabled():
        return WaitlistEntry.objects.get(pk=entry.pk)


@pytest.mark.django_db
def test_an_offer_is_confirmed_once_from_its_page_and_is_404_for_anyone_else(salon):
    client, user = signed_in()
    entry = offered_entry(salon, user, day_ahead(5, 10))
    url = reverse("clientarea:waitlist_offer", args=[entry.pk])
    page = client.get(url).content.decode()
    assert "A time is free for you" in page and 'id="offer-confirm"' in page
    assert "See the offer" in client.get(reverse("clientarea:waitlist")).content.decode()

    stranger, _other = signed_in()
    assert stranger.get(url).status_code == 404
    assert stranger.post(url).status_code == 404

    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302  # confirmed twice: still one booking
    with scopes_disabled():
        entry.refresh_from_db()
        offer = Appointment.objects.get(pk=entry.offer_id)
    assert entry.state == WaitlistEntry.State.BOOKED and offer.status == Status.CONFIRMED
    assert "You are booked!" in client.get(url).content.decode()


@pytest.mark.django_db
def test_an_expired_offer_says_so(salon):
    client, user = signed_in()
    entry = offered_entry(salon, user, day_ahead(5, 10))
    with scopes_disabled():
        Appointment.objects.filter(pk=entry.offer_id).update(
            hold_expires_at=timezone.now() - timedelta(minutes=1)
        )
    url = reverse("clientarea:waitlist_offer", args=[entry.pk])
    assert "no longer available" in client.get(url).content.decode()
    refused = client.post(url)
    assert refused.status_code == 409
    assert "expired or was given to someone else" in refused.content.decode()
    with scopes_disabled():
        assert Appointment.objects.get(pk=entry.offer_id).status != Status.CONFIRMED


# --- repeating visits -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_series_books_what_fits_and_reports_the_dates_that_do_not(salon):
    first = day_ahead(3, 10)
    with business_scope(salon.business):  # both masters busy on the third date
        for master in (salon.lea, salon.marc):
            booking.appointment_create(
                business=salon.business,
                location_id=salon.location.pk,
                specs=[ItemSpec(salon.cut.pk, master_id=master.pk)],
                start=first + timedelta(weeks=2),
                source=Source.BACK_OFFICE,
                client_name="Busy",
            )
    client, user = signed_in()
    url = reverse("clientarea:series_book", args=[salon.business.slug])
    query = {
        "location": salon.location.pk,
        "service": salon.cut.pk,
        "master": "any",
        "date": first.date().isoformat(),
    }
    page = client.get(url, query).content.decode()
    assert f'value="{first.isoformat()}"' in page
    booked = client.post(
        f"{url}?location={salon.location.pk}",
        {**query, "start": first.isoformat(), "interval_weeks": "1", "occurrences": "4"},
    )
    assert booked.status_code == 302
    report = client.get(booked["Location"]).content.decode()
    with scopes_disabled():
        placed = list(Appointment.objects.filter(account=user).order_by("starts_at"))
    assert [a.starts_at for a in placed] == [first + timedelta(weeks=k) for k in (0, 1, 3)] and all(
        a.series_id for a in placed
    )
    assert "3 visits booked" in report and "1 date could not be booked" in report
    assert re.search(r"no longer available|not available|taken", report)
    assert Client().get(booked["Location"]).status_code == 302  # sign-in first
    stranger, _ = signed_in()
    assert stranger.get(booked["Location"]).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "bad", [{"start": ""}, {"interval_weeks": "13"}, {"occurrences": "1"}, {"occurrences": "99"}]
)
def test_bad_series_requests_book_nothing(salon, bad):
    first = day_ahead(3, 10)
    client, user = signed_in()
    response = client.post(
        reverse("clientarea:series_book", args=[salon.business.slug]),
        {
            "location": salon.location.pk,
            "service": salon.cut.pk,
            "date": first.date().isoformat(),
            "start": first.isoformat(),
            "interval_weeks": "1",
            "occurrences": "3",
            **bad,
        },
    )
    assert response.status_code == 400
    with scopes_disabled():
        assert not Appointment.objects.filter(account=user).exists()


@pytest.mark.django_db
def test_the_offer_message_links_to_the_offer_page_in_the_clients_language(salon):
    from solibook.notifications.consumer import consume_outbox
    from solibook.notifications.models import Kind, Notification
    from solibook.notifications.rendering import message_values

    client, user = signed_in(UserFactory(language="ru"))
    entry = offered_entry(salon, user, day_ahead(5, 10))
    consume_outbox()
    with scopes_disabled():
        notification = Notification.objects.filter(kind=Kind.WAITLIST_OFFER).first()
        assert notification is not None
        link = message_values(notification)["link"]
    assert link.endswith(f"/{notification.language}/me/waitlist/{entry.pk}/offer/")
    path = link[link.index(f"/{notification.language}/") :]
    assert 'id="offer-confirm"' in client.get(path).content.decode()
