"""The marketplace's search index: public data only, read across salons.

Nothing here is a source of truth. `marketplace.index` rebuilds these rows
from the catalogue and the booking engine:

- `SalonListing`, one per listed location, with what search filters and
  sorts on (name and service names normalised for accent-insensitive
  search, city, coordinates, opening hours, policies, cheapest price);
- `ServiceListing`, one per bookable service of a listing, with what the
  availability kernel needs to place that service (each master's plan,
  the resource units it needs), so a free-time search needs no catalogue
  reads per salon;
- `FreeTime`, the per-master, per-day free-time summary: for each master
  (and each resource unit, and the opening hours) of a location and each
  local date, the free intervals in UTC epoch minutes. The booking
  transaction rewrites the rows of the days it touches (signal
  `booking.signals.appointment_changed`), catalogue and schedule changes
  rewrite the coming days through a task, `rebuild_free_time` rebuilds all.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from solibook.marketplace.cities import city_key


class SalonListing(models.Model):
    location = models.OneToOneField("catalog.Location", on_delete=models.CASCADE, related_name="+")
    business = models.ForeignKey("catalog.Business", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=200)
    business_slug = models.SlugField(max_length=80)
    location_name = models.CharField(max_length=200)
    address = models.CharField(max_length=300, blank=True)
    city = models.CharField(max_length=120)
    city_slug = models.CharField(max_length=120, db_index=True)
    country = models.CharField(max_length=2)
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    time_zone = models.CharField(max_length=64)
    currency = models.CharField(max_length=3)
    min_price = models.PositiveIntegerField(null=True)
    category_ids = models.JSONField(default=list)
    # Every word, folded (text.search_words): substring and trigram matching.
    search_text = models.TextField(blank=True)
    # The words by PostgreSQL text search configuration ({"english": ...,
    # "french": ..., "russian": ..., "simple": ...}), for full-text search.
    search_terms = models.JSONField(default=dict)
    opening_hours = models.JSONField(
        default=dict
    )  # weekday -> [[open minute, close minute], ...] local
    lead_time_minutes = models.PositiveIntegerField(default=0)
    horizon_days = models.PositiveIntegerField(default=90)
    slot_step_minutes = models.PositiveIntegerField(default=15)
    cancellation_window_hours = models.PositiveIntegerField(default=24)
    cancellation_fee_percent = models.PositiveIntegerField(default=0)
    deposit_rule = models.CharField(max_length=10, default="none")
    deposit_value = models.PositiveIntegerField(default=0)
    catalog_version = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            # Search's bounding box, answered from the index alone (with the
            # ids it joins on) once VACUUM has marked the table's pages.
            models.Index(
                fields=["latitude", "longitude"],
                include=["id", "location_id"],
                name="mkt_salon_box",
            ),
            models.Index(fields=["country", "city_slug"], name="mkt_salon_city"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.city})"


class OldSlug(models.Model):
    """A salon's former slug: its old links answer with a permanent redirect."""

    slug = models.SlugField(max_length=80, unique=True)
    business = models.ForeignKey("catalog.Business", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.slug


class ServiceListing(models.Model):
    salon = models.ForeignKey(SalonListing, on_delete=models.CASCADE, related_name="services")
    service = models.ForeignKey("catalog.Service", on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey("catalog.Category", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=200)
    price_amount = models.PositiveIntegerField()  # the cheapest master's price
    price_is_from = models.BooleanField(default=False)
    currency = models.CharField(max_length=3)
    duration_minutes = models.PositiveIntegerField()  # the fastest master's
    duration_max = models.PositiveIntegerField(default=0)  # the slowest master's
    # The least, over masters, of the longest part a master is busy for: a
    # summary row whose longest free interval is shorter cannot host it.
    min_busy_run = models.PositiveIntegerField(default=0)
    # [[master id, [[offset, length], ...], duration, price], ...] (kernel.plan_segments)
    plans = models.JSONField(default=list)
    # Per resource type needed: the candidate units [[resource id, unit], ...].
    needs = models.JSONField(default=list)
    buffer_before = models.PositiveSmallIntegerField(default=0)
    buffer_after = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["price_amount", "id"]
        constraints = [
            models.UniqueConstraint(fields=["salon", "service"], name="mkt_service_listing_unique")
        ]
        # Search's pre-filter reads a category's services from the index alone.
        indexes = [
            models.Index(
                fields=["category", "salon"],
                include=["min_busy_run", "duration_max"],
                name="mkt_service_fit",
            )
        ]

    def __str__(self) -> str:
        return self.name


class FreeTime(models.Model):
    """Free intervals of one subject of a location on one local date.

    `subject` is `m:<master id>`, `u:<resource id>:<unit>` or `open` (the
    opening hours). `free` is a sorted list of half-open [start, end) UTC
    epoch-minute intervals clipped to the local day; `longest`, `local_from`
    and `local_until` let SQL skip rows where nothing of the wanted length
    fits in the wanted time range.
    """

    # No index of its own: the unique (location, day, subject) one starts
    # with it, and PostgreSQL picked the location alone (every day's rows)
    # to read one day's rows when both existed.
    location = models.ForeignKey(
        "catalog.Location", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    business = models.ForeignKey("catalog.Business", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    subject = models.CharField(max_length=40)
    free = models.JSONField(default=list)
    longest = models.PositiveIntegerField(default=0)
    # Minutes elapsed since local midnight at the start of the first free
    # interval and the end of the last (wall-clock minutes, give or take the
    # DST hour): search discards rows outside the asked time range in SQL.
    local_from = models.PositiveIntegerField(null=True)
    local_until = models.PositiveIntegerField(null=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["location", "day", "subject"], name="mkt_free_time_unique"
            )
        ]
        indexes = [
            models.Index(fields=["day", "location"], name="mkt_free_time_day"),
            # Search's pre-filter (see search._may_fit), from the index alone.
            models.Index(
                fields=["location", "day", "longest"],
                include=["local_from", "local_until"],
                condition=models.Q(subject__startswith="m:"),
                name="mkt_free_time_fit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.location_id} {self.day} {self.subject}"


class Promotion(models.Model):
    """A paid featured listing in a city (and optionally a category): shown
    first and labelled "Promoted" in search results."""

    business = models.ForeignKey(
        "catalog.Business", on_delete=models.CASCADE, related_name="+", verbose_name=_("business")
    )
    city_slug = models.CharField(
        _("city"), max_length=120, blank=True, help_text=_("Empty: every city.")
    )
    category = models.ForeignKey(
        "catalog.Category",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("category"),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))

    class Mode(models.TextChoices):
        PER_CLIENT = "per_client", _("Pay per new client")
        DAILY_BUDGET = "daily_budget", _("Daily budget")

    # What the salon bought (commissions.promotion): each new client booked
    # from a promoted placement costs `price_amount`; with a daily budget the
    # day's spend never exceeds `daily_budget` (PromotionDay, conditional update).
    # A promotion staff created with no price is a free placement.
    mode = models.CharField(
        _("how it is paid"), max_length=16, choices=Mode.choices, default=Mode.PER_CLIENT
    )
    price_amount = models.PositiveIntegerField(_("price per new client"), default=0)
    daily_budget = models.PositiveIntegerField(_("daily budget"), default=0)
    currency = models.CharField(max_length=3, blank=True, default="")
    is_active = models.BooleanField(_("running"), default=True)
    created_at = models.DateTimeField(null=True, blank=True, auto_now_add=True)

    class Meta:
        verbose_name = _("promotion")
        verbose_name_plural = _("promotions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="mkt_promotion_dates"
            )
        ]

    def __str__(self) -> str:
        return f"{self.business} {self.city_slug} {self.starts_on}–{self.ends_on}"

    def save(self, *args, **kwargs):
        # Staff may type the city in any language ("Москва"): keep its one slug.
        self.city_slug = city_key(self.city_slug) if self.city_slug else ""
        super().save(*args, **kwargs)


class PromotionDay(models.Model):
    """A promotion's figures for one day (UTC): impressions and clicks are
    counted with F() updates; bookings and spend change only under the
    conditional update that keeps the spend within the daily budget."""

    promotion = models.ForeignKey(Promotion, on_delete=models.CASCADE, related_name="days")
    day = models.DateField()
    impressions = models.PositiveIntegerField(default=0)
    clicks = models.PositiveIntegerField(default=0)
    bookings = models.PositiveIntegerField(default=0)
    spent = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["promotion", "day"], name="mkt_promotion_day_unique")
        ]

    def __str__(self) -> str:
        return f"{self.promotion_id} {self.day}"
