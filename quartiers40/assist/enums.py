from django.db import models
from django.utils.translation import gettext_lazy as _


class DraftPurpose(models.TextChoices):
    SUMMARY = "summary", _("Résumé en français facile")
    MINUTES = "minutes", _("Synthèse d'un compte rendu")
    EDITORIAL = "editorial", _("Éditorial du bilan trimestriel")
    TRANSLATION = "translation", _("Traduction")
