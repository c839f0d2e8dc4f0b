from django.contrib import admin

from .models import Match


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin):
    list_display = ("created_at", "context", "kind", "suggested_key", "subject_key", "viewer_key")
    list_display += ("shown_count", "opened_count", "feedback", "step", "outcome")
    list_filter = ("context", "kind", "feedback", "step", "outcome")
    search_fields = ("suggested_key", "subject_key", "explanation")
    raw_id_fields = (
        "user",
        "subject_challenge",
        "subject_project",
        "subject_edition",
        "subject_organisation",
        "project",
        "organisation",
        "opportunity",
        "challenge",
        "qpv",
        "pitch",
        "offer",
        "interest",
        "registration",
        "outcome_project",
    )
    readonly_fields = ("reasons", "explanation", "created_at", "last_shown_at", "linked_at")
