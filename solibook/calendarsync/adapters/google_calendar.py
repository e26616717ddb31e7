"""Google Calendar through its API client (`google-api-python-client`) and
OAuth credentials (`google-auth`): events.list with a syncToken after the
first full listing, events.update / insert / delete by an event id derived
from the visit item's UID, so a retried push writes the same event.

The credentials refresh themselves with the refresh token when the access
token has expired; the new token is handed back (`tokens`) to be stored.
A refresh the token server refuses is `CalendarRefused`.
"""

import hashlib
import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import google_auth_httplib2
import httplib2
from django.conf import settings
from google.auth.exceptions import RefreshError, TransportError
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

from solibook.calendarsync.adapters.base import (
    CalendarRefused,
    CalendarUnreachable,
    DesiredEvent,
    PullResult,
    RemoteEvent,
    end_of,
    moment,
)

TIMEOUT = 15
SCOPE = "https://www.googleapis.com/auth/calendar.events"


def event_id(uid: str) -> str:
    """Google's event ids are base32hex characters (0-9, a-v): hex is a subset."""
    return "sb" + hashlib.sha256(uid.encode()).hexdigest()[:40]


class GoogleCalendar:
    def __init__(self, *, calendar_id: str, tokens: dict):
        self.calendar_id = calendar_id or "primary"
        expiry = tokens.get("expiry")
        self._credentials = Credentials(
            token=tokens.get("access_token"),
            refresh_token=tokens.get("refresh_token"),
            token_uri=settings.GOOGLE_OAUTH_TOKEN_URI,
            client_id=settings.GOOGLE_OAUTH_CLIENT_ID,
            client_secret=settings.GOOGLE_OAUTH_CLIENT_SECRET,
            scopes=[SCOPE],
            # google-auth compares the expiry with a naive UTC clock.
            expiry=(
                datetime.fromisoformat(expiry).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)
                if expiry
                else None
            ),
        )
        self._initial_token = tokens.get("access_token")
        http = google_auth_httplib2.AuthorizedHttp(
            self._credentials, http=httplib2.Http(timeout=TIMEOUT)
        )
        options = {}
        if settings.GOOGLE_CALENDAR_API_ENDPOINT:
            options["api_endpoint"] = settings.GOOGLE_CALENDAR_API_ENDPOINT
        self._service = build(
            "calendar",
            "v3",
            http=http,
            static_discovery=True,
            cache_discovery=False,
            client_options=options or None,
        )

    def tokens(self) -> dict | None:
        """The refreshed tokens to store, or None when nothing changed."""
        if self._credentials.token == self._initial_token:
            return None
        expiry = self._credentials.expiry
        return {
            "access_token": self._credentials.token,
            "refresh_token": self._credentials.refresh_token,
            "expiry": expiry.replace(tzinfo=ZoneInfo("UTC")).isoformat() if expiry else None,
        }

    def _call(self, request, *, missing_ok: bool = False):
        try:
            return request.execute(num_retries=0)
        except RefreshError as exc:
            raise CalendarRefused("token refresh refused") from exc
        except HttpError as exc:
            status = int(exc.resp.status)
            if missing_ok and status in (404, 410):
                return None
            if status in (401, 403):
                raise CalendarRefused(f"HTTP {status}") from exc
            if status == 404:
                raise CalendarRefused("no such calendar") from exc
            if status == 410:
                raise SyncTokenExpired from exc
            raise CalendarUnreachable(f"HTTP {status}") from exc
        except (TransportError, OSError, httplib2.HttpLib2Error) as exc:
            raise CalendarUnreachable(type(exc).__name__) from exc

    def check(self) -> None:
        self._call(self._service.calendars().get(calendarId=self.calendar_id))

    def pull(self, *, start: datetime, end: datetime, zone: ZoneInfo, sync_token: str = ""):
        if sync_token:
            try:
                return self._list(zone, syncToken=sync_token)
            except SyncTokenExpired:
                pass  # Google forgot the token (410): list everything again
        return self._list(
            zone,
            timeMin=start.astimezone(ZoneInfo("UTC")).isoformat(),
            timeMax=end.astimezone(ZoneInfo("UTC")).isoformat(),
        )

    def _list(self, zone: ZoneInfo, **query) -> PullResult:
        result = PullResult(full="syncToken" not in query)
        page_token = None
        while True:
            page = self._call(
                self._service.events().list(
                    calendarId=self.calendar_id,
                    singleEvents=True,
                    showDeleted="syncToken" in query,
                    maxResults=250,
                    pageToken=page_token,
                    **query,
                )
            )
            for item in page.get("items", []):
                event = _remote(item, zone)
                if event is None or item.get("status") == "cancelled":
                    result.removed.append(str(item.get("id", "")))
                else:
                    result.events.append(event)
            page_token = page.get("nextPageToken")
            if not page_token:
                result.sync_token = page.get("nextSyncToken", "")
                return result

    def put(self, event: DesiredEvent) -> str:
        body = _body(event)
        gid = event_id(event.uid)
        done = self._call(
            self._service.events().update(calendarId=self.calendar_id, eventId=gid, body=body),
            missing_ok=True,
        )
        if done is None:  # never written (or purged): create it under the same id
            self._call(
                self._service.events().insert(
                    calendarId=self.calendar_id, body={**body, "id": gid, "iCalUID": event.uid}
                )
            )
        return gid

    def delete(self, uid: str, remote_id: str = "") -> None:
        self._call(
            self._service.events().delete(
                calendarId=self.calendar_id, eventId=remote_id or event_id(uid)
            ),
            missing_ok=True,
        )


