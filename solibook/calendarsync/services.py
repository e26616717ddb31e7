"""Writes of calendar sync: connecting a master's calendar, the sync itself
(pull busy time in, push visits out), disconnecting, and the client's feed.

The rule when the two sides disagree (docs/calendarsync.md):
- Solibook's visits win. Busy time from the master's calendar over a visit
  already booked never cancels or moves the visit: it is recorded as a
  `Conflict`, shown to the salon, and resolved when either side moves.
- An event that is one of our visits, edited or deleted in the external
  calendar, is written back as the visit is.
- Busy time blocks new bookings from the moment it is pulled.

Calls to the calendar server never run inside a database transaction that
holds booking locks: the pull reads first, then writes the busy time under
the master's booking lock in one short transaction.
"""

import hashlib
import ipaddress
import json
import logging
import socket
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NoReturn
from urllib.parse import urlencode, urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from solibook.accounts.models import Membership
from solibook.accounts.roles import Role
from solibook.booking.models import BLOCKING_STATUSES, AppointmentItem, Status
from solibook.booking.services.lock_recount_write import (
    lock_masters_and_resources,
    run_in_booking_transaction,
)
from solibook.calendarsync import sealing
from solibook.calendarsync.adapters.base import (
    CalendarRefused,
    CalendarUnreachable,
    DesiredEvent,
    PullResult,
)
from solibook.calendarsync.adapters.caldav_calendar import CalDAVCalendar
from solibook.calendarsync.adapters.google_calendar import SCOPE, GoogleCalendar, token_exchange
from solibook.calendarsync.models import (
    ClientFeedToken,
    Conflict,
    Connection,
    Health,
    Kind,
    PushedEvent,
)
from solibook.catalog.models import Master, TimeOff
from solibook.core.audit import audit_log
from solibook.core.errors import ValidationFailed, get_or_404
from solibook.core.tenancy import scopes_disabled

log = logging.getLogger(__name__)

PAST = timedelta(days=1)
# Visits written to the master's calendar (holds are the wizard's minutes, not visits).
PUSHED_STATUSES = (Status.CONFIRMED, Status.ARRIVED, Status.IN_PROGRESS, Status.COMPLETED)
STATE_SALT = "solibook.calendarsync.google-state"
LEASE = timedelta(minutes=2)


@dataclass
class SyncReport:
    pulled: int = 0  # busy periods now held from this calendar
    added: int = 0
    removed: int = 0
    pushed: int = 0
    deleted: int = 0
    conflicts: int = 0  # open conflicts after the sync
    ignored_without_end: int = 0
    error: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.error


# ------------------------------------------------------------------ connecting


def _master(business, master_id: int) -> Master:
    return get_or_404(Master.objects.filter(business=business), master_id, _("No such master."))


def _refuse(message: str, field_name: str = "url") -> NoReturn:
    raise ValidationFailed(message, fields={field_name: [message]})


