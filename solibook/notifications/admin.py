from django.contrib import admin

from solibook.notifications.models import (
    CalendarFeedToken,
    ChannelPreference,
    MessageTemplate,
    Notification,
    PushSubscription,
    SalonNotificationSettings,
)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["id", "business", "kind", "channel", "status", "due_at", "attempts", "sent_at"]
    list_filter = ["status", "kind", "channel"]
    search_fields = ["email", "phone", "provider_message_id"]
    raw_id_fields = ["appointment", "recipient", "business"]
    readonly_fields = ["created_at", "sent_at", "claimed_at", "provider_message_id", "last_error"]


@admin.register(CalendarFeedToken)
class CalendarFeedTokenAdmin(admin.ModelAdmin):
    list_display = ["id", "business", "master", "created_at", "revoked_at"]
    raw_id_fields = ["master", "business"]
    readonly_fields = ["token_hash"]


@admin.register(SalonNotificationSettings)
class SalonNotificationSettingsAdmin(admin.ModelAdmin):
    list_display = ["business", "reminder_minutes", "channels"]
    raw_id_fields = ["business"]


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    list_display = ["business", "kind", "channel", "language", "updated_at", "last_error_at"]
    list_filter = ["kind", "channel", "language"]
    raw_id_fields = ["business", "updated_by"]
    readonly_fields = ["last_error", "last_error_at"]


@admin.register(ChannelPreference)
class ChannelPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "business", "channels", "updated_at"]
    raw_id_fields = ["user", "business"]


@admin.register(PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["id", "user", "created_at", "last_success_at"]
    raw_id_fields = ["user"]
    readonly_fields = ["endpoint", "endpoint_hash", "p256dh", "auth", "user_agent"]
