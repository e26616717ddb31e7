"""The operator's writes: approving salons, issuing a salon's invoice now, and
support's consented, audited visits into a salon's back office."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from solibook.accounts.access import platform_can
from solibook.accounts.roles import PlatformCapability
from solibook.billing import services as billing
from solibook.billing.models import Invoice
from solibook.catalog.models import Approval, Business
from solibook.core.audit import audit_log
from solibook.core.errors import Conflict, Forbidden, NotFound, ValidationFailed

# How long an owner may let platform support in, at most.
SUPPORT_ACCESS_MAX_HOURS = 72


def _require(actor, capability: PlatformCapability) -> None:
    if actor is None or not platform_can(actor, capability):
        raise Forbidden(_("Your platform role does not allow this."))


def _locked_salon(business_id) -> Business:
    if not isinstance(business_id, int) or business_id <= 0 or business_id >= 2**63:
        raise NotFound(_("No such salon."))
    with scopes_disabled():
        business = Business.objects.select_for_update().filter(pk=business_id).first()
    if business is None:
        raise NotFound(_("No such salon."))
    return business


def salon_approve(*, actor, business_id: int) -> Business:
    """A submitted salon goes live: approved and listed on the marketplace
    (saving the business rebuilds its listings after commit)."""
    _require(actor, PlatformCapability.MANAGE_SALONS)
    with transaction.atomic():
        business = _locked_salon(business_id)
        if business.approval_status != Approval.PENDING:
            raise Conflict(_("Only a salon waiting for approval can be approved."))
        business.approval_status = Approval.APPROVED
        business.approved_at = timezone.now()
        business.approval_note = ""
        business.is_listed = True
        business.save(
            update_fields=["approval_status", "approved_at", "approval_note", "is_listed"]
        )
        audit_log(action="platform.salon_approve", actor=actor, business=business, obj=business)
    return business


def salon_reject(*, actor, business_id: int, note: str) -> Business:
    """Send a submitted salon back with what to change; it stays off the marketplace."""
    _require(actor, PlatformCapability.MANAGE_SALONS)
    note = (note or "").strip()
    if not note:
        message = _("Say what the salon should change.")
        raise ValidationFailed(message, fields={"note": [message]})
    if len(note) > 500:
        message = _("At most 500 characters.")
        raise ValidationFailed(message, fields={"note": [message]})
    with transaction.atomic():
        business = _locked_salon(business_id)
        if business.approval_status != Approval.PENDING:
            raise Conflict(_("Only a salon waiting for approval can be sent back."))
        business.approval_status = Approval.REJECTED
        business.approval_note = note
        business.is_listed = False
        business.save(update_fields=["approval_status", "approval_note", "is_listed"])
        audit_log(
            action="platform.salon_reject",
            actor=actor,
            business=business,
            obj=business,
            data={"note": note},
        )
    return business


def salon_invoice_now(*, actor, business_id: int, now: datetime | None = None) -> Invoice:
    """Finance issues a salon's invoice of every charge recorded so far, without
    waiting for the monthly run (`billing.services.invoice_issue`, the door the run
    uses: numbered without gaps, each charge once). Nothing left to invoice (a
    second click, a salon with no charge) is refused and writes nothing."""
    _require(actor, PlatformCapability.MANAGE_PLATFORM_FINANCE)
    if not isinstance(business_id, int) or business_id <= 0 or business_id >= 2**63:
        raise NotFound(_("No such salon."))
    with scopes_disabled():
        business = Business.objects.filter(pk=business_id).first()
    if business is None:
        raise NotFound(_("No such salon."))
    with transaction.atomic():
        invoice = billing.invoice_issue(business=business, now=now)
        if invoice is None:
            raise Conflict(
                _("%(salon)s has nothing to invoice: every charge is on an invoice already.")
                % {"salon": business.name},
                code="nothing_to_invoice",
            )
        audit_log(
            action="platform.salon_invoice_now",
            actor=actor,
            business=business,
            obj=invoice,
            data={"number": invoice.number, "total": invoice.total},
        )
    return invoice


def support_access_grant(*, actor, business: Business, hours: int) -> Business:
    """The salon's owner lets platform support into its back office for a
    while (0 hours withdraws the consent at once)."""
    if not isinstance(hours, int) or not 0 <= hours <= SUPPORT_ACCESS_MAX_HOURS:
        message = _("Choose between 0 and %(max)d hours.") % {"max": SUPPORT_ACCESS_MAX_HOURS}
        raise ValidationFailed(message, fields={"hours": [message]})
    until = timezone.now() + timedelta(hours=hours) if hours else None
    with transaction.atomic():
        business.support_access_until = until
        business.save(update_fields=["support_access_until"])
        audit_log(
            action="platform.support_access",
            actor=actor,
            business=business,
            obj=business,
            data={"hours": hours},
        )
    return business


def impersonation_start(*, actor, business_id: int, now: datetime | None = None) -> Business:
    """Support enters a salon's back office, only while the salon consents."""
    _require(actor, PlatformCapability.IMPERSONATE)
    now = now or timezone.now()
    with transaction.atomic():
        business = _locked_salon(business_id)
        if not business.support_access_until or business.support_access_until <= now:
            raise Conflict(_("The salon has not let platform support in (or its consent expired)."))
        audit_log(
            action="platform.impersonation_start", actor=actor, business=business, obj=business
        )
    return business


def support_access_request(*, actor, business_id: int, reason: str) -> Business:
    """Support asks a salon to let it in, saying why (the owner reads it on
    the support access page and in its API, and decides)."""
    _require(actor, PlatformCapability.IMPERSONATE)
    reason = (reason or "").strip()
    if not reason:
        message = _("Say why platform support needs to enter.")
        raise ValidationFailed(message, fields={"reason": [message]})
    if len(reason) > 500:
        message = _("At most 500 characters.")
        raise ValidationFailed(message, fields={"reason": [message]})
    with transaction.atomic():
        business = _locked_salon(business_id)
        audit_log(
            action="platform.support_access_request",
            actor=actor,
            business=business,
            obj=business,
            data={"reason": reason},
        )
    return business


def impersonation_end(*, actor, business_id: int) -> None:
    """Support leaves a salon's back office (audited; the API's reads stop at
    once). Leaving needs no capability: a role taken away meanwhile still leaves."""
    with transaction.atomic():
        business = _locked_salon(business_id)
        audit_log(action="platform.impersonation_stop", actor=actor, business=business)