def check_calendar_address(url: str) -> str:
    """A CalDAV address the server may call: http(s), and in production not on
    a private, loopback or link-local network (no server-side request forgery)."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        _refuse(_("Enter the calendar's full address, starting with https://."))
    if settings.CALENDARSYNC_ALLOW_PRIVATE_URLS:
        return url
    if parts.scheme != "https":
        _refuse(_("Enter the calendar's full address, starting with https://."))
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        _refuse(_("This address cannot be found."))
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            _refuse(_("This address is on a private network: use the calendar's public address."))
    return url


def _connection_free(master: Master) -> None:
    if Connection.objects.filter(master=master).exists():
        _refuse(
            _("This master already has a calendar connected: disconnect it first."),
            "master_id",
        )


def caldav_connect(
    *, business, master_id: int, url: str, username: str, password: str, actor=None
) -> Connection:
    """Connect a master's CalDAV calendar after checking that it answers with
    these credentials; its first sync runs after commit."""
    master = _master(business, master_id)
    url = check_calendar_address(url)
    if not url.endswith("/"):
        url += "/"
    _connection_free(master)
    try:
        CalDAVCalendar(url=url, username=username, password=password).check()
    except CalendarRefused:
        _refuse(
            _(
                "The calendar server refused this user name and password, or has no calendar at this address."
            )
        )
    except CalendarUnreachable:
        _refuse(_("The calendar server does not answer at this address. Check it and try again."))
    return _connection_save(
        business=business,
        master=master,
        kind=Kind.CALDAV,
        url=url,
        username=(username or "").strip()[:200],
        secret=password,
        actor=actor,
    )


def _connection_save(*, business, master, kind, url, username, secret, actor) -> Connection:
    with transaction.atomic():
        Master.objects.select_for_update().filter(pk=master.pk).first()
        _connection_free(master)
        connection = Connection.objects.create(
            business=business,
            master=master,
            kind=kind,
            url=url,
            username=username,
            secret=sealing.seal(secret),
            created_by=actor if actor is not None and actor.is_authenticated else None,
        )
        audit_log(
            action="calendarsync.connected",
            actor=actor,
            business=business,
            obj=connection,
            data={"master": master.pk, "kind": kind},
        )
        _after_commit_sync(connection.pk)
    return connection


def google_authorize_url(*, business, master_id: int, redirect_uri: str, actor=None) -> str:
    """Where to send the person to let Solibook write the master's Google
    Calendar; `state` carries (signed) which salon, master and person asked."""
    master = _master(business, master_id)
    if not settings.GOOGLE_OAUTH_CLIENT_ID:
        _refuse(_("Google Calendar is not set up on this site."), "master_id")
    state = signing.dumps(
        {"b": business.pk, "m": master.pk, "u": getattr(actor, "pk", None)}, salt=STATE_SALT
    )
    query = {
        "client_id": settings.GOOGLE_OAUTH_CLIENT_ID,
        "redirect_uri": redirect_uri,
        "response_type": "code",
        "scope": SCOPE,
        "access_type": "offline",
        "prompt": "consent",
        "state": state,
    }
    return f"{settings.GOOGLE_OAUTH_AUTH_URI}?{urlencode(query)}"


def google_configured() -> bool:
    return bool(settings.GOOGLE_OAUTH_CLIENT_ID)


def google_state_or_none(state: str) -> dict | None:
    """The request the person made before going to Google (an hour at most)."""
    try:
        data = signing.loads(state or "", salt=STATE_SALT, max_age=3600)
    except signing.BadSignature:
        return None
    return data if isinstance(data, dict) else None


def google_connect(
    *,
    business,
    master_id: int,
    code: str,
    redirect_uri: str,
    calendar_id: str = "primary",
    actor=None,
) -> Connection:
    """Exchange Google's authorization code for tokens and connect."""
    master = _master(business, master_id)
    _connection_free(master)
    if not code:
        _refuse(_("Google did not give access to the calendar."), "code")
    try:
        tokens = token_exchange(code=code, redirect_uri=redirect_uri)
    except CalendarRefused:
        _refuse(_("Google did not give access to the calendar."), "code")
    except CalendarUnreachable:
        _refuse(_("Google does not answer. Try again in a few minutes."), "code")
    expires_in = int(tokens.get("expires_in") or 3600)
    stored = {
        "access_token": tokens["access_token"],
        "refresh_token": tokens["refresh_token"],
        "expiry": (timezone.now() + timedelta(seconds=expires_in)).isoformat(),
    }
    return _connection_save(
        business=business,
        master=master,
        kind=Kind.GOOGLE,
        url=(calendar_id or "primary").strip()[:500],
        username="",
        secret=json.dumps(stored),
        actor=actor,
    )


