from django.contrib import admin

from solibook.referrals.models import (
    Commission,
    Partner,
    Referral,
    ReferralCode,
    ReferralProgramme,
    Reward,
    SalonInvite,
    Statement,
)


@admin.register(ReferralProgramme)
class ReferralProgrammeAdmin(admin.ModelAdmin):
    list_display = (
        "business",
        "is_active",
        "friend_reward_kind",
        "referrer_reward_kind",
        "monthly_cap",
        "lifetime_cap",
        "review_days",
    )


@admin.register(ReferralCode)
class ReferralCodeAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "business",
        "owner",
        "partner",
        "campaign",
        "is_active",
        "posted_publicly",
        "expires_at",
    )
    list_filter = ("posted_publicly", "is_active")
    search_fields = ("code",)


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "business",
        "referrer",
        "friend",
        "status",
        "reasons",
        "household_exception",
    )
    list_filter = ("status",)
    readonly_fields = (
        "code",
        "referrer",
        "friend",
        "partner",
        "appointment",
        "ip",
        "agent_hash",
        "device",
        "reasons",
        "paid_amount",
        "paid_at",
    )


@admin.register(Reward)
class RewardAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "business",
        "role",
        "beneficiary",
        "kind",
        "value",
        "currency",
        "available_at",
        "granted_at",
        "clawed_back_at",
    )


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "business",
        "user",
        "status",
        "commission_kind",
        "commission_percent",
        "commission_fixed",
    )
    list_filter = ("status",)


@admin.register(Commission)
class CommissionAdmin(admin.ModelAdmin):
    list_display = ("earned_at", "partner", "amount", "currency", "statement", "clawed_back_at")


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = ("month", "partner", "total", "currency", "paid_at", "payout_reference")


@admin.register(SalonInvite)
class SalonInviteAdmin(admin.ModelAdmin):
    list_display = ("code", "inviter", "email", "invitee", "credit_amount", "currency", "live_at")
