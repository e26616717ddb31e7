"""Every write to appointments. Pages and API call these functions.

- `lock_recount_write`: the steps every calendar write shares (locks in a fixed
  order, the recount under them, segments, the event and outbox row).
- `placing`: booking a visit or a hold (check, then lock, recount, write), front-desk status.
- `changes`: confirming a hold, cancelling, moving (frees time for the waitlist).
- `waitlist`: joining, leaving, offering freed time.
- `recurring`: a series every N weeks.
- `desk`: the front desk books a client card of the business (never a user account).
"""

from solibook.booking.services.changes import (
    appointment_cancel,
    appointment_confirm,
    appointment_deposit_paid,
    appointment_deposit_waive,
    appointment_expire_unpaid,
    appointment_reschedule,
)
from solibook.booking.services.desk import (
    appointment_create_at_desk,
    appointment_series_create_at_desk,
)
from solibook.booking.services.front_desk import (
    appointment_resize,
    blocked_time_add,
    blocked_time_remove,
)
from solibook.booking.services.late_deposit import appointment_deposit_paid_late
from solibook.booking.services.lock_recount_write import slot_as_dict
from solibook.booking.services.placing import (
    HOLD_MINUTES,
    appointment_create,
    appointment_set_status,
    slots_available,
)
from solibook.booking.services.recurring import SeriesReport, appointment_series_create
from solibook.booking.services.waitlist import (
    OFFER_MINUTES,
    waitlist_join,
    waitlist_leave,
    waitlist_offer,
)

__all__ = [
    "HOLD_MINUTES",
    "OFFER_MINUTES",
    "SeriesReport",
    "appointment_cancel",
    "appointment_confirm",
    "appointment_create",
    "appointment_create_at_desk",
    "appointment_deposit_paid",
    "appointment_deposit_waive",
    "appointment_deposit_paid_late",
    "appointment_expire_unpaid",
    "appointment_reschedule",
    "appointment_resize",
    "blocked_time_add",
    "blocked_time_remove",
    "appointment_series_create",
    "appointment_series_create_at_desk",
    "appointment_set_status",
    "slot_as_dict",
    "slots_available",
    "waitlist_join",
    "waitlist_leave",
    "waitlist_offer",
]
