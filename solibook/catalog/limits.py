"""Plan limits on what the catalogue creates (masters, locations).

The plans live above the catalogue (`billing`), so the catalogue asks through this
registry: `billing` registers its check when it loads, and catalog's creation
services call `check(business=..., what="masters")`, which raises the plan's
translated refusal (`core.errors.ValidationFailed`, code `plan_limit`)."""

from collections.abc import Callable

_CHECKS: list[Callable[..., None]] = []


def register(check: Callable[..., None]) -> None:
    if check not in _CHECKS:
        _CHECKS.append(check)


def check(*, business, what: str, adding: int = 1) -> None:
    for run in _CHECKS:
        run(business=business, what=what, adding=adding)
