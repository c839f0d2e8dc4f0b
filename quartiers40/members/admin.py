from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from quartiers40.core.forms import error_text

from . import services
from .models import (
    ApiToken,
    Invitation,
    MembershipRequest,
    Organisation,
    OrganisationMembership,
    User,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = [
        "email",
        "display_name",
        "is_resident",
        "is_coordinator",
        "email_verified_at",
        "is_active",
    ]
    list_filter = ["is_coordinator", "is_resident", "profile_public", "is_staff", "is_active"]
    search_fields = ["email", "display_name"]
    readonly_fields = ["last_login", "date_joined", "deleted_at"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profil"), {"fields": ("display_name", "phone", "bio", "is_resident")}),
        (
            _("Visibilité"),
            {"fields": ("profile_public", "show_email_to_members", "show_phone_to_members")},
        ),
        (
            _("Rôles"),
            {"fields": ("is_active", "is_coordinator", "is_staff", "is_superuser", "groups")},
        ),
        (_("Dates"), {"fields": ("email_verified_at", "last_login", "date_joined", "deleted_at")}),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("email", "display_name", "password1", "password2")},
        ),
    )


class MembershipInline(admin.TabularInline):
    model = OrganisationMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "status", "department_code", "commune_name", "joined_at"]
    list_filter = ["status", "kind", "department_code"]
    search_fields = ["name", "commune_name", "siret", "rna"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["qpvs"]
    inlines = [MembershipInline]
    readonly_fields = ["created_at", "updated_at"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(OrganisationMembership)
class OrganisationMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__display_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]


@admin.register(MembershipRequest)
class MembershipRequestAdmin(admin.ModelAdmin):
    list_display = ["organisation", "requester", "status", "created_at", "decided_by", "decided_at"]
    list_filter = ["status", "organisation__kind"]
    search_fields = ["organisation__name", "requester__email", "requester__display_name"]
    readonly_fields = ["status", "decided_by", "decided_at", "created_at"]
    autocomplete_fields = ["requester", "organisation"]
    actions = ["accept_requests"]

    @admin.action(description=_("Accepter les demandes sélectionnées"))
    def accept_requests(self, request, queryset):
        accepted = 0
        for membership_request in queryset.pending():
            try:
                services.membership_request_accept(request=membership_request, actor=request.user)
            except ValidationError as error:
                self.message_user(request, error_text(error), messages.ERROR)
            else:
                accepted += 1
        self.message_user(request, _("%(count)d demande(s) acceptée(s).") % {"count": accepted})


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "organisation",
        "role",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    ]
    list_filter = ["role"]
    search_fields = ["email", "organisation__name"]
    readonly_fields = ["token"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at"]
    search_fields = ["name", "user__email", "prefix"]
    readonly_fields = ["prefix", "key_hash", "created_at", "last_used_at"]
