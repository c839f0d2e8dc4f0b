from django.contrib import admin

from .models import ContentTranslation


@admin.register(ContentTranslation)
class ContentTranslationAdmin(admin.ModelAdmin):
    list_display = ("content_type", "object_id", "field", "language", "source", "reviewed_at")
    list_filter = ("language", "source", "content_type")
    search_fields = ("text",)
    raw_id_fields = ("written_by", "reviewed_by")
    readonly_fields = ("created_at", "updated_at")
