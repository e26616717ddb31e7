"""Where other apps plug their personal data into export and erasure.

Export needs nothing: `privacy.services.user_data_export` walks every model
with a foreign key to the user. Erasure needs each app's decision (delete the
row, blank a text, keep an amount): register a function in your AppConfig.ready:

    from solibook.privacy.registry import register_eraser
    register_eraser("reviews", reviews.services.reviews_erase_for_user)  # fn(*, user) -> None

It runs inside the erasure's transaction, with tenant scopes disabled.
"""

from collections.abc import Callable

_erasers: dict[str, Callable] = {}


def register_eraser(name: str, fn: Callable) -> None:
    _erasers[name] = fn


def erasers() -> dict[str, Callable]:
    return dict(_erasers)
