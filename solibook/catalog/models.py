"""What a salon describes before a client can book it.

Durations are whole minutes. Wall-clock times (shifts, opening hours) are
local to the location and converted to UTC per date by the availability
selectors, so a 09:00 shift stays 09:00 across DST changes.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from solibook.core.tenancy import TenantModel
from solibook.core.validators import validate_currency, validate_embed_origins, validate_time_zone


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class DepositRule(models.TextChoices):
    NONE = "none", _("No deposit")
    FIXED = "fixed", _("Fixed amount")
    PERCENT = "percent", _("Percentage of the price")


class Approval(models.TextChoices):
    """Where a self-served salon stands on its way to the marketplace."""

    DRAFT = "draft", _("Being set up")
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Changes requested")


class Business(models.Model):
    """The tenant: a salon brand with one or more locations."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    legal_name = models.CharField(_("legal name"), max_length=200, blank=True)
    registration_number = models.CharField(
        _("registration number"),
        max_length=64,
        blank=True,
        help_text=_("SIRET, OGRN, commercial registration…"),
    )
    vat_number = models.CharField(_("VAT number"), max_length=64, blank=True)
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166 code, e.g. FR"))
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    is_listed = models.BooleanField(_("listed on the marketplace"), default=True)
    # Sites allowed to frame the booking widget (CSP frame-ancestors), e.g.
    # ["https://salon.example"]; checked by core.validators.validate_embed_origins.
    embed_origins = models.JSONField(
        _("sites that may embed the booking widget"),
        default=list,
        blank=True,
        validators=[validate_embed_origins],
    )
    # Default booking rules; a later issue may override them per service.
    lead_time_minutes = models.PositiveIntegerField(
        _("minimum notice (minutes)"), default=60, validators=[MaxValueValidator(60 * 24 * 30)]
    )
    horizon_days = models.PositiveIntegerField(
        _("booking horizon (days)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
    )
    slot_step_minutes = models.PositiveIntegerField(
        _("slot step (minutes)"),
        default=15,
        validators=[MinValueValidator(5), MaxValueValidator(120)],
    )
    cancellation_window_hours = models.PositiveIntegerField(
        _("free cancellation until (hours before)"),
        default=24,
        validators=[MaxValueValidator(24 * 14)],
    )
    cancellation_fee_percent = models.PositiveIntegerField(
        _("late cancellation fee (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    # No-show rules (booking.services.no_show): a visit is marked no-show only
    # this long after its start, and the mark can be undone for this long before
    # the message and the fee go out.
    no_show_grace_minutes = models.PositiveIntegerField(
        _("no-show grace period (minutes)"), default=15, validators=[MaxValueValidator(24 * 60)]
    )
    no_show_undo_minutes = models.PositiveIntegerField(
        _("no-show undo window (minutes)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)],
    )
    deposit_rule = models.CharField(
        _("deposit"), max_length=10, choices=DepositRule.choices, default=DepositRule.NONE
    )
    deposit_value = models.PositiveIntegerField(
        _("deposit value"),
        default=0,
        help_text=_("Minor units for a fixed deposit, percent for a percentage."),
    )
    # Bumped by every change to what availability reads from the catalogue
    # (see catalog.versioning); availability caches its snapshot on it.
    catalog_version = models.PositiveBigIntegerField(default=0, editable=False)
    # A self-served salon starts as a draft, is submitted, and goes on the
    # marketplace (is_listed) only once the operator approves it
    # (platform.services.salon_approve). Salons made by the operator are approved.
    approval_status = models.CharField(
        _("approval"), max_length=10, choices=Approval.choices, default=Approval.APPROVED
    )
    submitted_at = models.DateTimeField(_("submitted for approval at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approval_note = models.CharField(_("operator's note"), max_length=500, blank=True)
    # The owner lets platform support into the back office until this time
    # (audited impersonation, platform.impersonation).
    support_access_until = models.DateTimeField(
        _("platform support may enter until"), null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("business")
        verbose_name_plural = _("businesses")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(deposit_rule="percent") | Q(deposit_value__lte=100),
                name="business_deposit_percent_max_100",
            ),
            models.CheckConstraint(
                condition=Q(slot_step_minutes__gte=5), name="business_slot_step_min_5"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Amenity(models.TextChoices):
    WIFI = "wifi", _("Wi-Fi")
    PARKING = "parking", _("Parking")
    WHEELCHAIR = "wheelchair", _("Wheelchair access")
    CARD = "card", _("Card payment")
    KIDS = "kids", _("Children welcome")
    WOMEN_ONLY = "women_only", _("Women only")
    AIR_CONDITIONING = "air_conditioning", _("Air conditioning")
    DRINKS = "drinks", _("Drinks offered")


class Location(TenantModel):
    """A place where a business serves clients, with its own time zone."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80)
    address = models.CharField(_("address"), max_length=300)
    city = models.CharField(_("city"), max_length=120)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    country = models.CharField(_("country"), max_length=2)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    time_zone = models.CharField(_("time zone"), max_length=64, validators=[validate_time_zone])
    phone = PhoneNumberField(_("phone"), blank=True)
    amenities = models.JSONField(_("amenities"), default=list, blank=True)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "slug"], name="location_slug_unique_per_business"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.city})"


class OpeningHours(TenantModel):
    """When the doors are open; several rows a day for a lunch closure."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=F("opens")), name="opening_hours_close_after_open"
            )
        ]


class Picture(TenantModel):
    """An uploaded picture, stored as a clean JPEG (`image`, no metadata) and
    smaller WebP copies for `srcset` (`renditions`, written by
    catalog.pictures). The `caption` is the picture's text alternative."""

    image = models.ImageField(_("image"), upload_to="pictures/")
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    # [{"w": 640, "h": 427, "name": "pictures/<business>/<uuid>-640.webp"}], narrowest first.
    renditions = models.JSONField(default=list, blank=True, editable=False)
    caption = models.CharField(
        _("description"),
        max_length=200,
        blank=True,
        help_text=_("What the picture shows, read aloud to people who cannot see it."),
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True


class LocationPhoto(Picture):
    class Kind(models.TextChoices):
        PHOTO = "photo", _("Gallery photo")
        COVER = "cover", _("Cover image")
        PANORAMA = "panorama", _("360° panorama")

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="photos")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PHOTO)

    class Meta:
        ordering = ["kind", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["location"], condition=Q(kind="cover"), name="location_one_cover"
            )
        ]


class LocationClosure(TenantModel):
    """A date the location is closed: a public holiday or the salon's own choice."""

    class Source(models.TextChoices):
        HOLIDAY = "holiday", _("Public holiday")
        MANUAL = "manual", _("Closure")

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="closures")
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["location", "date"], name="closure_unique_per_day")
        ]


