from django.contrib import admin

from solibook.notifications.models import CalendarFeedToken, Notification, SalonNotificationSettings


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
