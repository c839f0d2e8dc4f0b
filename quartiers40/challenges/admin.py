from django.contrib import admin

from .models import (
    Challenge,
    ChallengeAttachment,
    ChallengeComment,
    ChallengeOffer,
    ChallengeReport,
    ChallengeStatusChange,
)


class AttachmentInline(admin.TabularInline):
    model = ChallengeAttachment
    extra = 0


class StatusChangeInline(admin.TabularInline):
    model = ChallengeStatusChange
    extra = 0
    readonly_fields = ("from_status", "to_status", "note", "actor", "created_at")
    can_delete = False


@admin.register(Challenge)
class ChallengeAdmin(admin.ModelAdmin):
    """Read and correct; the workflow goes through the pages (services, log, e-mails)."""

    list_display = ("title", "status", "moderation", "supports_count", "department", "created_at")
    list_filter = ("status", "moderation", "on_behalf_of_resident", "easy_to_read")
    search_fields = ("title", "situation", "slug", "public_id")
    readonly_fields = (
        "public_id",
        "status",
        "moderation",
        "easy_to_read",  # set by the services (docs/plain-language.md)
        "supports_count",
        "merged_into",
        "resident_consent_at",
        "status_changed_at",
        "created_at",
        "updated_at",
    )
    raw_id_fields = ("author", "organisation", "outcome_project")
    filter_horizontal = ()
    autocomplete_fields = ()
    inlines = [AttachmentInline, StatusChangeInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation", "author")


@admin.register(ChallengeComment)
class ChallengeCommentAdmin(admin.ModelAdmin):
    list_display = ("__str__", "challenge", "created_at", "hidden")
    list_filter = ("hidden",)
    raw_id_fields = ("challenge", "author", "parent")


@admin.register(ChallengeOffer)
class ChallengeOfferAdmin(admin.ModelAdmin):
    list_display = ("challenge", "organisation", "state", "created_at")
    list_filter = ("state",)
    raw_id_fields = ("challenge", "organisation", "author", "project")


@admin.register(ChallengeReport)
class ChallengeReportAdmin(admin.ModelAdmin):
    list_display = ("__str__", "challenge", "target", "resolved", "created_at")
    list_filter = ("resolved", "target")
    raw_id_fields = ("challenge", "comment", "reporter", "resolved_by")
