"""Referrals: personal codes, partners with campaigns, fraud checks, rewards.

A `Referral` is one friend brought to one salon (unique per salon and
friend: a client is referred once). Rewards are `Reward` rows, unique per
(referral, role), so the friend and the referrer are each rewarded once
however often a trigger fires; their value lives in the loyalty wallet or
points ledger. Partner commissions are unique per (partner, appointment).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from solibook.core.tenancy import TenantModel


class RewardKind(models.TextChoices):
    WALLET = "wallet_credit", _("Wallet credit")
    POINTS = "points", _("Loyalty points")
    DISCOUNT = "discount", _("Discount voucher")


class ReferralProgramme(TenantModel):
    is_active = models.BooleanField(_("referral programme active"), default=False)
    friend_reward_kind = models.CharField(
        _("friend's reward"), max_length=14, choices=RewardKind.choices, default=RewardKind.DISCOUNT
    )
    friend_reward_value = models.PositiveIntegerField(
        _("friend's reward value"),
        default=1000,
        validators=[MaxValueValidator(10**7)],
        help_text=_("Minor units for credit and discounts, a number of points for points."),
    )
    referrer_reward_kind = models.CharField(
        _("referrer's reward"), max_length=14, choices=RewardKind.choices, default=RewardKind.WALLET
    )
    referrer_reward_value = models.PositiveIntegerField(
        _("referrer's reward value"), default=1000, validators=[MaxValueValidator(10**7)]
    )
    monthly_cap = models.PositiveIntegerField(
        _("rewards per referrer per month"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
    )
    lifetime_cap = models.PositiveIntegerField(
        _("rewards per referrer in total"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(100000)],
    )
    review_days = models.PositiveIntegerField(
        _("review period (days)"), default=14, validators=[MaxValueValidator(365)]
    )
    code_valid_days = models.PositiveIntegerField(
        _("codes valid for (days)"),
        default=365,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
    )
    burst_limit = models.PositiveIntegerField(
        _("referrals from one address per hour"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_("More than this from one network address are held for review."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["business"], name="referrals_one_programme_per_business"
            )
        ]


class CommissionKind(models.TextChoices):
    PERCENT_FIRST_VISIT = "percent_first", _("Percent of the first visit")
    PERCENT_MONTHS = "percent_months", _("Percent of visits in the first months")
    FIXED = "fixed", _("Fixed amount per new client")


class PartnerStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Partner(TenantModel):
    """A blogger, influencer or affiliate earning commission for new clients."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partnerships"
    )
    name = models.CharField(_("partner name"), max_length=120)
    website = models.URLField(_("website or profile"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=PartnerStatus.choices, default=PartnerStatus.PENDING
    )
    commission_kind = models.CharField(
        _("commission"),
        max_length=16,
        choices=CommissionKind.choices,
        default=CommissionKind.PERCENT_FIRST_VISIT,
    )
    commission_percent = models.PositiveIntegerField(
        _("commission (%)"), default=10, validators=[MaxValueValidator(100)]
    )
    commission_months = models.PositiveIntegerField(
        _("for the first months"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
    )
    commission_fixed = models.PositiveIntegerField(
        _("fixed commission (minor units)"), default=0, validators=[MaxValueValidator(10**7)]
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["business", "user"], name="referrals_one_partnership")
        ]

    def __str__(self) -> str:
        return self.name


class Campaign(TenantModel):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="campaigns")
    name = models.CharField(_("campaign"), max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "name"], name="referrals_campaign_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ReferralCode(TenantModel):
    """A client's personal code at a salon, or a partner's code for a campaign."""

    code = models.CharField(max_length=32, unique=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referral_codes"
    )
    partner = models.ForeignKey(
        Partner, null=True, blank=True, on_delete=models.CASCADE, related_name="codes"
    )
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.CASCADE, related_name="codes"
    )
    expires_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    posted_publicly = models.BooleanField(_("posted publicly"), default=False)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["business", "owner"],
                condition=Q(partner__isnull=True),
                name="referrals_one_personal_code",
            ),
            models.UniqueConstraint(
                fields=["campaign"],
                condition=Q(campaign__isnull=False),
                name="referrals_one_code_per_campaign",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class ReferralClick(TenantModel):
    code = models.ForeignKey(ReferralCode, on_delete=models.CASCADE, related_name="clicks")
    ip = models.GenericIPAddressField(null=True, blank=True)
    agent_hash = models.CharField(max_length=64, blank=True)
    device = models.CharField(max_length=64, blank=True)
    referer_host = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["code", "created_at"])]


class ReferralStatus(models.TextChoices):
    BOOKED = "booked", _("Booked, first visit to come")
    HELD = "held", _("Held for review")
    REWARDED = "rewarded", _("Referrer rewarded")
    CAPPED = "capped", _("Visit done, reward cap reached")
    REJECTED = "rejected", _("Not counted")
    CLAWED_BACK = "clawed_back", _("Reward withdrawn after a refund")


