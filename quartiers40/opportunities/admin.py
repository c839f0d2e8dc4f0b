"""The coordination team's admin of opportunities, imported structures and interests.

The admin is for staff only; interests hold residents' contacts, which staff read here as
the coordination does on the pages (`permissions.can_view_interest_contact`).
"""

from django.contrib import admin
from django.db import models

from .models import (
    ImportedStructure,
    Opportunity,
    OpportunityInterest,
    OpportunityPlace,
    OpportunitySession,
)

# Django 6 reads a typed link as https: say it now (as members/admin.py does).
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}
IMPORT_FIELDS = ["source", "source_id", "source_url", "source_updated_on", "last_seen_at"]


class OpportunityPlaceInline(admin.TabularInline):
    model = OpportunityPlace
    extra = 0
    fields = [
        "name",
        "address",
        "postcode",
        "commune_code",
        "commune_name",
        "longitude",
        "latitude",
        "geocoding",
    ]
    readonly_fields = ["geocoding"]


class OpportunitySessionInline(admin.TabularInline):
    model = OpportunitySession
    extra = 0


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = [
        "title",
        "kind",
        "status",
        "provider",
        "source",
        "is_fictional",
        "last_updated_at",
    ]
    list_filter = [
        "status",
        "kind",
        "source",
        "is_fictional",
        "cost",
        "is_remote",
        "qpv_priority",
        "easy_to_read",
    ]
    search_fields = [
        "title",
        "summary",
        "slug",
        "organisation__name",
        "structure__name",
        "source_id",
    ]
    list_select_related = ["organisation", "structure"]
    raw_id_fields = ["organisation", "structure", "created_by"]
    readonly_fields = [
        *IMPORT_FIELDS,
        "withdrawn_from_source",
        "easy_to_read",  # set by the services (docs/plain-language.md)
        "created_at",
        "last_updated_at",
        "published_at",
        "expired_at",
        "withdrawn_at",
        "freshness_reminded_at",
    ]
    date_hierarchy = "last_updated_at"
    inlines = [OpportunityPlaceInline, OpportunitySessionInline]

    @admin.display(description="fournisseur")
    def provider(self, obj: Opportunity) -> str:
        return obj.provider_name


@admin.register(ImportedStructure)
class ImportedStructureAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["name", "source", "source_id", "commune_name", "is_fictional", "last_seen_at"]
    list_filter = ["source", "is_fictional"]
    search_fields = ["name", "source_id", "siret", "commune_name"]
    readonly_fields = ["source", "source_id", "source_url", "updated_on", "last_seen_at"]


@admin.register(OpportunityInterest)
class OpportunityInterestAdmin(admin.ModelAdmin):
    list_display = ["opportunity", "name", "status", "created_at", "outcome_at"]
    list_filter = ["status"]
    search_fields = ["opportunity__title", "reference", "name", "email"]
    list_select_related = ["opportunity"]
    raw_id_fields = ["opportunity", "person", "registered_by"]
    readonly_fields = ["reference", "consent_at", "created_at", "outcome_at"]
    date_hierarchy = "created_at"
