from django.contrib import admin

from solibook.loyalty.models import (
    BadgeAward,
    Challenge,
    PointsTransaction,
    Programme,
    Tier,
    WalletTransaction,
)


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = (
        "business",
        "is_active",
        "earn_mode",
        "points_per_unit",
        "point_value",
        "expiry_days",
    )


@admin.register(Tier)
class TierAdmin(admin.ModelAdmin):
    list_display = ("business", "name", "min_points", "earn_multiplier_percent", "discount_percent")


@admin.register(Challenge)
class ChallengeAdmin(admin.ModelAdmin):
    list_display = ("business", "name", "metric", "target", "reward_points", "starts_on", "ends_on")


class ReadOnly(admin.ModelAdmin):
    """Ledger rows are append-only: the admin shows them, never edits them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PointsTransaction)
class PointsTransactionAdmin(ReadOnly):
    list_display = ("created_at", "business", "account", "kind", "points", "expires_at", "key")
    list_filter = ("kind",)


@admin.register(WalletTransaction)
class WalletTransactionAdmin(ReadOnly):
    list_display = ("created_at", "account", "kind", "amount", "available_at", "business", "key")
    list_filter = ("kind",)


@admin.register(BadgeAward)
class BadgeAwardAdmin(ReadOnly):
    list_display = ("awarded_at", "business", "client", "badge")
