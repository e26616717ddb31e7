from django.contrib import admin

from solibook.reviews.models import Review, ReviewReport


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ("id", "business", "rating", "author_name", "status", "created_at")
    list_filter = ("status", "rating")
    search_fields = ("author_name", "text", "business__name")
    raw_id_fields = ("appointment", "author", "replied_by", "moderated_by", "location", "business")


@admin.register(ReviewReport)
class ReviewReportAdmin(admin.ModelAdmin):
    list_display = ("id", "review", "reason", "created_at", "resolved_at", "resolution")
    list_filter = ("reason", "resolution")
    raw_id_fields = ("review", "reporter", "business")
