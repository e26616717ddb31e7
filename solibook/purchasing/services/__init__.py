"""Every write of purchasing. Pages and API call these functions."""

from solibook.purchasing.services.invoices import invoice_pay, invoice_record
from solibook.purchasing.services.offers import (
    offer_create,
    offer_update,
    supplier_language,
    supplier_language_set,
)
from solibook.purchasing.services.orders import (
    order_cancel,
    order_create,
    order_email,
    order_line_set,
    order_send,
)
from solibook.purchasing.services.receiving import order_receive
from solibook.purchasing.services.reorder import orders_from_suggestions

__all__ = [
    "invoice_pay",
    "invoice_record",
    "offer_create",
    "offer_update",
    "order_cancel",
    "order_create",
    "order_email",
    "order_line_set",
    "order_send",
    "order_receive",
    "orders_from_suggestions",
    "supplier_language",
    "supplier_language_set",
]
