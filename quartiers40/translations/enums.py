from django.db import models
from django.utils.translation import gettext_lazy as _


class TranslationSource(models.TextChoices):
    """Who wrote a translation first. An AI draft names its model (`model_name`) and is
    shown only once a person has reviewed it (`reviewed_at`)."""

    PERSON = "person", _("Une personne")
    AI = "ai", _("L'aide à la rédaction (IA)")
