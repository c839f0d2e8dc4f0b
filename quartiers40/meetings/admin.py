from django.contrib import admin

from .models import (
    ActionItem,
    AgendaItem,
    Edition,
    EditionResource,
    PitchApplication,
    Registration,
    Series,
)


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "organisation", "status", "created_at")
    list_filter = ("kind", "status")
    search_fields = ("name", "organisation__name")
    raw_id_fields = ("organisation", "created_by", "decided_by")
    readonly_fields = ("decided_by", "decided_at", "created_at")


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    raw_id_fields = ("project", "challenge", "pitch")


class ActionItemInline(admin.TabularInline):
    model = ActionItem
    extra = 0
    fields = ("title", "owner_organisation", "owner_user", "due_date", "status")
    raw_id_fields = ("owner_organisation", "owner_user")


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ("title", "series", "starts_at", "format", "status")
    list_filter = ("status", "format", "series")
    search_fields = ("title",)
    date_hierarchy = "starts_at"
    filter_horizontal = ("organisers",)
    readonly_fields = ("registration_sequence", "published_at", "cancelled_at", "created_at")
    inlines = [AgendaItemInline, ActionItemInline]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    """Read-mostly: seats change through the services (capacity and waiting list)."""

    list_display = ("name", "edition", "attendance", "status", "sequence", "created_at")
    list_filter = ("status", "attendance", "edition")
    search_fields = ("name", "email", "user__email")
    raw_id_fields = ("edition", "user", "registered_by")
    readonly_fields = (
        "token",
        "status",
        "sequence",
        "offered_at",
        "offer_expires_at",
        "confirmed_at",
        "cancelled_at",
        "email_confirmed_at",
        "checked_in_at",
        "reminder_sent_at",
        "created_at",
    )


@admin.register(PitchApplication)
class PitchApplicationAdmin(admin.ModelAdmin):
    list_display = ("__str__", "edition", "speaker_name", "status", "created_at")
    list_filter = ("status",)
    raw_id_fields = ("edition", "project", "challenge", "submitted_by")


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ("title", "edition", "owner_organisation", "owner_user", "due_date", "status")
    list_filter = ("status",)
    search_fields = ("title",)
    raw_id_fields = ("edition", "owner_organisation", "owner_user", "project", "challenge")


@admin.register(EditionResource)
class EditionResourceAdmin(admin.ModelAdmin):
    list_display = ("title", "edition", "kind", "created_at")
    raw_id_fields = ("edition", "created_by")
