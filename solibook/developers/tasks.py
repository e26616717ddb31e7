"""Background work of the developers area (Django tasks API): one webhook pass,
safe to run twice or beside `run_webhooks` (claims with leases, unique keys).
The task lives beside the code that enqueues it."""

from solibook.developers.delivery import webhooks_pump

__all__ = ["webhooks_pump"]
