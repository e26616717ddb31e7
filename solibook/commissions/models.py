"""The platform's commission on marketplace visits, its evidence and disputes,
and what a salon pays for promoted placements.

A `CommissionLine` is written once per paid visit (a checkout) or charged
no-show fee of a client who came through the marketplace, with the
evidence that decided it: the first touch (`Touch`: search, salon page,
promoted placement, the salon's own link or widget, referral, partner), its
time and the client's earlier history with the salon. A line that the rules
exempt is kept too (amount 0, with its reason), so a salon can check every
decision. Amounts only move through `commissions.services` (ledger on both
sides + billing's pending charges); a refund or cancellation adds to
`reversed_amount`, never edits `amount`.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from solibook.core.tenancy import TenantModel


class TouchKind(models.TextChoices):
    SEARCH = "search", _("Marketplace search")
    SALON_PAGE = "salon_page", _("Salon page on the marketplace")
    PROMOTED = "promoted", _("Promoted placement")
    OWN_LINK = "own_link", _("Salon's own booking link")
    WIDGET = "widget", _("Salon's website widget")
    REFERRAL = "referral", _("Referral")
    PARTNER = "partner", _("Referral partner")
    BACK_OFFICE = "back_office", _("Booked by the salon")


# First touches that belong to the salon: never a commission.
OWN_TOUCHES = (
    TouchKind.OWN_LINK,
    TouchKind.WIDGET,
    TouchKind.REFERRAL,
    TouchKind.PARTNER,
    TouchKind.BACK_OFFICE,
)


class Touch(TenantModel):
    """How the client of one booking first reached the salon (the first
    marketplace page that led to it, kept in the visitor's session)."""

    appointment = models.OneToOneField(
        "booking.Appointment", on_delete=models.CASCADE, related_name="first_touch"
    )
    kind = models.CharField(_("first touch"), max_length=16, choices=TouchKind.choices)
    touched_at = models.DateTimeField(_("first touch at"))
    promotion = models.ForeignKey(
        "marketplace.Promotion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)


class WaitlistTouch(TenantModel):
    """How a client who joined a salon's waitlist first reached the salon,
    kept with the entry (the offer is made later, by a task, without the
    visitor's session) and copied to the offer's `Touch` when it is confirmed."""

    entry = models.OneToOneField(
        "booking.WaitlistEntry", on_delete=models.CASCADE, related_name="first_touch"
    )
    kind = models.CharField(_("first touch"), max_length=16, choices=TouchKind.choices)
    touched_at = models.DateTimeField(_("first touch at"))
    promotion = models.ForeignKey(
        "marketplace.Promotion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)


class LineKind(models.TextChoices):
    VISIT = "visit", _("Visit")
    NO_SHOW_FEE = "no_show_fee", _("No-show fee")


class LineStatus(models.TextChoices):
    PENDING = "pending", _("To be invoiced")
    INVOICED = "invoiced", _("Invoiced")
    EXEMPT = "exempt", _("Not charged")
    DISPUTED = "disputed", _("Disputed")
    WAIVED = "waived", _("Waived after dispute")
    REVERSED = "reversed", _("Reversed")


class ExemptReason(models.TextChoices):
    NONE = "", _("—")
    NOT_MARKETPLACE = "not_marketplace", _("Not booked through the marketplace")
    OWN_CHANNEL = "own_channel", _("Came through the salon's own link, widget or referral")
    EARLIER_OWN_CLIENT = "earlier_own_client", _("Had booked the salon through its own channels")
    ALREADY_CHARGED = "already_charged", _("Already charged for this client recently")
    RETURNING_CLIENT = "returning_client", _("Returning client, not new")
    NOTHING_PAID = "nothing_paid", _("Nothing paid")


class CommissionLine(TenantModel):
    appointment = models.ForeignKey(
        "booking.Appointment", on_delete=models.PROTECT, related_name="commission_lines"
    )
    checkout = models.ForeignKey(
        "finance.Checkout", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    payment = models.ForeignKey(
        "finance.Payment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=LineKind.choices)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    client_card = models.ForeignKey(
        "clients.Client", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    base_amount = models.BigIntegerField(_("net amount paid"))
    rate_bp = models.PositiveIntegerField(_("rate (basis points)"))
    amount = models.BigIntegerField(_("commission"))
    reversed_amount = models.BigIntegerField(_("reversed"), default=0)
    currency = models.CharField(max_length=3)
    status = models.CharField(_("status"), max_length=12, choices=LineStatus.choices)
    exempt_reason = models.CharField(
        _("why not charged"), max_length=20, choices=ExemptReason.choices, blank=True
    )
    # Evidence, copied at decision time so that later changes do not rewrite it.
    touch_kind = models.CharField(_("first touch"), max_length=16, choices=TouchKind.choices)
    touched_at = models.DateTimeField(_("first touch at"), null=True, blank=True)
    promotion_id_seen = models.PositiveIntegerField(null=True, blank=True)
    history = models.JSONField(_("earlier history"), default=dict)
    breakdown = models.JSONField(default=list)  # [{category, base, rate_bp, amount}]
    occurred_at = models.DateTimeField(_("visit paid at"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "kind"], name="commission_once_per_visit_kind"
            ),
            models.CheckConstraint(
                condition=Q(reversed_amount__gte=0) & Q(reversed_amount__lte=F("amount")),
                name="commission_reversal_within_amount",
            ),
        ]

    @property
    def net_amount(self) -> int:
        return self.amount - self.reversed_amount

    @property
    def rate_percent(self) -> float:
        return self.rate_bp / 100

    @property
    def source_key(self) -> str:
        return f"commissions.line:{self.pk}"


class Dispute(TenantModel):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    line = models.ForeignKey(CommissionLine, on_delete=models.CASCADE, related_name="disputes")
    reason = models.TextField(_("why the line is wrong"), max_length=1000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    decision_reason = models.TextField(_("reason for the decision"), max_length=1000, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One open dispute per line at a time (a double click cannot open two).
            models.UniqueConstraint(
                fields=["line"], condition=Q(status="open"), name="commission_one_open_dispute"
            )
        ]


class PromotionCharge(TenantModel):
    """A new client booked from a promoted placement: charged once per visit."""

    class Status(models.TextChoices):
        CHARGED = "charged", _("Charged")
        REVERSED = "reversed", _("Reversed")

    promotion = models.ForeignKey(
        "marketplace.Promotion", on_delete=models.PROTECT, related_name="charges"
    )
    appointment = models.OneToOneField(
        "booking.Appointment", on_delete=models.PROTECT, related_name="promotion_charge"
    )
    day = models.DateField()
    amount = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CHARGED)
    created_at = models.DateTimeField()

    @property
    def source_key(self) -> str:
        return f"commissions.promotion_charge:{self.pk}"
