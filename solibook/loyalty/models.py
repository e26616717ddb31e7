"""Loyalty: points, wallet credit, tiers, badges and challenges, per salon.

Everything a client earns hangs on the salon's client card (`clients.Client`),
linked to an online account through `Client.user` when the person has one: a
walk-in or a phone client earns and spends at the desk like anyone else, and
the account's pages read through the person's cards.

Every balance is the sum of its transaction rows; nothing stores a running
total. A write that must not overdraw locks the account's row (`PointsAccount`,
`WalletAccount`: rows that exist only to be locked), recomputes the sum and
appends a row, all in one transaction. Grants carry a unique `key`, so a
reward triggered twice is written once.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from solibook.core.tenancy import TenantModel


class EarnMode(models.TextChoices):
    PER_AMOUNT = "per_amount", _("Points per currency unit spent")
    PER_VISIT = "per_visit", _("Points per visit")


class Programme(TenantModel):
    """A salon's loyalty programme (one per business)."""

    is_active = models.BooleanField(_("programme active"), default=False)
    earn_mode = models.CharField(
        _("clients earn"), max_length=12, choices=EarnMode.choices, default=EarnMode.PER_AMOUNT
    )
    points_per_unit = models.PositiveIntegerField(
        _("points per currency unit"), default=1, validators=[MaxValueValidator(1000)]
    )
    points_per_visit = models.PositiveIntegerField(
        _("points per visit"), default=10, validators=[MaxValueValidator(100000)]
    )
    point_value = models.PositiveIntegerField(
        _("value of one point (minor units)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(100000)],
        help_text=_("What one point takes off the bill, in cents, kopecks or halalas."),
    )
    excluded_categories = models.ManyToManyField(
        "catalog.Category",
        blank=True,
        related_name="+",
        verbose_name=_("categories that earn no points"),
    )
    expiry_days = models.PositiveIntegerField(
        _("points expire after (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
    )
    badges_enabled = models.BooleanField(_("badges and challenges for clients"), default=False)
    leaderboard_enabled = models.BooleanField(_("staff leaderboard"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["business"], name="loyalty_one_programme_per_business")
        ]


class Tier(TenantModel):
    """A level reached by points earned over the client's lifetime at the salon."""

    name = models.CharField(_("name"), max_length=80)
    min_points = models.PositiveIntegerField(
        _("from (points earned)"), validators=[MaxValueValidator(10**9)]
    )
    earn_multiplier_percent = models.PositiveIntegerField(
        _("earning rate (%)"),
        default=100,
        validators=[MinValueValidator(100), MaxValueValidator(500)],
        help_text=_("150 earns one and a half times the points."),
    )
    discount_percent = models.PositiveIntegerField(
        _("member discount (%)"), default=0, validators=[MaxValueValidator(50)]
    )
    benefits = models.CharField(_("other benefits"), max_length=300, blank=True)

    class Meta:
        ordering = ["min_points"]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "min_points"], name="loyalty_tier_unique_threshold"
            )
        ]

    def __str__(self) -> str:
        return self.name


class PointsAccount(TenantModel):
    """One client card's points at its salon: the row redemptions lock."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="points_accounts"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["business", "client"], name="loyalty_one_points_account"
            )
        ]


class PointsKind(models.TextChoices):
    EARN = "earn", _("Earned for a visit")
    REDEEM = "redeem", _("Redeemed")
    EXPIRE = "expire", _("Expired")
    REVERSAL = "reversal", _("Visit refunded")
    REFERRAL = "referral", _("Referral reward")
    CHALLENGE = "challenge", _("Challenge completed")
    REFUND = "refund", _("Redemption returned")


class PointsTransaction(TenantModel):
    account = models.ForeignKey(
        PointsAccount, on_delete=models.PROTECT, related_name="transactions"
    )
    kind = models.CharField(max_length=10, choices=PointsKind.choices)
    points = models.IntegerField()
    appointment = models.ForeignKey(
        "booking.Appointment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField(null=True, blank=True)
    key = models.CharField(max_length=120, null=True, blank=True)
    memo = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(points=0), name="loyalty_points_nonzero"),
            models.UniqueConstraint(
                fields=["business", "key"],
                condition=Q(key__isnull=False),
                name="loyalty_points_granted_once",
            ),
        ]
        indexes = [models.Index(fields=["account", "created_at"])]


class WalletAccount(TenantModel):
    """A client card's wallet credit at its salon, in one currency: the salon
    funds the credit (a referral reward is its expense, the credit its
    liability), so the credit is spent where it was given."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="wallet_accounts"
    )
    currency = models.CharField(max_length=3)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["client", "currency"], name="loyalty_one_wallet_per_card_currency"
            )
        ]

    def __str__(self) -> str:
        return f"{self.client_id}:{self.currency}"


class WalletKind(models.TextChoices):
    REFERRAL_REWARD = "referral", _("Referral reward")
    FRIEND_REWARD = "friend", _("Welcome credit")
    PARTNER = "partner", _("Partner credit")
    GRANT = "grant", _("Credit from the platform")
    SPEND = "spend", _("Spent at a salon")
    SPEND_RETURN = "spend_return", _("Payment refunded")
    CLAWBACK = "clawback", _("Reward withdrawn")


class WalletTransaction(models.Model):
    """A signed amount in minor units. A credit counts as spendable from
    `available_at` (the end of a review period); a debit from when it is written."""

    account = models.ForeignKey(
        WalletAccount, on_delete=models.PROTECT, related_name="transactions"
    )
    kind = models.CharField(max_length=12, choices=WalletKind.choices)
    amount = models.BigIntegerField()
    available_at = models.DateTimeField(db_index=True)
    business = models.ForeignKey(
        "catalog.Business", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    appointment = models.ForeignKey(
        "booking.Appointment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    key = models.CharField(max_length=120, null=True, blank=True, unique=True)
    memo = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="loyalty_wallet_nonzero")
        ]
        indexes = [models.Index(fields=["account", "available_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"


class Badge(models.TextChoices):
    FIRST_REVIEW = "first_review", _("First review")
    FIVE_VISITS = "five_visits", _("Five visits")
    THREE_FRIENDS = "three_friends", _("Three friends referred")


class BadgeAward(TenantModel):
    """A badge a client card earned at its salon (once per badge)."""

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="badges")
    badge = models.CharField(max_length=20, choices=Badge.choices)
    awarded_at = models.DateTimeField()

    class Meta:
        ordering = ["awarded_at"]
        constraints = [
            models.UniqueConstraint(fields=["client", "badge"], name="loyalty_badge_once_per_card")
        ]

    def __str__(self) -> str:
        return self.badge


class ChallengeMetric(models.TextChoices):
    VISITS = "visits", _("Completed visits")
    REFERRALS = "referrals", _("Friends referred")
    REVIEWS = "reviews", _("Reviews written")


class Challenge(TenantModel):
    name = models.CharField(_("name"), max_length=120)
    metric = models.CharField(_("counts"), max_length=10, choices=ChallengeMetric.choices)
    target = models.PositiveIntegerField(
        _("target"), validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    reward_points = models.PositiveIntegerField(
        _("reward (points)"), default=0, validators=[MaxValueValidator(100000)]
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="loyalty_challenge_dates"
            )
        ]


class ChallengeCompletion(TenantModel):
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="completions")
    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["challenge", "client"], name="loyalty_challenge_once")
        ]
