def billing_lock(request) -> dict:
    """The overdue invoice behind a read-only back office, for its banner."""
    return {"billing_lock": getattr(request, "billing_lock", None)}
