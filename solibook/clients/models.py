"""A salon's client cards: who the clients are, what they agreed to, what the
salon knows about them. One card per person per business (`Client`); a card
may be linked to a marketplace user account, or be a phone/walk-in client only.

Consents are append-only: the state of a kind is its latest row, and the
history stays as evidence (who recorded it, when, from where).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from solibook.core.tenancy import TenantModel


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNSPECIFIED = "", _("Not specified")


class ClientSource(models.TextChoices):
    WALK_IN = "walk_in", _("Walk-in")
    PHONE = "phone", _("Phone")
    MARKETPLACE = "marketplace", _("Marketplace")
    BOOKING_LINK = "booking_link", _("Booking link")
    WIDGET = "widget", _("Website widget")
    REFERRAL = "referral", _("Referral")
    SOCIAL = "social", _("Social media")
    IMPORT = "import", _("Import")
    OTHER = "other", _("Other")


class ClientTag(TenantModel):
    name = models.CharField(_("tag"), max_length=50)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint("business", Lower("name"), name="client_tag_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Client(TenantModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="client_cards",
    )
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = PhoneNumberField(_("phone"), blank=True)  # E.164
    language = models.CharField(_("language"), max_length=8, blank=True)
    birthday = models.DateField(_("birthday"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    hair_type = models.CharField(_("hair type"), max_length=100, blank=True)
    skin_type = models.CharField(_("skin type"), max_length=100, blank=True)
    allergies = models.TextField(_("allergies"), blank=True)
    preferred_master = models.ForeignKey(
        "catalog.Master",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("favourite master"),
    )
    source = models.CharField(
        _("where the client came from"), max_length=16, choices=ClientSource.choices, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    tags = models.ManyToManyField(
        ClientTag, blank=True, related_name="clients", verbose_name=_("tags")
    )
    custom_values = models.JSONField(_("custom fields"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            models.Index(fields=["business", "phone"]),
            models.Index(Lower("email"), "business", name="client_email_ci"),
            models.Index(fields=["business", "last_name", "first_name"]),
            models.Index(fields=["business", "user"]),
        ]
        # One card per person per business (docs/security.md): the booking
        # service's get-or-create relies on these to survive concurrent first
        # bookings. Phones are stored in E.164 and e-mails compared lower-cased.
        constraints = [
            models.UniqueConstraint(
                fields=("business", "user"),
                condition=Q(user__isnull=False),
                name="client_unique_user",
            ),
            models.UniqueConstraint(
                fields=("business", "phone"), condition=~Q(phone=""), name="client_unique_phone"
            ),
            models.UniqueConstraint(
                "business", Lower("email"), condition=~Q(email=""), name="client_unique_email"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email or str(self.phone) or f"#{self.pk}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class ConsentKind(models.TextChoices):
    MARKETING = "marketing", _("Marketing")
    DATA_PROCESSING = "data_processing", _("Data processing")
    EMAIL = "email", _("E-mail messages")
    SMS = "sms", _("SMS messages")
    WHATSAPP = "whatsapp", _("WhatsApp messages")
    PUSH = "push", _("Push notifications")


class ClientConsent(TenantModel):
    """One consent decision; the latest row per (client, kind) is the state."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(_("consent"), max_length=20, choices=ConsentKind.choices)
    granted = models.BooleanField(_("granted"))
    recorded_at = models.DateTimeField(_("recorded at"))
    source = models.CharField(_("source"), max_length=50, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["client", "kind", "-recorded_at"])]

    @property
    def source_label(self) -> str:
        """Where the decision came from, in the reader's language; an integration's own
        word (the API takes any short text) is shown as it was sent."""
        return str(CONSENT_SOURCES.get(self.source, self.source))


# The sources the product itself records (clients.services.client_consent_record's callers).
CONSENT_SOURCES = {
    "back_office": _("recorded by the salon"),
    "client": _("chosen by the client"),
}


class ClientNote(TenantModel):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="note_entries")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class ClientPatchTest(TenantModel):
    """A patch test recorded on the card: the one place a patch test lives
    (booking checks it before a service that needs one)."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="patch_tests")
    service = models.ForeignKey(
        "catalog.Service", on_delete=models.CASCADE, related_name="+", verbose_name=_("service")
    )
    taken_at = models.DateField(_("taken on"))
    valid_until = models.DateField(_("valid until"))
    passed = models.BooleanField(_("passed"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-taken_at", "-id"]


class ConsultationForm(TenantModel):
    """Salon-defined questions, optionally for one service."""

    name = models.CharField(_("name"), max_length=120)
    service = models.ForeignKey(
        "catalog.Service",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("service"),
    )
    questions = models.JSONField(_("questions"), default=list)  # ["Any allergies?", ...]
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class ConsultationAnswer(TenantModel):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="consultations")
    form = models.ForeignKey(ConsultationForm, on_delete=models.PROTECT, related_name="answers")
    answers = models.JSONField(
        default=list
    )  # [{"question": ..., "answer": ...}] as asked at the time
    # The salon approved them (what the desk records is); booking requires an approved one.
    approved = models.BooleanField(_("approved"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class CustomFieldKind(models.TextChoices):
    TEXT = "text", _("Text")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    YES_NO = "bool", _("Yes / no")
    CHOICE = "choice", _("Choice")


class CustomFieldDefinition(TenantModel):
    """A salon's own field on client cards; values live in `Client.custom_values[key]`."""

    key = models.SlugField(_("key"), max_length=40)
    label = models.CharField(_("label"), max_length=80)
    kind = models.CharField(
        _("type"), max_length=10, choices=CustomFieldKind.choices, default=CustomFieldKind.TEXT
    )
    choices = models.JSONField(_("choices"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "key"], name="client_custom_field_unique_key"
            )
        ]

    def __str__(self) -> str:
        return self.label


class Segment(TenantModel):
    """A saved filter over client cards (see `booking.client_visits.segment_clients`)."""

    name = models.CharField(_("name"), max_length=120)
    last_visit_before = models.DateField(_("last visit before"), null=True, blank=True)
    spend_above = models.PositiveIntegerField(
        _("total spend above (minor units)"), null=True, blank=True
    )
    tag = models.ForeignKey(
        ClientTag,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("tag"),
    )
    service = models.ForeignKey(
        "catalog.Service",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("service used"),
    )
    birthday_month = models.PositiveSmallIntegerField(_("birthday month"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(birthday_month__isnull=True)
                | Q(birthday_month__gte=1, birthday_month__lte=12),
                name="segment_birthday_month_range",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ImportJob(TenantModel):
    """A CSV import: uploaded, previewed with a column mapping, run in the
    background in chunks. Each chunk commits with its progress, so a worker
    that dies resumes after the last committed row: nothing twice."""

    class State(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_name = models.CharField(max_length=200, blank=True)
    content = models.TextField()  # decoded text
    encoding = models.CharField(max_length=20)
    delimiter = models.CharField(max_length=1, default=",")
    headers = models.JSONField(default=list)
    mapping = models.JSONField(default=dict, blank=True)  # field -> column index
    state = models.CharField(max_length=10, choices=State.choices, default=State.UPLOADED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    duplicate_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(
        default=list, blank=True
    )  # the first MAX_STORED_ERRORS: {"row", "messages"}
    failure = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    @property
    def percent(self) -> int:
        return (
            100 if not self.total_rows else min(100, self.processed_rows * 100 // self.total_rows)
        )
