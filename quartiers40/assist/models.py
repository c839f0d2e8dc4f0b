"""What the AI drafted, who reviewed and accepted it, and how many calls were made a day."""

import hashlib

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import DraftPurpose


def text_hash(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()


class AIDraftQuerySet(models.QuerySet):
    def accepted(self) -> "AIDraftQuerySet":
        return self.filter(reviewed_at__isnull=False, object_id__isnull=False)

    def for_object(self, target: models.Model) -> "AIDraftQuerySet":
        return self.filter(
            content_type=ContentType.objects.get_for_model(target), object_id=target.pk
        )


class AIDraft(models.Model):
    """One text an AI model proposed; accepted when a person saved it (edited or not).

    Until accepted, `content_type`/`object_id` may be empty (a project not created yet).
    Once accepted, it is the provenance of `field_name` on its object: the label
    « Proposé par une IA (model), relu par … le … » and the `ai_provenance` of exports and
    the API come from it. The newest accepted draft of a field is the one shown.
    """

    purpose = models.CharField(_("usage"), max_length=20, choices=DraftPurpose.choices)
    model_name = models.CharField(_("modèle"), max_length=120)
    text = models.TextField(_("texte proposé"))
    drafted_at = models.DateTimeField(_("proposé le"), default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("demandé par"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    field_name = models.CharField(_("champ"), max_length=64, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("relu par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewer_organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("organisation qui a relu"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("relu et accepté le"), null=True, blank=True)
    accepted_text_hash = models.CharField(
        _("empreinte du texte accepté"), max_length=64, blank=True
    )

    objects = AIDraftQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposition de l'IA")
        verbose_name_plural = _("propositions de l'IA")
        ordering = ["-reviewed_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "field_name"])]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.model_name}, {self.drafted_at:%Y-%m-%d})"

    @property
    def is_accepted(self) -> bool:
        return self.reviewed_at is not None


class AssistUsage(models.Model):
    """Calls made to the AI API by one person on one day (the daily budgets count these)."""

    day = models.DateField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    calls = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("usage de l'IA")
        verbose_name_plural = _("usages de l'IA")
        constraints = [
            models.UniqueConstraint(fields=["day", "user"], name="assist_usage_one_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.day}: {self.calls}"
