"""Follows, preferences, events recorded once, and the health of each address.

The target of a follow (and of an event) is generic: a content type and the object's key as
text (a commune's key is its INSEE code, the others are integers). See
docs/notifications.md for why, and why events are fanned out from the follows at digest
time rather than copied per person when they happen.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import DEFAULT_FREQUENCY, KIND_CHOICES, Category, Frequency

# What can be followed, by "app_label.model" (checked by follow_create).
FOLLOWABLE = (
    "projects.project",
    "challenges.challenge",
    "meetings.edition",
    "meetings.series",
    "members.organisation",
    "territories.qpv",
    "territories.commune",
)


class Follow(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=40)
    created_at = models.DateTimeField(_("suivi depuis le"), auto_now_add=True)

    class Meta:
        verbose_name = _("abonnement")
        verbose_name_plural = _("abonnements")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "content_type", "object_id"], name="unique_follow"
            )
        ]
        # Who follows this target (the digest joins events' targets to follows on it).
        indexes = [models.Index(fields=["content_type", "object_id", "user"])]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.content_type_id}:{self.object_id}"


class NotificationPreference(models.Model):
    """A frequency chosen for one category; no row means DEFAULT_FREQUENCY."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    category = models.CharField(_("catégorie"), max_length=20, choices=Category.choices)
    frequency = models.CharField(
        _("fréquence"), max_length=10, choices=Frequency.choices, default=DEFAULT_FREQUENCY
    )

    class Meta:
        verbose_name = _("préférence de notification")
        verbose_name_plural = _("préférences de notification")
        constraints = [
            models.UniqueConstraint(fields=["user", "category"], name="unique_preference")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.category}: {self.frequency}"


class Recipient(models.Model):
    """Per person: the language of their messages and how far each digest has gone."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_state"
    )
    # One of settings.LANGUAGES (checked by the services; no choices here, so a new
    # interface language needs no migration).
    language = models.CharField(_("langue des messages"), max_length=8, default="fr")
    # Events up to these moments were in a digest (or were not wanted): a digest covers
    # what came after, so a missed run loses nothing and a second run sends nothing.
    daily_until = models.DateTimeField(null=True, blank=True)
    weekly_until = models.DateTimeField(null=True, blank=True)
    # The Nouveautés page was read up to here (its count in the header is what came after).
    seen_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("destinataire")
        verbose_name_plural = _("destinataires")

    def __str__(self) -> str:
        return f"{self.user_id} ({self.language})"


class Event(models.Model):
    """Something that happened, recorded once whatever the number of people it concerns."""

    kind = models.CharField(_("type"), max_length=32, choices=KIND_CHOICES)
    category = models.CharField(_("catégorie"), max_length=20, choices=Category.choices)
    # The item it is about (a project, an opportunity...), with what a message says of it,
    # as it was when it happened.
    item_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    item_id = models.CharField(max_length=40)
    title = models.CharField(_("titre"), max_length=300)
    summary = models.CharField(_("résumé"), max_length=500, blank=True)
    path = models.CharField(_("adresse"), max_length=500)
    created_at = models.DateTimeField(_("le"), db_index=True)

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("événements")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.title}"


class EventTarget(models.Model):
    """A followable thing the event concerns (its QPVs, communes, organisation, the item)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="targets")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=40)
    created_at = models.DateTimeField()  # the event's, so the digest's join reads one index

    class Meta:
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "content_type", "object_id"], name="unique_event_target"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.content_type_id}:{self.object_id}"


class EventRecipient(models.Model):
    """A person the event is for by name (their own item, a suggestion, the team's queue)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "created_at"])]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="unique_event_recipient")
        ]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.user_id}"


class EmailAddressHealth(models.Model):
    """Deliveries that finally failed in a row; past NOTIFICATIONS_FAILING_AFTER, no more
    notifications go to the address (messages that ask for an action still try)."""

    email = models.EmailField(_("adresse e-mail"), unique=True)
    failures = models.PositiveIntegerField(_("échecs de suite"), default=0)
    failing = models.BooleanField(_("en échec"), default=False, db_index=True)
    last_error = models.CharField(_("dernière erreur"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("santé d'une adresse e-mail")
        verbose_name_plural = _("santé des adresses e-mail")

    def __str__(self) -> str:
        return self.email