class Category(models.Model):
    """Platform-wide taxonomy, so the marketplace compares like with like.

    Names are data in four languages (not gettext): platform staff add
    categories in the admin without a release.
    """

    slug = models.SlugField(unique=True, max_length=80)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    name_en = models.CharField("name (English)", max_length=120)
    name_fr = models.CharField("name (French)", max_length=120)
    name_ru = models.CharField("name (Russian)", max_length=120)
    name_ar = models.CharField("name (Arabic)", max_length=120)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = (get_language() or settings.LANGUAGE_CODE)[:2]
        return getattr(self, f"name_{language}", None) or self.name_en


class ResourceType(TenantModel):
    """A kind of room or equipment a service needs: massage room, colour station."""

    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["business", "name"], name="resource_type_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Resource(TenantModel):
    """Units of a resource type at a location; `capacity` units serve in parallel."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="resources")
    resource_type = models.ForeignKey(
        ResourceType, on_delete=models.PROTECT, related_name="resources"
    )
    name = models.CharField(_("name"), max_length=120)
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["location_id", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="resource_capacity_positive")
        ]

    def __str__(self) -> str:
        return self.name


class Service(TenantModel):
    """Something a client books. Its duration is the sum of its steps."""

    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="services")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    price_amount = models.PositiveIntegerField(
        _("price"), help_text=_("In minor units (cents, kopecks, halalas).")
    )
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    price_is_from = models.BooleanField(_("price is a starting price"), default=False)
    buffer_before_minutes = models.PositiveSmallIntegerField(
        _("preparation before (minutes)"), default=0, validators=[MaxValueValidator(240)]
    )
    buffer_after_minutes = models.PositiveSmallIntegerField(
        _("clean-up after (minutes)"), default=0, validators=[MaxValueValidator(240)]
    )
    bookable_online = models.BooleanField(_("bookable online"), default=True)
    requires_patch_test = models.BooleanField(_("requires a valid patch test"), default=False)
    requires_consultation = models.BooleanField(_("requires a consultation form"), default=False)
    group_capacity = models.PositiveSmallIntegerField(
        _("clients per session"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
        help_text=_("More than 1 makes it a group class."),
    )
    resource_types: models.ManyToManyField[ResourceType, "ServiceResourceType"] = (
        models.ManyToManyField(
            ResourceType,
            through="ServiceResourceType",
            blank=True,
            related_name="services",
            verbose_name=_("resources needed"),
        )
    )
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(group_capacity__gte=1), name="service_group_capacity_positive"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_group(self) -> bool:
        return self.group_capacity > 1


class ServiceResourceType(TenantModel):
    """A service needs one unit of a resource type for its whole duration."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE)
    resource_type = models.ForeignKey(ResourceType, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["service", "resource_type"], name="service_resource_type_unique"
            )
        ]


