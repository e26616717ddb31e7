"""`make evaluate` for churn: the model against recency alone on a held-out later cut-off.

The test cut-off is HORIZON_DAYS before `now` (its labels, a visit or not in the 90 days
after it, are known by `now`); the model learns only at earlier cut-offs whose label
windows end by the test cut-off, so nothing after it leaks into training."""

from __future__ import annotations

from datetime import datetime

import numpy as np
from sklearn.metrics import roc_auc_score  # type: ignore[import-untyped]

from solibook.core.evaluation import Evaluation
from solibook.core.tenancy import business_scope
from solibook.retention import model as churn_model
from solibook.retention.features import HORIZON_DAYS, churned, recency_score, snapshots
from solibook.retention.history import day_of, visit_history

AREA = "retention"


def churn_evaluation(*, histories, now_day: float) -> Evaluation | None:
    test_cutoff = now_day - HORIZON_DAYS
    fitted = churn_model.fit(histories, churn_model.training_cutoffs(test_cutoff))
    rows = snapshots(histories, test_cutoff)
    labels = np.asarray([int(churned(histories[r.client_id], test_cutoff)) for r in rows])
    if fitted is None or len(set(labels.tolist())) < 2:
        return None
    scores = fitted.predict(np.asarray([r.x for r in rows], dtype=float))
    baseline = np.asarray([recency_score(r) for r in rows])
    return Evaluation(
        area=AREA,
        name="churn: no visit within 90 days",
        metric="ROC-AUC",
        model=round(float(roc_auc_score(labels, scores)), 4),
        baseline=round(float(roc_auc_score(labels, baseline)), 4),
        baseline_name="recency",
        higher_is_better=True,
        train_size=fitted.train_size,
        test_size=len(rows),
        details={"churn_rate": round(float(labels.mean()), 4), "horizon_days": HORIZON_DAYS},
    )


def evaluate(*, business, now: datetime) -> list[Evaluation]:
    """The churn model against recency; empty when the salon is too new for a model."""
    with business_scope(business):
        histories = visit_history(business=business, now=now)
    found = churn_evaluation(histories=histories, now_day=day_of(now))
    return [found] if found is not None else []
