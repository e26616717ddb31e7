from django.contrib import admin

from solibook.core.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "business", "actor", "object_type", "object_id"]
    list_filter = ["action"]
    search_fields = ["action", "object_id", "actor__email"]
    raw_id_fields = ["business", "actor"]

    def has_change_permission(self, request, obj=None):
        return False  # append-only

    def has_delete_permission(self, request, obj=None):
        return False
