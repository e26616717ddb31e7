"""Signals the catalogue sends to the areas above it (which import it, never the reverse)."""

from django.dispatch import Signal

# Sent with `business=` inside the transaction that creates a business (and by
# `catalog.services.business_settings_create` for rows made another way, e.g. test
# factories): every area with a per-business settings row creates it then, so a
# read of that row is a plain get(). Receivers must be idempotent.
business_created = Signal()
