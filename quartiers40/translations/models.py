"""One translation of one field of one object into one language."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import TranslationSource


class ContentTranslationQuerySet(models.QuerySet):
    def reviewed(self):
        """What a page may show: written by a person, or an AI draft a person reviewed."""
        return self.filter(reviewed_at__isnull=False)

    def of_model(self, model: type[models.Model]):
        return self.filter(
            content_type=ContentType.objects.get_for_model(model, for_concrete_model=False)
        )

    def of(self, obj: models.Model):
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            object_id=obj.pk,
        )


class ContentTranslation(models.Model):
    """The text of `field` of `content_object` in `language`. The original is the object's
    own field, in the site's language (French); it is never stored here."""

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("type de contenu"), on_delete=models.CASCADE
    )
    object_id = models.PositiveBigIntegerField(_("identifiant du contenu"))
    content_object = GenericForeignKey("content_type", "object_id")
    field = models.CharField(_("champ"), max_length=60)
    language = models.CharField(_("langue"), max_length=10)  # a code of settings.LANGUAGES
    text = models.TextField(_("texte traduit"), max_length=20000)
    source = models.CharField(
        _("origine"),
        max_length=10,
        choices=TranslationSource.choices,
        default=TranslationSource.PERSON,
    )
    # The hook for the AI help (`assist_translate()`): the model that drafted the text.
    model_name = models.CharField(_("modèle d'IA"), max_length=200, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("écrit par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("relu par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("relu le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = ContentTranslationQuerySet.as_manager()

    class Meta:
        verbose_name = _("traduction d'un contenu")
        verbose_name_plural = _("traductions des contenus")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "language"],
                name="translation_unique_per_object_field_language",
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id", "language"])]

    def __str__(self) -> str:
        return f"{self.content_type.model} {self.object_id} {self.field} [{self.language}]"

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_at is not None