class Referral(TenantModel):
    code = models.ForeignKey(ReferralCode, on_delete=models.PROTECT, related_name="referrals")
    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referrals_made"
    )
    partner = models.ForeignKey(
        Partner, null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals"
    )
    friend = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referrals_received"
    )
    appointment = models.ForeignKey(
        "booking.Appointment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("status"), max_length=12, choices=ReferralStatus.choices)
    reasons = models.JSONField(default=list, blank=True)
    household_exception = models.BooleanField(_("household exception"), default=False)
    ip = models.GenericIPAddressField(null=True, blank=True)
    agent_hash = models.CharField(max_length=64, blank=True)
    device = models.CharField(max_length=64, blank=True)
    paid_amount = models.PositiveIntegerField(null=True, blank=True)  # the first visit, once paid
    paid_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "friend"], name="referrals_friend_referred_once"
            )
        ]
        indexes = [
            models.Index(fields=["business", "ip", "created_at"]),
            models.Index(fields=["business", "status"]),
        ]


class RewardRole(models.TextChoices):
    FRIEND = "friend", _("Friend")
    REFERRER = "referrer", _("Referrer")


class Reward(TenantModel):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="rewards")
    role = models.CharField(max_length=8, choices=RewardRole.choices)
    beneficiary = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referral_rewards"
    )
    kind = models.CharField(max_length=14, choices=RewardKind.choices)
    value = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    available_at = models.DateTimeField()  # spendable from (the end of the review period)
    granted_at = models.DateTimeField(
        null=True, blank=True
    )  # its value written to the wallet, points or a voucher
    clawed_back_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "role"], name="referrals_reward_once_per_role"
            )
        ]

    def state(self, now) -> str:
        if self.clawed_back_at:
            return "clawed_back"
        return "available" if self.available_at <= now else "pending"


class Voucher(TenantModel):
    """A discount reward: a fixed amount off one visit at the salon, held by
    the salon's client card (so the desk redeems it for anyone)."""

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="vouchers")
    reward = models.OneToOneField(
        Reward, null=True, blank=True, on_delete=models.SET_NULL, related_name="voucher"
    )
    amount = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    available_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    void_at = models.DateTimeField(null=True, blank=True)
    appointment = models.ForeignKey(
        "booking.Appointment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()


class Commission(TenantModel):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="commissions")
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="commissions")
    appointment = models.ForeignKey(
        "booking.Appointment", on_delete=models.PROTECT, related_name="+"
    )
    amount = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    earned_at = models.DateTimeField()
    clawed_back_at = models.DateTimeField(null=True, blank=True)
    statement = models.ForeignKey(
        "Statement", null=True, blank=True, on_delete=models.SET_NULL, related_name="commissions"
    )
    # Clawed back after its statement was paid: deducted from this later statement.
    deducted_in = models.ForeignKey(
        "Statement", null=True, blank=True, on_delete=models.SET_NULL, related_name="deductions"
    )

    class Meta:
        ordering = ["-earned_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "appointment"], name="referrals_commission_once_per_visit"
            )
        ]


class Statement(TenantModel):
    """A partner's commissions of one month; paid once, through the ledger."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="statements")
    month = models.DateField()  # the first day of the month
    total = models.BigIntegerField()  # commissions earned minus clawbacks of earlier paid ones
    currency = models.CharField(max_length=3)
    created_at = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    payout_reference = models.CharField(_("payout reference"), max_length=120, blank=True)

    class Meta:
        ordering = ["-month", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "month"], name="referrals_one_statement_per_month"
            )
        ]


class FingerprintKind(models.TextChoices):
    DEVICE = "device", _("device")
    IP_AGENT = "ip_agent", _("network address and browser")
    PAYMENT = "payment", _("payment card")


class Fingerprint(models.Model):
    """What a person was seen with (hashed): compared when a friend arrives."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=FingerprintKind.choices)
    value = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "value"], name="referrals_fingerprint_once"
            )
        ]
        indexes = [models.Index(fields=["kind", "value"])]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.kind}"


class SalonInvite(models.Model):
    """A salon inviting another business to the platform (platform-level)."""

    inviter = models.ForeignKey("catalog.Business", on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(_("e-mail of the salon invited"))
    code = models.CharField(max_length=32, unique=True)
    invitee = models.ForeignKey(
        "catalog.Business", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    credit_amount = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    created_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    live_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["invitee"],
                condition=Q(invitee__isnull=False),
                name="referrals_invited_once",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class SubscriptionCredit(models.Model):
    """Subscription credit a business earned (salon-refers-salon), once per invite and side."""

    business = models.ForeignKey("catalog.Business", on_delete=models.CASCADE, related_name="+")
    invite = models.ForeignKey(SalonInvite, on_delete=models.CASCADE, related_name="credits")
    amount = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["invite", "business"], name="referrals_credit_once")
        ]

    def __str__(self) -> str:
        return f"{self.business_id}:{self.amount} {self.currency}"
