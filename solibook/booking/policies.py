"""Cancellation policy: computed from the business's rules, shown before the
client confirms, and applied the same way when they cancel."""

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class CancellationPolicy:
    free_until: datetime
    late_fee_percent: int

    def is_late(self, at: datetime) -> bool:
        return at > self.free_until

    def fee(self, *, price_amount: int, at: datetime) -> int:
        if not self.is_late(at):
            return 0
        return price_amount * self.late_fee_percent // 100

    def as_dict(self, *, price_amount: int) -> dict:
        return {
            "free_until": self.free_until.isoformat(),
            "late_fee_percent": self.late_fee_percent,
            "late_fee_amount": price_amount * self.late_fee_percent // 100,
        }


def cancellation_policy(*, business, starts_at: datetime) -> CancellationPolicy:
    return CancellationPolicy(
        free_until=starts_at - timedelta(hours=business.cancellation_window_hours),
        late_fee_percent=business.cancellation_fee_percent,
    )
