"""A master's own page (issue #15, point 7): they create their calendar-feed
link with its QR code, the link serves their visits as iCalendar, a new link
stops the old one, and nobody else's visits are in it."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from icalendar import Calendar

from solibook.accounts.roles import Role
from solibook.core.models import AuditEvent
from solibook.testing.booking import book
from solibook.testing.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def lea_user(salon):
    user = member(salon.business, Role.MASTER)
    with scopes_disabled():
        salon.lea.user = user
        salon.lea.save()
    return user


def _feed_url(html: str) -> str:
    start = html.index('data-testid="feed-url"')
    href = html.rindex('href="', 0, start) + len('href="')
    return html[href : html.index('"', href)]


def test_a_master_creates_and_rotates_their_feed(client, salon, lea_user):
    now = timezone.now()
    day = (now + timedelta(days=1)).astimezone(ZoneInfo("Europe/Paris")).date()
    start = datetime.combine(day, time(10), tzinfo=ZoneInfo("Europe/Paris"))
    book(salon, start, client_name="Anna", now=now)
    book(salon, start, master=salon.marc, client_name="Marc's client", now=now)
    client.force_login(lea_user)
    page = client.get(f"/en/office/{salon.business.slug}/me/")
    assert page.status_code == 200
    assert "You have no calendar link yet." in page.content.decode()

    made = client.post(f"/en/office/{salon.business.slug}/me/", {"action": "issue"})
    html = made.content.decode()
    assert made.status_code == 200 and 'data-testid="feed-qr"' in html
    url = _feed_url(html)
    assert "/calendar/" in url and url.endswith(".ics")
    feed = client.get(url[url.index("/calendar/") :])
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(feed.content).walk("VEVENT")
    assert len(events) == 1 and "Cut" in str(events[0]["SUMMARY"])

    # The link is shown once; the page then says it works, and a new one stops it.
    again = client.get(f"/en/office/{salon.business.slug}/me/").content.decode()
    assert 'data-testid="feed-url"' not in again and 'data-testid="feed-state"' in again
    rotated = client.post(f"/en/office/{salon.business.slug}/me/", {"action": "issue"})
    new_url = _feed_url(rotated.content.decode())
    assert new_url != url
    assert client.get(url[url.index("/calendar/") :]).status_code == 404
    assert client.get(new_url[new_url.index("/calendar/") :]).status_code == 200
    client.post(f"/en/office/{salon.business.slug}/me/", {"action": "revoke"})
    assert client.get(new_url[new_url.index("/calendar/") :]).status_code == 404
    with scopes_disabled():
        assert AuditEvent.objects.filter(action="calendar_feed.issued", actor=lea_user).count() == 2


def test_someone_who_is_not_a_master_has_no_feed_to_make(client, salon):
    client.force_login(member(salon.business, Role.RECEPTIONIST))
    page = client.get(f"/ru/office/{salon.business.slug}/me/")
    assert page.status_code == 200
    assert (
        client.post(f"/en/office/{salon.business.slug}/me/", {"action": "issue"}).status_code == 200
    )
    with scopes_disabled():
        assert not AuditEvent.objects.filter(action="calendar_feed.issued").exists()


def test_an_accountant_has_no_profile_page_and_a_stranger_none_at_all(client, salon):
    client.force_login(member(salon.business, Role.ACCOUNTANT))
    assert client.get(f"/en/office/{salon.business.slug}/me/").status_code == 403


@pytest.mark.django_db(transaction=True)
def test_two_links_made_at_once_leave_one_working(salon):
    from solibook.core.tenancy import business_scope
    from solibook.notifications.models import CalendarFeedToken
    from solibook.notifications.services import calendar_feed_issue
    from solibook.testing.races import race

    def attempt(_i):
        with business_scope(salon.business):
            return calendar_feed_issue(business=salon.business, master_id=salon.lea.pk)[1]

    secrets = race(4, attempt)
    assert all(isinstance(s, str) for s in secrets), secrets
    with scopes_disabled():
        assert CalendarFeedToken.objects.filter(master=salon.lea, revoked_at=None).count() == 1


def test_a_master_sees_their_own_figures_only(client, salon, lea_user):
    """My profile shows Léa's last 30 days at her location, not Marc's."""
    now = timezone.now()
    day = (now - timedelta(days=1)).astimezone(ZoneInfo("Europe/Paris")).date()
    start = datetime.combine(day, time(10), tzinfo=ZoneInfo("Europe/Paris"))
    book(salon, start, client_name="Anna", now=now - timedelta(days=2))
    book(salon, start, client_name="Boris", master=salon.marc, now=now - timedelta(days=2))
    book(salon, start + timedelta(hours=2), client_name="Clara", master=salon.marc,
         now=now - timedelta(days=2))  # fmt: skip
    client.force_login(lea_user)
    html = client.get(f"/en/office/{salon.business.slug}/me/").content.decode()
    table = html[html.index('data-testid="my-figures"') :]
    table = table[: table.index("</table>")]
    assert salon.location.name in table
    cells = [c.split(">")[-1] for c in table.split("</td>")[:-1]]
    assert cells[0] == "1"  # Léa's one visit; Marc's two are not hers
