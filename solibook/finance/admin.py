"""Platform staff see the money records read-only: the ledger is append-only
and every other record changes only through the services."""

from django.contrib import admin

from solibook.finance.models import (
    Checkout,
    GiftCard,
    LedgerEntry,
    LedgerTransaction,
    Payment,
    Refund,
)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EntryInline(admin.TabularInline):
    model = LedgerEntry
    fields = ("account", "amount", "currency", "location", "master", "user")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(LedgerTransaction)
class LedgerTransactionAdmin(ReadOnly):
    list_display = ("id", "business", "kind", "memo", "occurred_at")
    list_filter = ("kind",)
    search_fields = ("memo", "reference")
    inlines = [EntryInline]


@admin.register(Checkout)
class CheckoutAdmin(ReadOnly):
    list_display = ("number", "business", "total", "currency", "status", "created_at")


@admin.register(Payment)
class PaymentAdmin(ReadOnly):
    list_display = (
        "id",
        "business",
        "purpose",
        "tender",
        "state",
        "amount",
        "currency",
        "created_at",
    )
    list_filter = ("purpose", "state", "tender")


@admin.register(Refund)
class RefundAdmin(ReadOnly):
    list_display = ("id", "business", "payment", "amount", "reason", "state", "created_at")


@admin.register(GiftCard)
class GiftCardAdmin(ReadOnly):
    list_display = (
        "id",
        "business",
        "balance",
        "initial_amount",
        "currency",
        "expires_at",
        "expired",
    )
