from django.contrib import admin

from solibook.offers.models import OffPeakRule, PromoCode, Redemption


@admin.register(OffPeakRule)
class OffPeakRuleAdmin(admin.ModelAdmin):
    list_display = ("id", "business", "discount_percent", "start", "end", "is_active")
    raw_id_fields = ("business", "location")


@admin.register(PromoCode)
class PromoCodeAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "business",
        "discount_percent",
        "discount_amount",
        "currency",
        "redeemed_count",
        "max_redemptions",
        "is_active",
    )
    search_fields = ("code", "business__name")
    readonly_fields = ("redeemed_count",)
    raw_id_fields = ("business",)


@admin.register(Redemption)
class RedemptionAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "appointment",
        "kind",
        "promo",
        "discount_amount",
        "currency",
        "is_active",
    )
    raw_id_fields = ("business", "appointment", "promo", "rule", "account")
