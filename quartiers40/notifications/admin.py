from django.contrib import admin

from .models import EmailAddressHealth, Event, Follow, NotificationPreference, Recipient


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ("user", "content_type", "object_id", "created_at")
    list_filter = ("content_type",)
    raw_id_fields = ("user",)


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "category", "frequency")
    list_filter = ("category", "frequency")
    raw_id_fields = ("user",)


@admin.register(Recipient)
class RecipientAdmin(admin.ModelAdmin):
    list_display = ("user", "language", "daily_until", "weekly_until")
    raw_id_fields = ("user",)


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "kind", "title")
    list_filter = ("kind", "category")
    search_fields = ("title",)


@admin.register(EmailAddressHealth)
class EmailAddressHealthAdmin(admin.ModelAdmin):
    list_display = ("email", "failures", "failing", "updated_at")
    list_filter = ("failing",)
    search_fields = ("email",)