class SyncTokenExpired(Exception):
    pass


def _value(when: dict | None):
    if not when:
        return None
    if when.get("dateTime"):
        return datetime.fromisoformat(when["dateTime"].replace("Z", "+00:00"))
    if when.get("date"):
        return date.fromisoformat(when["date"])
    return None


def _remote(item: dict, zone: ZoneInfo) -> RemoteEvent | None:
    start_value = _value(item.get("start"))
    if start_value is None:
        return None
    ends_at, no_end = end_of(
        start_value, end_value=_value(item.get("end")), duration=None, zone=zone
    )
    return RemoteEvent(
        key=str(item["id"]),
        uid=str(item.get("iCalUID", "")),
        starts_at=moment(start_value, zone),
        ends_at=ends_at,
        busy=item.get("transparency") != "transparent",
        no_end=no_end,
    )


def _body(event: DesiredEvent) -> dict:
    utc = ZoneInfo("UTC")
    return {
        "summary": event.summary,
        "location": event.location,
        "description": event.description,
        "start": {"dateTime": event.starts_at.astimezone(utc).isoformat()},
        "end": {"dateTime": event.ends_at.astimezone(utc).isoformat()},
        "transparency": "opaque",
        "status": "confirmed",
        "extendedProperties": {"private": {"solibook_uid": event.uid}},
    }


def token_exchange(*, code: str, redirect_uri: str) -> dict:
    """The OAuth authorization code for tokens, at GOOGLE_OAUTH_TOKEN_URI."""
    import requests

    try:
        answer = requests.post(
            settings.GOOGLE_OAUTH_TOKEN_URI,
            data={
                "code": code,
                "client_id": settings.GOOGLE_OAUTH_CLIENT_ID,
                "client_secret": settings.GOOGLE_OAUTH_CLIENT_SECRET,
                "redirect_uri": redirect_uri,
                "grant_type": "authorization_code",
            },
            timeout=TIMEOUT,
        )
    except requests.RequestException as exc:
        raise CalendarUnreachable(type(exc).__name__) from exc
    if answer.status_code >= 500:
        raise CalendarUnreachable(f"HTTP {answer.status_code}")
    try:
        data = answer.json()
    except ValueError:
        data = {}
    if answer.status_code != 200 or not data.get("access_token") or not data.get("refresh_token"):
        raise CalendarRefused(str(data.get("error", f"HTTP {answer.status_code}"))[:100])
    return json.loads(json.dumps(data))
