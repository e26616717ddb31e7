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

    def as_dict(self, *, price_amount: int, at: datetime | None = None) -> dict:
        """The rule, and (with `at`) what cancelling at that moment means:
        `free_now` is false once `free_until` has passed, and `fee_now_amount`
        is then the fee that applies (a page never says "free until" a past time)."""
        out = {
            "free_until": self.free_until.isoformat(),
            "late_fee_percent": self.late_fee_percent,
            "late_fee_amount": price_amount * self.late_fee_percent // 100,
        }
        if at is not None:
            out["free_now"] = not self.is_late(at)
            out["fee_now_amount"] = self.fee(price_amount=price_amount, at=at)
        return out


def cancellation_policy(*, business, starts_at: datetime) -> CancellationPolicy:
    return CancellationPolicy(
        free_until=starts_at - timedelta(hours=business.cancellation_window_hours),
        late_fee_percent=business.cancellation_fee_percent,
    )
