from django.contrib import admin

from .models import AIDraft, AssistUsage


@admin.register(AIDraft)
class AIDraftAdmin(admin.ModelAdmin):
    list_display = ("purpose", "model_name", "drafted_at", "field_name", "reviewed_at")
    list_filter = ("purpose", "model_name")
    readonly_fields = [field.name for field in AIDraft._meta.fields]
    raw_id_fields = ("requested_by", "reviewed_by", "reviewer_organisation")

    def has_add_permission(self, request):
        return False


@admin.register(AssistUsage)
class AssistUsageAdmin(admin.ModelAdmin):
    list_display = ("day", "user", "calls")
    list_filter = ("day",)
    raw_id_fields = ("user",)