class ServiceVariant(TenantModel):
    """A priced option of a service (short / medium / long hair) with its own steps."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="variants")
    name = models.CharField(_("name"), max_length=120)
    price_amount = models.PositiveIntegerField(_("price"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.service.name} — {self.name}"


class ServiceStep(TenantModel):
    """One step of a service or of a variant. `master_busy=False` is processing
    time: colour develops and the master can serve another client."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="steps")
    variant = models.ForeignKey(
        ServiceVariant, null=True, blank=True, on_delete=models.CASCADE, related_name="steps"
    )
    position = models.PositiveSmallIntegerField(default=0)
    duration_minutes = models.PositiveSmallIntegerField(
        _("minutes"), validators=[MinValueValidator(5), MaxValueValidator(12 * 60)]
    )
    master_busy = models.BooleanField(_("master busy"), default=True)
    label = models.CharField(_("label"), max_length=120, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1), name="service_step_positive"
            )
        ]


class Master(TenantModel):
    """A member of staff who performs services (stylist, barber, therapist)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="master_profiles",
    )
    display_name = models.CharField(_("name"), max_length=120)
    photo = models.ImageField(_("photo"), upload_to="masters/", blank=True)
    bio = models.TextField(_("bio"), blank=True)
    color = models.CharField(_("calendar colour"), max_length=7, default="#7a2e5a")
    locations: models.ManyToManyField[Location, "MasterLocation"] = models.ManyToManyField(
        Location, through="MasterLocation", related_name="masters", verbose_name=_("works at")
    )
    services: models.ManyToManyField[Service, "MasterService"] = models.ManyToManyField(
        Service, through="MasterService", related_name="masters"
    )
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "display_name"]

    def __str__(self) -> str:
        return self.display_name


class MasterPhoto(Picture):
    """A master's avatar (one at most) or a picture of their work."""

    class Kind(models.TextChoices):
        AVATAR = "avatar", _("Avatar")
        PORTFOLIO = "portfolio", _("Portfolio")

    master = models.ForeignKey(Master, on_delete=models.CASCADE, related_name="pictures")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PORTFOLIO)

    class Meta:
        ordering = ["kind", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["master"], condition=Q(kind="avatar"), name="master_one_avatar"
            )
        ]


