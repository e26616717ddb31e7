"""Every write of review analysis: a review's reading (cached on its row), alerts on a run of
bad reviews and the owner's notice of one.

A review is read after its commit, by a task (`tasks.analyse_review`), never on page load.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta
from functools import partial

import numpy as np
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override
from django_scopes import scopes_disabled

from solibook.accounts.models import Membership
from solibook.accounts.roles import Role
from solibook.booking.models import AppointmentItem
from solibook.core.audit import audit_log
from solibook.notifications.models import Channel, Notification
from solibook.notifications.rendering import site_url
from solibook.reviewanalysis import engine
from solibook.reviewanalysis.models import ReviewAlert, ReviewAnalysis
from solibook.reviews.models import Review, ReviewStatus

log = logging.getLogger("solibook.reviewanalysis")

RUN_LENGTH = 3  # this many bad reviews in a row…
RUN_WITHIN = timedelta(days=30)  # …within this many days is an alert
WEAK_LIMIT = 5000  # the latest analysed reviews whose stars train the next model
RETRAIN_AFTER = 3600.0
ALERT_KIND = "review_alert"  # a prepared message: no template of its own  # seconds; a process keeps its model this long at most

_models_lock = threading.Lock()
_models: dict[str, object] = {}


def _weak_labels() -> list[tuple[np.ndarray, int]]:
    with scopes_disabled():
        rows = (
            ReviewAnalysis.objects.exclude(embedding=b"")
            .filter(review__status=ReviewStatus.PUBLISHED)
            .order_by("-pk")
            .values_list("embedding", "review__rating")[:WEAK_LIMIT]
        )
        return [
            (np.frombuffer(bytes(blob), dtype=np.float32), rating)
            for blob, rating in rows
            if len(bytes(blob)) == engine.DIM * 4
        ]


def current_models(*, refresh: bool = False) -> engine.Models:
    """The platform's models: the labelled phrases plus every salon's star ratings (weak
    labels). Trained once per process and kept an hour."""
    with _models_lock:
        fitted = _models.get("models")
        if refresh or fitted is None or time.monotonic() - _models["at"] > RETRAIN_AFTER:  # type: ignore[operator]
            fitted = engine.train(_weak_labels())
            _models["models"], _models["at"] = fitted, time.monotonic()
        return fitted  # type: ignore[return-value]


def _bad(rating: int, sentiment: str) -> bool:
    """One or two stars, or three whose words read negative (four stars are never bad)."""
    return rating <= 2 or (rating == 3 and sentiment == "negative")


def review_analyse(*, review_id: int, models: engine.Models | None = None) -> ReviewAnalysis | None:
    """Read one review (language, sentiment, aspects), store it on its row, then look for a
    run of bad reviews. Safe to run twice: the row is rewritten."""
    with scopes_disabled():
        review = Review.objects.filter(pk=review_id).select_related("business").first()
        if review is None:
            return None
        reading = engine.read(models or current_models(), review.text)
        with transaction.atomic():
            analysis, _created = ReviewAnalysis.objects.update_or_create(
                review=review,
                defaults={
                    "business": review.business,
                    "language": reading.language,
                    "language_note": reading.language_note,
                    "sentiment": reading.sentiment,
                    "confidence": reading.confidence,
                    "aspects": reading.aspects,
                    "embedding": (
                        reading.embedding.astype(np.float32).tobytes()
                        if reading.embedding is not None
                        else b""
                    ),
                    "model_version": engine.MODEL_VERSION,
                },
            )
        for alert in alerts_check(review=review):
            transaction.on_commit(partial(alert_notify, alert_id=alert.pk))
    return analysis


def reviews_analyse(*, business=None, only_missing: bool = True, limit: int = 100000) -> int:
    """Read many reviews at once (the demo, `manage.py analyse_reviews`, a new model)."""
    with scopes_disabled():
        rows = Review.objects.all()
        if business is not None:
            rows = rows.filter(business=business)
        if only_missing:
            rows = rows.filter(analysis__isnull=True)
        ids = list(rows.order_by("created_at", "pk").values_list("pk", flat=True)[:limit])
    models = current_models() if ids else None
    for review_id in ids:
        review_analyse(review_id=review_id, models=models)
    return len(ids)


def _masters_of(review: Review) -> list[int]:
    return sorted(
        set(
            AppointmentItem.objects.filter(appointment_id=review.appointment_id)
            .filter(master__isnull=False)
            .values_list("master_id", flat=True)
        )
    )


def _recent_run(*, review: Review, master_id: int | None) -> list[tuple[int, int, str]]:
    """The last RUN_LENGTH published reviews up to this one (salon-wide or the master's):
    (review id, rating, sentiment); a review not read yet counts by its stars."""
    rows = Review.objects.filter(
        business_id=review.business_id,
        status=ReviewStatus.PUBLISHED,
        created_at__lte=review.created_at,
        created_at__gte=review.created_at - RUN_WITHIN,
    )
    if master_id is not None:
        rows = rows.filter(appointment__items__master_id=master_id).distinct()
    latest = rows.order_by("-created_at", "-pk").values_list("pk", "rating", "analysis__sentiment")[
        :RUN_LENGTH
    ]
    return [(pk, rating, sentiment or "") for pk, rating, sentiment in latest]


def _master_is(master_id: int | None) -> dict:
    return {"master__isnull": True} if master_id is None else {"master_id": master_id}


def alerts_check(*, review: Review) -> list[ReviewAlert]:
    """New alerts when this review makes RUN_LENGTH bad ones in a row, for the salon and for
    each of its masters. A run that goes on extends its alert instead of raising another."""
    raised: list[ReviewAlert] = []
    for master_id in [None, *_masters_of(review)]:
        run = _recent_run(review=review, master_id=master_id)
        if len(run) < RUN_LENGTH or not all(_bad(r, s) for _pk, r, s in run):
            continue
        if run[0][0] != review.pk:
            continue  # an older review read again: its run was already looked at
        ongoing = ReviewAlert.objects.filter(
            business_id=review.business_id, last_review_id=run[1][0], **_master_is(master_id)
        ).first()
        if ongoing is not None:
            ReviewAlert.objects.filter(pk=ongoing.pk).update(
                last_review=review, count=ongoing.count + 1
            )
            continue
        try:
            with transaction.atomic():
                alert = ReviewAlert.objects.create(
                    business_id=review.business_id,
                    master_id=master_id,
                    first_review_id=run[-1][0],
                    last_review=review,
                    count=RUN_LENGTH,
                )
        except IntegrityError:  # the same run raised twice (a task ran twice)
            continue
        audit_log(
            action="reviewanalysis.alert",
            business=review.business,
            obj=alert,
            data={"master_id": master_id, "count": RUN_LENGTH},
        )
        raised.append(alert)
    return raised


def _owners(business) -> list:
    return [
        m.user
        for m in Membership.objects.filter(business=business, role=Role.OWNER)
        .select_related("user")
        .order_by("pk")
        if m.user.is_active and m.user.email
    ]


def _alert_texts(alert: ReviewAlert, language: str) -> dict:
    with override(language):
        link = site_url(reverse("reviewanalysis:overview", args=[alert.business.slug]))
        if alert.master_id:
            subject = ngettext(
                "%(salon)s: %(n)d bad review in a row for %(master)s",
                "%(salon)s: %(n)d bad reviews in a row for %(master)s",
                alert.count,
            ) % {
                "salon": alert.business.name,
                "n": alert.count,
                "master": alert.master.display_name,  # type: ignore[union-attr]
            }
        else:
            subject = ngettext(
                "%(salon)s: %(n)d bad review in a row",
                "%(salon)s: %(n)d bad reviews in a row",
                alert.count,
            ) % {
                "salon": alert.business.name,
                "n": alert.count,
            }
        text = "\n\n".join(
            [
                subject + ".",
                _("The latest: “%(quote)s”") % {"quote": alert.last_review.text[:300]}
                if alert.last_review.text
                else _("The latest has no text, only its stars."),
                _("What clients praise and criticise, with their words: %(link)s") % {"link": link},
            ]
        )
    return {"subject": subject, "text": text, "link": link}


def alert_notify(*, alert_id: int, now=None) -> int:
    """Tell the salon's owners through the notifications: one e-mail each, in their language,
    written whole here (a prepared message, see docs/notifications.md) and sent by the
    notification worker. Runs once per alert (`notified_at`)."""
    now = now or timezone.now()
    with scopes_disabled(), transaction.atomic():
        alert = (
            ReviewAlert.objects.select_for_update(of=("self",))
            .filter(pk=alert_id, notified_at=None)
            .select_related("business", "master", "last_review")
            .first()
        )
        if alert is None:
            return 0
        owners = _owners(alert.business)
        for owner in owners:
            language = owner.language or settings.LANGUAGE_CODE
            Notification.objects.get_or_create(
                business=alert.business,
                appointment=None,
                kind=ALERT_KIND,
                channel=Channel.EMAIL,
                slot=f"review-alert-{alert.pk}-{owner.pk}",
                defaults={
                    "recipient": owner,
                    "recipient_name": owner.get_short_name() or owner.email,
                    "email": owner.email,
                    "language": language,
                    "due_at": now,
                    "context": {"prepared": _alert_texts(alert, language)},
                },
            )
        ReviewAlert.objects.filter(pk=alert.pk).update(notified_at=now)
    return len(owners)
