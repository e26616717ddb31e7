"""Corporate wellness: a company buys wellness for its employees.

A `Company` (created by platform staff) has HR admins (`CompanyAdmin`), the
e-mail domains its employees' addresses must belong to, and its budget rules:
the monthly amount per employee, the service categories it pays for (taxonomy
slugs; empty = every category), and how much of an unspent month rolls over
(`rollover_cap`; the rest expires at the month's end).

An `Employee` is invited by e-mail (an address of one of the company's
domains) and joins with the account that has that address.

A budget is the sum of its `BudgetEntry` rows (append-only, each with a unique
key): the month's grant, what expired, spends at salons and refunds. A spend
locks the employee's row and recomputes the sum, so two spends at once never
overspend. No entry names a service: HR reports read only amounts, months and
salons.

At a month's close the company gets one invoice through billing
(`billing.CompanyInvoice`, `MonthClose` links it) and each salon is paid what
the employees spent there (`Settlement`), both posted to the ledger.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Company(models.Model):
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(unique=True, max_length=80)
    legal_name = models.CharField(_("legal name"), max_length=200, blank=True)
    vat_number = models.CharField(_("VAT number"), max_length=40, blank=True)
    city = models.CharField(_("city"), max_length=120)
    country = models.CharField(_("country"), max_length=2, default="FR")
    time_zone = models.CharField(_("time zone"), max_length=60, default="Europe/Paris")
    language = models.CharField(_("language"), max_length=5, default="fr")
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    domains = models.JSONField(_("e-mail domains"), default=list)
    monthly_budget = models.BigIntegerField(_("monthly budget per employee"), default=0)
    allowed_categories = models.JSONField(_("service categories paid for"), default=list)
    rollover_cap = models.BigIntegerField(_("rollover cap"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(monthly_budget__gte=0), name="company_budget_ge0"),
            models.CheckConstraint(condition=Q(rollover_cap__gte=0), name="company_rollover_ge0"),
        ]

    def __str__(self) -> str:
        return self.name


class CompanyAdmin(models.Model):
    """An HR admin of the company: sees employees, budgets, usage and invoices."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="admins")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="company_admin_of"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["company", "user"], name="company_admin_once"),
        ]

    def __str__(self) -> str:
        return f"{self.company_id}:{self.user_id}"


class Employee(models.Model):
    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACTIVE = "active", _("Active")
        LEFT = "left", _("Left")

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="employees")
    email = models.EmailField(_("e-mail address"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="wellness_employments",
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.INVITED)
    token_hash = models.CharField(max_length=64, blank=True)  # sha256 of the invitation token
    invited_at = models.DateTimeField()
    joined_at = models.DateTimeField(null=True, blank=True)
    monthly_budget = models.BigIntegerField(null=True, blank=True)  # None: the company's

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(fields=["company", "email"], name="employee_email_once"),
            # One wellness budget per person: an account is an active employee once.
            models.UniqueConstraint(
                fields=["user"], condition=Q(status="active"), name="employee_active_once"
            ),
        ]

    def __str__(self) -> str:
        return self.email

    def budget_amount(self) -> int:
        if self.monthly_budget is not None:
            return self.monthly_budget
        return self.company.monthly_budget


class BudgetEntry(models.Model):
    """One movement of an employee's budget (signed, minor units). Never a service."""

    class Kind(models.TextChoices):
        GRANT = "grant", _("Monthly budget")
        EXPIRE = "expire", _("Expired")
        SPEND = "spend", _("Spent")
        REFUND = "refund", _("Given back")

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="entries")
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    month = models.DateField()  # the first day of the company's month it counts in
    business = models.ForeignKey(
        "catalog.Business", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    payment_id = models.BigIntegerField(null=True, blank=True)  # finance.Payment at the salon
    key = models.CharField(max_length=120, unique=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["company", "month"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} {self.currency}"


class MonthClose(models.Model):
    """A company's month closed: its invoice issued and the salons settled."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="closes")
    month = models.DateField()
    invoice = models.OneToOneField(
        "billing.CompanyInvoice", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["company", "month"], name="company_month_closed_once"),
        ]

    def __str__(self) -> str:
        return f"{self.company_id}:{self.month}"


class Settlement(models.Model):
    """What the platform pays a salon for a company's month (ledger on both sides)."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="settlements")
    business = models.ForeignKey("catalog.Business", on_delete=models.PROTECT, related_name="+")
    month = models.DateField()
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-month", "business_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "business", "month"], name="settlement_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company_id}:{self.business_id}:{self.month}"
