"""What `make evaluate` reports: one model against its naive baseline on held-out data.

Every area with a model has an `evaluation.py` whose `evaluate(*, business, now)` fits
on the data before a cut-off, scores on the data after it, and returns `Evaluation`s.
The runner (`make evaluate`) prints them and keeps them in `bench/results/`; each area's
tests fail when its model stops beating its baseline on the synthetic salon.
"""

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Evaluation:
    area: str  # the app label, e.g. "forecasting"
    name: str  # what is predicted, e.g. "demand per service × day"
    metric: str  # e.g. "WAPE", "hit@5", "ROC-AUC", "macro-F1"
    model: float  # the model's score on the held-out data
    baseline: float  # the naive baseline's score on the same data
    baseline_name: str  # e.g. "seasonal naive", "popularity", "recency"
    higher_is_better: bool
    train_size: int
    test_size: int
    details: dict = field(default_factory=dict)  # per language, per segment…

    @property
    def beats_baseline(self) -> bool:
        if self.higher_is_better:
            return self.model > self.baseline
        return self.model < self.baseline

    def as_dict(self) -> dict:
        return {**asdict(self), "beats_baseline": self.beats_baseline}