class MasterLocation(TenantModel):
    master = models.ForeignKey(Master, on_delete=models.CASCADE)
    location = models.ForeignKey(Location, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["master", "location"], name="master_location_unique")
        ]


class MasterService(TenantModel):
    """A master performs a service, optionally at their own price and pace."""

    master = models.ForeignKey(Master, on_delete=models.CASCADE, related_name="service_links")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="master_links")
    price_amount = models.PositiveIntegerField(_("own price"), null=True, blank=True)
    duration_delta_minutes = models.SmallIntegerField(
        _("own pace (± minutes)"),
        default=0,
        validators=[MinValueValidator(-120), MaxValueValidator(240)],
        help_text=_(
            "Added to the last step where the master works, e.g. -10 for a faster senior stylist."
        ),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["master", "service"], name="master_service_unique")
        ]


class WeeklyShift(TenantModel):
    """A master's recurring working period at a location, in local time."""

    master = models.ForeignKey(Master, on_delete=models.CASCADE, related_name="weekly_shifts")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="weekly_shifts")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"))

    class Meta:
        ordering = ["master_id", "weekday", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="weekly_shift_end_after_start"
            )
        ]
        indexes = [models.Index(fields=["business", "master", "weekday"])]


class ShiftBreak(TenantModel):
    """A break inside a weekly shift (lunch)."""

    shift = models.ForeignKey(WeeklyShift, on_delete=models.CASCADE, related_name="breaks")
    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"))

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="shift_break_end_after_start"
            )
        ]


class DateOverride(TenantModel):
    """Replaces a master's weekly shifts on one date: an extra day, a shorter
    day, or (with no periods) a day off. Each row is one working period."""

    master = models.ForeignKey(Master, on_delete=models.CASCADE, related_name="date_overrides")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="date_overrides")
    date = models.DateField(_("date"))
    start = models.TimeField(_("start"), null=True, blank=True)
    end = models.TimeField(_("end"), null=True, blank=True)

    class Meta:
        ordering = ["date", "start"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(start__isnull=True) & Q(end__isnull=True)) | Q(end__gt=F("start")),
                name="date_override_end_after_start",
            )
        ]
        indexes = [models.Index(fields=["business", "master", "date"])]

    @property
    def is_day_off(self) -> bool:
        return self.start is None


class TimeOff(TenantModel):
    """A master is away: vacation, sickness, training. Stored in UTC."""

    class Reason(models.TextChoices):
        VACATION = "vacation", _("Vacation")
        SICKNESS = "sickness", _("Sickness")
        TRAINING = "training", _("Training")
        OTHER = "other", _("Other")

    master = models.ForeignKey(Master, on_delete=models.CASCADE, related_name="time_off")
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    reason = models.CharField(
        _("reason"), max_length=10, choices=Reason.choices, default=Reason.VACATION
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    # Set on busy time copied from a master's own calendar by `calendarsync`
    # ("cs:<connection>:<event digest>"): such rows follow that calendar and are
    # not edited as ordinary time off. Empty for time off entered here.
    external_ref = models.CharField(max_length=80, blank=True, default="", editable=False)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="time_off_end_after_start"
            )
        ]
        indexes = [models.Index(fields=["business", "master", "starts_at"])]


# ---------------------------------------------------------------- branding

DEFAULT_COLOUR = "#7a2e5a"
colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #RRGGBB."))


class Branding(TenantModel):
    """The salon's colour (its logo is `Business.logo`). Read it with
    `catalog.selectors.brand_colour(business)`.

    Its table keeps the name it had in the former `crm` app, so databases
    created before the move keep their rows (migration 0005)."""

    colour = models.CharField(
        _("brand colour"), max_length=7, default=DEFAULT_COLOUR, validators=[colour_validator]
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "crm_branding"
        constraints = [
            models.UniqueConstraint(fields=["business"], name="crm_branding_one_per_business")
        ]
