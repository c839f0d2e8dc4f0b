from django.contrib import admin

from .models import Project, ProjectDocument, ProjectFollow, ProjectImage, ProjectUpdate


class ProjectImageInline(admin.TabularInline):
    model = ProjectImage
    extra = 0


class ProjectDocumentInline(admin.TabularInline):
    model = ProjectDocument
    extra = 0


class ProjectUpdateInline(admin.TabularInline):
    model = ProjectUpdate
    extra = 0
    can_delete = False
    readonly_fields = ["created_at", "changed_fields", "actor"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "carrier", "status", "stage", "ai_category", "last_updated_at"]
    list_filter = [
        "status",
        "stage",
        "ai_category",
        "processes_personal_data",
        "carrier__kind",
        "easy_to_read",
    ]
    search_fields = ["title", "summary", "carrier__name", "slug"]
    list_select_related = ["carrier"]
    raw_id_fields = ["qpvs", "carrier", "created_by"]
    filter_horizontal = ["partners"]
    readonly_fields = [
        "created_at",
        "last_updated_at",
        "submitted_at",
        "published_at",
        "archived_at",
        "freshness_reminded_at",
        "easy_to_read",  # set by the services (docs/plain-language.md)
    ]
    date_hierarchy = "last_updated_at"
    inlines = [ProjectImageInline, ProjectDocumentInline, ProjectUpdateInline]


@admin.register(ProjectFollow)
class ProjectFollowAdmin(admin.ModelAdmin):
    list_display = ["user", "project", "created_at"]
    raw_id_fields = ["user", "project"]
    search_fields = ["project__title", "user__email"]
