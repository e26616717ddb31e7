"""Signals the booking engine sends, so other apps can follow its changes
without booking importing them (imports flow one way).

`appointment_changed` is sent inside the booking transaction, after the
appointment's segments are written, for every recorded change: placed,
confirmed, cancelled, moved, status (no-show, completed...). Arguments:
`appointment`, `kind` (the event kind) and `data` (the event's data; a move
carries the previous start as `data["from"]`). A receiver that raises rolls
the booking back: receivers keep to quick writes of derived data.
"""

from django.dispatch import Signal

appointment_changed = Signal()
