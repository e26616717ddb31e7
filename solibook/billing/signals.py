"""Billing's signals, for the areas above it.

- `invoice_issued(invoice, sources)`: sent inside the invoice's transaction with
  the sources of every charge it gathers (commissions marks its lines invoiced).
"""

from django.dispatch import Signal

invoice_issued = Signal()
