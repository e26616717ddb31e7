from django.contrib import admin

from solibook.catalog.models import Business, Location


@admin.register(Business)
class BusinessAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "country", "currency", "is_listed", "created_at"]
    list_filter = ["country", "currency", "is_listed"]
    search_fields = ["name", "slug"]


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "business", "city", "country", "time_zone"]
    list_filter = ["country", "time_zone"]
    search_fields = ["name", "city", "business__name"]
    raw_id_fields = ["business"]
