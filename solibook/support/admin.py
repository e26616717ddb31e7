from django.contrib import admin

from solibook.support.models import CannedReply, Ticket


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = ["id", "subject", "status", "priority", "source", "language", "created_at"]
    list_filter = ["status", "priority", "source", "language"]
    search_fields = ["subject", "requester_email"]
    readonly_fields = ["token"]
    raw_id_fields = ["requester_account", "business", "assignee"]


@admin.register(CannedReply)
class CannedReplyAdmin(admin.ModelAdmin):
    list_display = ["title", "created_at"]
