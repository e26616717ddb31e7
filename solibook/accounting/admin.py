"""Platform staff can look, not write: every change goes through
`accounting.services`, which posts the matching ledger transaction."""

from django.contrib import admin

from solibook.accounting.models import (
    BudgetLine,
    CommissionRule,
    Expense,
    ExpenseCategory,
    PayStatement,
    Supplier,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Expense)
class ExpenseAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "business",
        "incurred_on",
        "description",
        "amount",
        "currency",
        "status",
        "ledger_transaction_id",
    ]
    list_filter = ["status", "paid_from", "currency"]
    search_fields = ["description", "reference"]
    raw_id_fields = ["business", "location", "category", "supplier", "created_by"]


@admin.register(PayStatement)
class PayStatementAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "business",
        "master",
        "period_start",
        "period_end",
        "total",
        "currency",
        "status",
    ]
    list_filter = ["status"]
    raw_id_fields = ["business", "master", "created_by"]


@admin.register(ExpenseCategory)
class ExpenseCategoryAdmin(ReadOnlyAdmin):
    list_display = ["name", "business", "code", "fec_account", "is_active"]
    search_fields = ["name", "code"]


@admin.register(Supplier)
class SupplierAdmin(ReadOnlyAdmin):
    list_display = ["name", "business", "tax_id", "is_active"]
    search_fields = ["name", "tax_id"]


@admin.register(BudgetLine)
class BudgetLineAdmin(ReadOnlyAdmin):
    list_display = ["business", "category", "location", "month", "amount", "currency"]


@admin.register(CommissionRule)
class CommissionRuleAdmin(ReadOnlyAdmin):
    list_display = ["business", "master", "kind", "rate_bp", "amount", "valid_from", "valid_until"]
    list_filter = ["kind"]