def connection_disconnect(*, business, master_id: int, actor=None) -> None:
    """Forget the master's calendar: its busy time stops blocking bookings and
    the visits written there are removed (best effort: a calendar that does
    not answer keeps them, which the page says)."""
    master = _master(business, master_id)
    connection = Connection.objects.filter(master=master).first()
    if connection is None:
        _refuse(_("No calendar is connected."), "master_id")
    try:
        adapter = _adapter(connection)
        for pushed in PushedEvent.objects.filter(
            connection=connection, ends_at__gte=timezone.now()
        ):
            adapter.delete(pushed.uid, pushed.remote_id)
    except (CalendarRefused, CalendarUnreachable):
        pass
    with transaction.atomic():
        TimeOff.objects.filter(
            master=master, external_ref__startswith=connection.ref_prefix
        ).delete()
        audit_log(
            action="calendarsync.disconnected",
            actor=actor,
            business=business,
            obj=connection,
            data={"master": master.pk, "kind": connection.kind},
        )
        connection.delete()


# ------------------------------------------------------------------ the sync


def _adapter(connection: Connection):
    secret = sealing.unseal(connection.secret)
    if connection.kind == Kind.CALDAV:
        return CalDAVCalendar(url=connection.url, username=connection.username, password=secret)
    if not secret:
        raise CalendarRefused("no tokens")
    return GoogleCalendar(calendar_id=connection.url, tokens=json.loads(secret))


def master_zone(master: Master) -> ZoneInfo:
    """All-day and floating events are the master's wall clock: the zone of
    their (first) location."""
    location = master.locations.order_by("pk").first()
    return ZoneInfo(location.time_zone if location else "UTC")


def uid_for(item: AppointmentItem) -> str:
    """Stable per visit item: a move or a new master keeps the same event."""
    domain = getattr(settings, "NOTIFICATIONS_CALENDAR_DOMAIN", "solibook.localhost")
    return f"solibook-{item.appointment_id}-{item.position}@{domain}"


def _ours(uid: str) -> bool:
    domain = getattr(settings, "NOTIFICATIONS_CALENDAR_DOMAIN", "solibook.localhost")
    return uid.startswith("solibook-") and uid.endswith(f"@{domain}")


def _claim(connection_id: int, now: datetime) -> bool:
    """One sync of a connection at a time (a lease, not a lock held across
    network calls). A sync that finds one running asks it to run again."""
    claimed = Connection.objects.filter(
        Q(pk=connection_id), Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    ).update(lease_until=now + LEASE, again=False)
    if not claimed:
        Connection.objects.filter(pk=connection_id).update(again=True)
    return bool(claimed)


def connection_sync(
    *, connection_id: int, push_only: bool = False, wait_seconds: float = 0
) -> SyncReport:
    """Pull the calendar's busy time, then push the master's visits. Safe to
    run twice and concurrently (the second run leaves it to the first, which
    runs again). `wait_seconds`: a person pressing "Sync now" waits for a run
    in progress to finish rather than getting an answer from before it."""
    report = SyncReport()
    deadline = time.monotonic() + wait_seconds
    for _round in range(3):
        now = timezone.now()
        with scopes_disabled():
            while not _claim(connection_id, now):
                if time.monotonic() >= deadline:
                    return report
                time.sleep(0.25)
                now = timezone.now()
            connection = Connection.objects.select_related("master", "business").get(
                pk=connection_id
            )
            try:
                report = _sync_once(connection, now=now, push_only=push_only)
            finally:
                Connection.objects.filter(pk=connection_id).update(lease_until=None)
            if not Connection.objects.filter(pk=connection_id, again=True).exists():
                return report
    return report


def _sync_once(connection: Connection, *, now: datetime, push_only: bool) -> SyncReport:
    report = SyncReport()
    try:
        adapter = _adapter(connection)
        force: set[str] = set()
        if not push_only:
            force = _pull(connection, adapter, now=now, report=report)
        _push(connection, adapter, now=now, force=force, report=report)
    except CalendarRefused as exc:
        report.error = str(exc)
        _failed(connection, health=Health.RECONNECT, error=str(exc))
        return report
    except CalendarUnreachable as exc:
        report.error = str(exc)
        _failed(connection, health=Health.FAILING, error=str(exc))
        return report
    finally:
        _keep_tokens(connection, locals().get("adapter"))
    Connection.objects.filter(pk=connection.pk).update(health=Health.OK, last_error="")
    return report


