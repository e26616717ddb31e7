"""Appointments and the rows that make double booking impossible.

An `Appointment` is one client's visit: one or more `AppointmentItem`s
(service + master, in order). Each item blocks time through
`BookingSegment`s: one per busy segment of the master (buffers included,
processing time excluded) and one per resource unit for the item's span.
On PostgreSQL an exclusion constraint forbids two active segments of one
master, or of one resource unit, from overlapping (half-open ranges); see
migration 0002. Availability is computed from these rows, never stored.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from solibook.core.tenancy import TenantModel


class Status(models.TextChoices):
    HOLD = "hold", _("Held")
    # An online booking under a deposit policy: held (with an expiry) until the
    # deposit is authorised; an unpaid hold expires like any hold.
    AWAITING_DEPOSIT = "awaiting_deposit", _("Awaiting deposit")
    CONFIRMED = "confirmed", _("Confirmed")
    ARRIVED = "arrived", _("Arrived")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("No-show")
    EXPIRED = "expired", _("Hold expired")


# Statuses whose time is taken (a hold only until it expires).
BLOCKING_STATUSES = (
    Status.HOLD,
    Status.AWAITING_DEPOSIT,
    Status.CONFIRMED,
    Status.ARRIVED,
    Status.IN_PROGRESS,
    Status.COMPLETED,
)


class Source(models.TextChoices):
    """Where the booking came from: decides whether marketplace commission applies."""

    MARKETPLACE = "marketplace", _("Marketplace search")
    BOOKING_LINK = "booking_link", _("Salon's booking link")
    WIDGET = "widget", _("Salon's website widget")
    BACK_OFFICE = "back_office", _("Back office")
    REFERRAL = "referral", _("Referral")
    PARTNER = "partner", _("Referral partner")
    ASSISTANT = "assistant", _("Booking assistant")
    API = "api", _("API")


class RecurringSeries(TenantModel):
    """Every N weeks, K times: the occurrences are ordinary appointments."""

    interval_weeks = models.PositiveSmallIntegerField(_("every (weeks)"))
    occurrences = models.PositiveSmallIntegerField(_("times"))
    created_at = models.DateTimeField(auto_now_add=True)


class ClassSession(TenantModel):
    """One occurrence of a group class: a master's time shared by up to
    `capacity` clients. Its segments block the master once, whoever attends;
    it closes (and frees the master) when its last attendee cancels."""

    location = models.ForeignKey("catalog.Location", on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="+")
    master = models.ForeignKey("catalog.Master", on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    capacity = models.PositiveSmallIntegerField()
    is_active = models.BooleanField(default=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["location", "service", "starts_at"],
                condition=Q(is_active=True),
                name="class_session_active",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["master", "starts_at"],
                condition=Q(is_active=True),
                name="class_session_one_per_master_start",
            ),
        ]


class Appointment(TenantModel):
    location = models.ForeignKey(
        "catalog.Location", on_delete=models.PROTECT, related_name="appointments"
    )
    # The person's online account, when they booked signed in (the salon's
    # card for them is `client_card`).
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointments",
    )
    client_name = models.CharField(_("client name"), max_length=150, blank=True)
    client_phone = models.CharField(_("client phone"), max_length=32, blank=True)
    client_email = models.EmailField(_("client e-mail"), blank=True)
    # A guest's language (the pages they booked on): their messages are in it.
    client_language = models.CharField(_("language"), max_length=8, blank=True)
    # The salon's card for this client (found or created by the booking service).
    client_card = models.ForeignKey(
        "clients.Client",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointments",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.CONFIRMED
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    hold_expires_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=16, choices=Source.choices, default=Source.BACK_OFFICE
    )
    # Which referral code or partner campaign brought the visit ("" when none); set by `referrals`.
    attribution = models.CharField(_("attribution"), max_length=64, blank=True, default="")
    price_amount = models.PositiveIntegerField(_("price"))
    currency = models.CharField(max_length=3)
    notes = models.TextField(_("notes"), blank=True)
    series = models.ForeignKey(
        RecurringSeries,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointments",
    )
    session = models.ForeignKey(
        ClassSession, null=True, blank=True, on_delete=models.PROTECT, related_name="attendees"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by_client = models.BooleanField(default=False)
    cancellation_reason = models.CharField(_("reason"), max_length=300, blank=True)
    late_cancellation = models.BooleanField(default=False)
    # Money the client agreed to when booking (solibook.finance reads these):
    # the deposit asked for and the policy shown (cancellation window, fees).
    deposit_amount = models.PositiveIntegerField(_("deposit"), default=0)
    policy = models.JSONField(_("accepted policy"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["business", "location", "starts_at"]),
            models.Index(fields=["account", "starts_at"]),
            models.Index(fields=["status", "hold_expires_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="appointment_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.starts_at:%Y-%m-%d %H:%M} {self.status}"


class AppointmentItem(TenantModel):
    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="+")
    variant = models.ForeignKey(
        "catalog.ServiceVariant", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    master = models.ForeignKey(
        "catalog.Master", on_delete=models.PROTECT, related_name="appointment_items"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    price_amount = models.PositiveIntegerField()

    class Meta:
        ordering = ["appointment_id", "position"]


class BookingSegment(TenantModel):
    """A blocked time range of one master or one resource unit.

    Exactly one of `master` / `resource` is set. `is_active` goes false when
    the appointment is cancelled, expires or moves; the exclusion constraint
    only looks at active rows. Queries read (master, ends_at > from,
    starts_at < to), served by the partial indexes below."""

    # A class's master segments belong to its session, not to one attendee.
    appointment = models.ForeignKey(
        Appointment, null=True, blank=True, on_delete=models.CASCADE, related_name="segments"
    )
    item = models.ForeignKey(
        AppointmentItem, null=True, blank=True, on_delete=models.CASCADE, related_name="segments"
    )
    session = models.ForeignKey(
        ClassSession, null=True, blank=True, on_delete=models.CASCADE, related_name="segments"
    )
    master = models.ForeignKey(
        "catalog.Master", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resource = models.ForeignKey(
        "catalog.Resource", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.PositiveSmallIntegerField(null=True, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    is_active = models.BooleanField(default=True)
    hold_expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="segment_end_after_start"
            ),
            models.CheckConstraint(
                condition=(
                    Q(master__isnull=False) & Q(resource__isnull=True) & Q(unit__isnull=True)
                )
                | (Q(master__isnull=True) & Q(resource__isnull=False) & Q(unit__isnull=False)),
                name="segment_master_xor_resource_unit",
            ),
            models.CheckConstraint(
                condition=(Q(appointment__isnull=False) & Q(session__isnull=True))
                | (Q(appointment__isnull=True) & Q(session__isnull=False)),
                name="segment_owner_appointment_xor_session",
            ),
        ]
        indexes = [
            models.Index(
                fields=["master", "ends_at", "starts_at"],
                condition=Q(is_active=True),
                name="segment_active_master",
            ),
            models.Index(
                fields=["resource", "unit", "ends_at", "starts_at"],
                condition=Q(is_active=True),
                name="segment_active_resource",
            ),
            # Finding holds to retire must not scan the calendar.
            models.Index(
                fields=["hold_expires_at"],
                condition=Q(is_active=True, hold_expires_at__isnull=False),
                name="segment_active_holds",
            ),
        ]


class AppointmentEvent(TenantModel):
    """The history of an appointment: who changed what, when."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=32)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]


class WaitlistEntry(TenantModel):
    """A client waiting for a time on a day; offered a held slot when one frees."""

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        OFFERED = "offered", _("Offered")
        BOOKED = "booked", _("Booked")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Expired")

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="waitlist_entries"
    )
    location = models.ForeignKey("catalog.Location", on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey("catalog.Service", on_delete=models.CASCADE, related_name="+")
    master = models.ForeignKey(
        "catalog.Master", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    date = models.DateField(_("day"))
    time_from = models.TimeField(_("from"))
    time_to = models.TimeField(_("until"))
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING)
    offer = models.ForeignKey(
        Appointment,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="waitlist_offers",
    )
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["location", "date", "state"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(time_to__gt=F("time_from")), name="waitlist_window_positive"
            )
        ]
