from django.db import models
from django.utils.translation import gettext_lazy as _

# Défis use the same theme code list as projects.
from quartiers40.projects.enums import Theme  # noqa: F401


class ChallengeStatus(models.TextChoices):
    OPEN = "open", _("Ouvert")
    BEING_ADDRESSED = "being_addressed", _("En cours de traitement")
    SOLVED = "solved", _("Résolu")
    CLOSED = "closed", _("Fermé sans solution")


class ModerationState(models.TextChoices):
    PENDING = "pending", _("En attente de modération")
    VISIBLE = "visible", _("Visible")
    HIDDEN = "hidden", _("Masqué")


class OfferState(models.TextChoices):
    PENDING = "pending", _("En attente de réponse")
    ACCEPTED = "accepted", _("Acceptée")
    DECLINED = "declined", _("Déclinée")
    WITHDRAWN = "withdrawn", _("Retirée")


class ReportTarget(models.TextChoices):
    CHALLENGE = "challenge", _("Défi")
    COMMENT = "comment", _("Commentaire")
