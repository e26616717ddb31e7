"""The churn model: logistic regression on the features of `retention.features`,
trained on the salon's own past (several cut-offs whose label windows are over),
and the recency rule it falls back to when the salon is too new to learn from.

Logistic regression rather than gradient boosting: on a few thousand rows a linear
model on well-chosen ratios is as good (see docs/retention.md for the measured
figures), trains in milliseconds on every page load's cache miss, and its output
is a calibrated probability.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
from sklearn.pipeline import make_pipeline  # type: ignore[import-untyped]
from sklearn.preprocessing import StandardScaler  # type: ignore[import-untyped]

from solibook.retention.features import HORIZON_DAYS, ClientHistory, training_set

# How many past cut-offs, a fortnight apart, the model learns from.
TRAINING_CUTOFFS = 8
CUTOFF_STEP_DAYS = 15.0
# Below these the salon is "too new": no probability, the recency rule only.
MIN_TRAINING_ROWS = 60
MIN_CLASS_ROWS = 15


@dataclass
class ChurnModel:
    pipeline: object
    train_size: int

    def predict(self, x: np.ndarray) -> np.ndarray:
        if len(x) == 0:
            return np.zeros(0)
        return self.pipeline.predict_proba(x)[:, 1]  # type: ignore[attr-defined]


def training_cutoffs(last_label_day: float) -> list[float]:
    """Cut-offs whose label window (HORIZON_DAYS after) ends by `last_label_day`."""
    first = last_label_day - HORIZON_DAYS
    return [first - k * CUTOFF_STEP_DAYS for k in range(TRAINING_CUTOFFS)]


def fit(histories: dict[int, ClientHistory], cutoffs: list[float]) -> ChurnModel | None:
    """The model trained at `cutoffs`, or None when there is too little to learn from."""
    x, y = training_set(histories, cutoffs)
    positives = int(y.sum())
    if len(y) < MIN_TRAINING_ROWS or min(positives, len(y) - positives) < MIN_CLASS_ROWS:
        return None
    pipeline = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=1000))
    pipeline.fit(x, y)
    return ChurnModel(pipeline, len(y))
