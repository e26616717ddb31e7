from django.contrib import admin

from solibook.clients.models import Client, ClientConsent, ImportJob, Segment


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ("id", "business", "first_name", "last_name", "phone", "email", "erased_at")
    list_filter = ("business",)
    search_fields = ("first_name", "last_name", "email", "phone")
    raw_id_fields = ("user", "preferred_master", "business")


@admin.register(ClientConsent)
class ClientConsentAdmin(admin.ModelAdmin):
    list_display = ("client", "kind", "granted", "recorded_at", "source")
    raw_id_fields = ("client", "recorded_by", "business")


@admin.register(Segment)
class SegmentAdmin(admin.ModelAdmin):
    list_display = ("name", "business")


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "business",
        "file_name",
        "state",
        "total_rows",
        "processed_rows",
        "created_count",
        "error_count",
    )
    exclude = ("content",)