def _keep_tokens(connection: Connection, adapter) -> None:
    """A refreshed Google access token is stored at once (even if the sync
    then failed), so the next run does not refresh again."""
    tokens = adapter.tokens() if isinstance(adapter, GoogleCalendar) else None
    if tokens:
        Connection.objects.filter(pk=connection.pk).update(secret=sealing.seal(json.dumps(tokens)))


def _failed(connection: Connection, *, health: str, error: str) -> None:
    was = Connection.objects.filter(pk=connection.pk).values_list("health", flat=True).first()
    Connection.objects.filter(pk=connection.pk).update(health=health, last_error=error[:300])
    if health == Health.RECONNECT and was != Health.RECONNECT:
        audit_log(
            action="calendarsync.needs_reconnect",
            business=connection.business,
            obj=connection,
            data={"master": connection.master_id, "error": error[:200]},
        )
        _tell_reconnect(connection)


def _tell_reconnect(connection: Connection) -> None:
    """The master and the salon's owners learn that the calendar stopped
    syncing (once, when it happens): bookings go on, nothing is lost."""
    master = connection.master
    recipients = set(
        Membership.objects.filter(business=connection.business, role=Role.OWNER)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    if master.user_id and master.user.email:
        recipients.add(master.user.email)
    if not recipients:
        return
    subject = _("%(master)s's calendar needs reconnecting") % {"master": master.display_name}
    body = _(
        "The calendar of %(master)s at %(salon)s refused our access, so it is not "
        "synchronised any more. Bookings go on and nothing is lost: reconnect the "
        "calendar in Team → %(master)s → Calendar sync."
    ) % {"master": master.display_name, "salon": connection.business.name}
    send_mail(subject, body, None, sorted(recipients), fail_silently=True)


def _pull(connection: Connection, adapter, *, now: datetime, report: SyncReport) -> set[str]:
    """Read the calendar (no transaction), then apply it under the master's
    booking lock. Returns the UIDs of our own events that were changed there."""
    zone = master_zone(connection.master)
    start, end = now - PAST, now + timedelta(days=settings.CALENDARSYNC_HORIZON_DAYS)
    result: PullResult = adapter.pull(
        start=start, end=end, zone=zone, sync_token=connection.sync_token
    )
    pushed = {p.uid: p for p in PushedEvent.objects.filter(connection=connection)}
    pushed_remote = {p.remote_id: p for p in pushed.values() if p.remote_id}
    force: set[str] = set()
    busy: dict[str, tuple[datetime, datetime]] = {}
    gone: list[str] = list(result.removed)
    seen_ours: set[str] = set()
    ignored = 0
    for event in result.events:
        ours = pushed.get(event.uid) or pushed_remote.get(event.key)
        if ours is not None or _ours(event.uid):
            # One of our visits: never busy time; written back if edited there.
            if ours is not None:
                seen_ours.add(ours.uid)
                if (event.starts_at, event.ends_at) != (ours.starts_at, ours.ends_at):
                    force.add(ours.uid)
            continue
        if event.no_end:
            ignored += 1
        if not event.busy or event.ends_at <= event.starts_at:
            gone.append(event.key)
            continue
        if event.ends_at <= start or event.starts_at >= end:
            continue
        busy[connection.ref_for(event.key)] = (event.starts_at, event.ends_at)
    if result.full:
        # Our visits in the window that the calendar no longer has: deleted there.
        force |= {
            uid
            for uid, p in pushed.items()
            if uid not in seen_ours and p.ends_at > start and p.starts_at < end
        }
    else:
        force |= {pushed_remote[key].uid for key in result.removed if key in pushed_remote}
    removed_refs = {connection.ref_for(key) for key in gone}

    def apply() -> None:
        lock_masters_and_resources(master_ids=[connection.master_id], resource_ids=[])
        rows = {
            row.external_ref: row
            for row in TimeOff.objects.filter(
                master_id=connection.master_id, external_ref__startswith=connection.ref_prefix
            )
        }
        for ref, row in rows.items():
            stale = ref in removed_refs or (result.full and ref not in busy and row.ends_at > start)
            if stale:
                row.delete()
                report.removed += 1
        for ref, (busy_from, busy_until) in busy.items():
            row = rows.get(ref)
            if row is None:
                TimeOff.objects.create(
                    business=connection.business,
                    master_id=connection.master_id,
                    starts_at=busy_from,
                    ends_at=busy_until,
                    reason=TimeOff.Reason.OTHER,
                    external_ref=ref,
                )
                report.added += 1
            elif (row.starts_at, row.ends_at) != (busy_from, busy_until):
                # save(), not update(): the marketplace's free-time summary follows TimeOff saves.
                row.starts_at, row.ends_at = busy_from, busy_until
                row.save(update_fields=["starts_at", "ends_at"])
                report.added += 1
        report.conflicts = _conflicts_refresh(connection, now=now)
        fields = {"last_pulled_at": now, "ignored_without_end": ignored}
        if result.sync_token or not result.full:
            fields["sync_token"] = result.sync_token or connection.sync_token
        Connection.objects.filter(pk=connection.pk).update(**fields)
        if report.added or report.removed:
            audit_log(
                action="calendarsync.pulled",
                business=connection.business,
                obj=connection,
                data={"added": report.added, "removed": report.removed},
            )

    run_in_booking_transaction(apply)
    report.pulled = TimeOff.objects.filter(
        master_id=connection.master_id, external_ref__startswith=connection.ref_prefix
    ).count()
    report.ignored_without_end = ignored
    return force


def _conflicts_refresh(connection: Connection, *, now: datetime) -> int:
    """Busy time over a visit already booked: an open conflict per pair; one
    whose busy time or visit has moved away is resolved. Visits are never
    cancelled by a calendar (Solibook's bookings win)."""
    open_now: set[tuple[str, int]] = set()
    busy_rows = TimeOff.objects.filter(
        master_id=connection.master_id,
        external_ref__startswith=connection.ref_prefix,
        ends_at__gt=now,
    )
    for row in busy_rows:
        items = AppointmentItem.objects.filter(
            master_id=connection.master_id,
            appointment__status__in=BLOCKING_STATUSES,
            starts_at__lt=row.ends_at,
            ends_at__gt=row.starts_at,
        ).values_list("appointment_id", flat=True)
        for appointment_id in set(items):
            open_now.add((row.external_ref, appointment_id))
            Conflict.objects.get_or_create(
                business=connection.business,
                connection=connection,
                external_ref=row.external_ref,
                appointment_id=appointment_id,
                resolved_at=None,
                defaults={
                    "busy_from": row.starts_at,
                    "busy_until": row.ends_at,
                    "detected_at": now,
                },
            )
    for conflict in Conflict.objects.filter(connection=connection, resolved_at__isnull=True):
        if (conflict.external_ref, conflict.appointment_id) not in open_now:
            conflict.resolved_at = now
            conflict.save(update_fields=["resolved_at"])
    return len(open_now)


def _desired(connection: Connection, *, start: datetime, end: datetime) -> dict[str, tuple]:
    items = (
        AppointmentItem.objects.filter(
            master_id=connection.master_id,
            appointment__status__in=PUSHED_STATUSES,
            ends_at__gt=start,
            starts_at__lt=end,
        )
        .select_related("appointment", "appointment__location", "service")
        .order_by("starts_at", "pk")
    )
    desired = {}
    for item in items:
        appointment = item.appointment
        summary = item.service.name
        if appointment.client_name:
            summary = f"{summary} · {appointment.client_name}"
        event = DesiredEvent(
            uid=uid_for(item),
            starts_at=item.starts_at,
            ends_at=item.ends_at,
            summary=summary,
            location=", ".join(
                p for p in (appointment.location.name, appointment.location.address) if p
            ),
            description=f"Solibook · {connection.business.name}",
        )
        fingerprint = hashlib.sha256(
            json.dumps(
                [
                    event.starts_at.isoformat(),
                    event.ends_at.isoformat(),
                    event.summary,
                    event.location,
                ]
            ).encode()
        ).hexdigest()
        desired[event.uid] = (event, fingerprint, appointment.pk)
    return desired


def _push(connection: Connection, adapter, *, now: datetime, force: set[str], report: SyncReport):
    start, end = now - PAST, now + timedelta(days=settings.CALENDARSYNC_HORIZON_DAYS)
    desired = _desired(connection, start=start, end=end)
    pushed = {p.uid: p for p in PushedEvent.objects.filter(connection=connection)}
    for uid, (event, fingerprint, appointment_id) in desired.items():
        row = pushed.get(uid)
        if row is not None and row.fingerprint == fingerprint and uid not in force:
            continue
        remote_id = adapter.put(event)
        PushedEvent.objects.update_or_create(
            connection=connection,
            uid=uid,
            defaults={
                "business": connection.business,
                "appointment_id": appointment_id,
                "remote_id": remote_id[:500],
                "fingerprint": fingerprint,
                "starts_at": event.starts_at,
                "ends_at": event.ends_at,
                "pushed_at": now,
            },
        )
        report.pushed += 1
    for uid, row in pushed.items():
        if uid in desired:
            continue
        if row.ends_at <= start:
            # A past visit stays in the calendar as it was; only our record goes.
            if row.ends_at < now - timedelta(days=30):
                row.delete()
            continue
        adapter.delete(uid, row.remote_id)
        row.delete()
        report.deleted += 1
    Connection.objects.filter(pk=connection.pk).update(last_pushed_at=now)


def sync_now(*, business, master_id: int, actor=None) -> SyncReport:
    """ "Sync now" of the pages and the API: the same sync, run at once."""
    master = _master(business, master_id)
    connection = Connection.objects.filter(master=master).first()
    if connection is None:
        _refuse(_("No calendar is connected."), "master_id")
    return connection_sync(connection_id=connection.pk, wait_seconds=20)


def sync_all() -> int:
    """Every connection that is not waiting for the salon to reconnect."""
    with scopes_disabled():
        ids = list(Connection.objects.exclude(health=Health.RECONNECT).values_list("pk", flat=True))
    for connection_id in ids:
        try:
            connection_sync(connection_id=connection_id)
        except Exception:  # one salon's calendar must not stop the others
            log.exception("calendar sync of connection %s failed", connection_id)
    return len(ids)


def _after_commit_sync(connection_id: int, *, push_only: bool = False) -> None:
    from solibook.calendarsync.tasks import sync_connection

    transaction.on_commit(
        lambda: sync_connection.enqueue(connection_id=connection_id, push_only=push_only)
    )


def visits_changed(*, appointment) -> None:
    """In the booking transaction (quick reads only): the connections whose
    calendars show, or should show, this visit get a push after commit."""
    with scopes_disabled():
        connection_ids = set(
            Connection.objects.filter(
                Q(
                    business_id=appointment.business_id,
                    master_id__in=AppointmentItem.objects.filter(
                        appointment_id=appointment.pk
                    ).values("master_id"),
                )
                | Q(pushed__appointment_id=appointment.pk)
            ).values_list("pk", flat=True)
        )
    for connection_id in sorted(connection_ids):
        _after_commit_sync(connection_id, push_only=True)


# ------------------------------------------------------------------ client feed


def client_feed_issue(*, account) -> str:
    """A new secret feed address for the client's own visits (the previous
    one stops working). Returns the secret, shown once."""
    with transaction.atomic():
        ClientFeedToken.objects.filter(account=account, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        secret = ClientFeedToken.new_secret()
        ClientFeedToken.objects.create(account=account, token_hash=ClientFeedToken.digest(secret))
        audit_log(action="calendarsync.client_feed_issued", actor=account, obj=account)
    return secret


def client_feed_revoke(*, account) -> int:
    with transaction.atomic():
        count = ClientFeedToken.objects.filter(account=account, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if count:
            audit_log(action="calendarsync.client_feed_revoked", actor=account, obj=account)
    return count
