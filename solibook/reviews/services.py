"""Every write to reviews: pages and API call these functions."""

from django.db import IntegrityError, transaction
from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from solibook.accounts.access import platform_can
from solibook.accounts.roles import PlatformCapability
from solibook.booking.models import Appointment, Status
from solibook.core.audit import audit_log
from solibook.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from solibook.core.ids import is_db_id
from solibook.core.outbox import outbox_emit
from solibook.core.validators import clean_name
from solibook.reviews.models import ASPECTS, ReportReason, Review, ReviewReport, ReviewStatus

MAX_TEXT = 4000
MAX_REPLY = 2000


def _stars(value, field: str, *, required: bool) -> int | None:
    if value in (None, "") and not required:
        return None
    try:
        stars = int(value)
    except (TypeError, ValueError):
        stars = 0
    if isinstance(value, bool) or not 1 <= stars <= 5:
        message = _("Choose from 1 to 5 stars.")
        raise ValidationFailed(message, fields={field: [message]})
    return stars


def _text(value: str, field: str, limit: int) -> str:
    text = (value or "").strip()
    if len(text) > limit:
        message = _("At most %(limit)s characters.") % {"limit": limit}
        raise ValidationFailed(message, fields={field: [message]})
    if "\x00" in text:
        message = _("This text contains a character that is not allowed.")
        raise ValidationFailed(message, fields={field: [message]})
    return text


def review_create(
    *,
    user,
    appointment_id: int,
    rating,
    aspects: dict | None = None,
    text: str = "",
    author_name: str = "",
) -> Review:
    """The client of a completed visit reviews it, once."""
    stars = _stars(rating, "rating", required=True)
    aspect_values = {a: _stars((aspects or {}).get(a), a, required=False) for a in ASPECTS}
    body = _text(text, "text", MAX_TEXT)
    name = (
        _text(clean_name(author_name, field="author_name", required=False), "author_name", 80)
        or (user.get_short_name() or "").split(" ")[0]
        or _("Client")
    )
    with scopes_disabled():
        appointment = (
            Appointment.objects.filter(pk=appointment_id, account=user)
            .select_related("business")
            .first()
            if is_db_id(appointment_id)
            else None
        )
        if appointment is None:
            raise NotFound(_("No such visit."))
        if appointment.status != Status.COMPLETED:
            raise ValidationFailed(
                _("You can review a visit once it has taken place."), code="visit_not_completed"
            )
        if Review.objects.filter(appointment=appointment).exists():
            raise Conflict(_("You have already reviewed this visit."), code="already_reviewed")
        try:
            with transaction.atomic():
                review = Review.objects.create(
                    business=appointment.business,
                    appointment=appointment,
                    location_id=appointment.location_id,
                    author=user,
                    author_name=name,
                    rating=stars,
                    text=body,
                    **aspect_values,
                )
                audit_log(
                    action="review.created",
                    actor=user,
                    business=appointment.business,
                    obj=review,
                    data={"rating": stars},
                )
                # For partners' webhooks (developers), delivered after commit.
                outbox_emit(
                    topic="review.published",
                    business=appointment.business,
                    payload={"review_id": review.pk, "rating": stars},
                )
        except IntegrityError as exc:  # a second submission raced the first
            raise Conflict(
                _("You have already reviewed this visit."), code="already_reviewed"
            ) from exc
    return review


def review_reply(*, business, review_id: int, text: str, actor) -> Review:
    """The salon answers a review publicly (an empty text removes the reply)."""
    body = _text(text, "reply_text", MAX_REPLY)
    with transaction.atomic():
        review = Review.objects.select_for_update().filter(business=business, pk=review_id).first()
        if review is None:
            raise NotFound(_("No such review."))
        review.reply_text = body
        review.replied_at = timezone.now() if body else None
        review.replied_by = actor if body else None
        review.save(update_fields=["reply_text", "replied_at", "replied_by"])
        audit_log(
            action="review.replied",
            actor=actor,
            business=business,
            obj=review,
            data={"removed": not body},
        )
    return review


def review_report(*, review_id: int, reason: str, note: str = "", reporter=None) -> ReviewReport:
    """Anyone may report a published review; it joins the moderation queue."""
    if reason not in ReportReason.values:
        message = _("Choose a reason.")
        raise ValidationFailed(message, fields={"reason": [message]})
    body = _text(note, "note", 500)
    with scopes_disabled(), transaction.atomic():
        review = (
            Review.objects.filter(pk=review_id, status=ReviewStatus.PUBLISHED).first()
            if is_db_id(review_id)
            else None
        )
        if review is None:
            raise NotFound(_("No such review."))
        user = reporter if reporter is not None and reporter.is_authenticated else None
        if user is not None:
            existing = ReviewReport.objects.filter(
                review=review, reporter=user, resolved_at__isnull=True
            ).first()
            if existing is not None:
                return existing  # reporting twice changes nothing
        return ReviewReport.objects.create(
            business_id=review.business_id, review=review, reason=reason, note=body, reporter=user
        )


def review_moderate(*, review_id: int, action: str, actor, note: str = "") -> Review:
    """Platform staff hide or restore a review; its open reports are resolved."""
    if actor is None or not platform_can(actor, PlatformCapability.MODERATE_REVIEWS):
        raise Forbidden(_("Only platform staff moderate reviews."))
    if action not in ("hide", "restore"):
        message = _("Choose hide or restore.")
        raise ValidationFailed(message, fields={"action": [message]})
    body = _text(note, "note", 300)
    now = timezone.now()
    with scopes_disabled(), transaction.atomic():
        review = (
            Review.objects.select_for_update().filter(pk=review_id).first()
            if is_db_id(review_id)
            else None
        )
        if review is None:
            raise NotFound(_("No such review."))
        review.status = ReviewStatus.HIDDEN if action == "hide" else ReviewStatus.PUBLISHED
        review.moderated_at, review.moderated_by, review.moderation_note = now, actor, body
        review.save(update_fields=["status", "moderated_at", "moderated_by", "moderation_note"])
        ReviewReport.objects.filter(review=review, resolved_at__isnull=True).update(
            resolved_at=now, resolution="hidden" if action == "hide" else "kept"
        )
        audit_log(
            action=f"review.{action}",
            actor=actor,
            business=review.business,
            obj=review,
            data={"note": body},
        )
        if action == "restore":  # published again: partners' webhooks (developers)
            outbox_emit(
                topic="review.published",
                business=review.business,
                payload={"review_id": review.pk, "rating": review.rating},
            )
    return review


def moderation_queue(*, limit: int = 100) -> list[Review]:
    """Reviews with open reports, oldest report first (platform staff)."""
    with scopes_disabled():
        open_reports = Q(reports__resolved_at__isnull=True)
        return list(
            Review.objects.filter(open_reports)
            .annotate(
                open_reports=Count("reports", filter=open_reports),
                first_report=Min("reports__created_at", filter=open_reports),
            )
            .select_related("business")
            .order_by("first_report", "id")[:limit]
        )
