from django.db import models
from django.utils.translation import gettext_lazy as _


class SeriesKind(models.TextChoices):
    NATIONAL = "national", _("Rencontre nationale")
    LOCAL = "local", _("Rencontre locale")


class SeriesStatus(models.TextChoices):
    PENDING = "pending", _("En attente de validation")
    APPROVED = "approved", _("Validée")
    REFUSED = "refused", _("Refusée")


class EditionFormat(models.TextChoices):
    ON_SITE = "on_site", _("Sur place")
    ONLINE = "online", _("En ligne")
    HYBRID = "hybrid", _("Sur place et en ligne")


class EditionStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    PUBLISHED = "published", _("Publiée")
    CANCELLED = "cancelled", _("Annulée")


class Attendance(models.TextChoices):
    ON_SITE = "on_site", _("Sur place")
    ONLINE = "online", _("En ligne")


class RegistrationStatus(models.TextChoices):
    PENDING_CONFIRMATION = "pending_confirmation", _("E-mail à confirmer")
    CONFIRMED = "confirmed", _("Inscription confirmée")
    WAITING = "waiting", _("Liste d'attente")
    OFFERED = "offered", _("Place proposée, à confirmer")
    CANCELLED = "cancelled", _("Annulée")
    EXPIRED = "expired", _("Proposition expirée")


# Registrations that still count (one per person and edition).
ACTIVE_REGISTRATION_STATUSES = (
    RegistrationStatus.PENDING_CONFIRMATION,
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITING,
    RegistrationStatus.OFFERED,
)
# Registrations that hold a seat: an offer keeps the seat until its deadline.
SEAT_HOLDING_STATUSES = (RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED)


class PitchStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Proposée")
    ACCEPTED = "accepted", _("Retenue")
    DECLINED = "declined", _("Non retenue")


class AgendaItemKind(models.TextChoices):
    PITCH = "pitch", _("Présentation")
    TALK = "talk", _("Intervention")
    WORKSHOP = "workshop", _("Atelier")
    BREAK = "break", _("Pause")


class ActionItemStatus(models.TextChoices):
    OPEN = "open", _("À faire")
    IN_PROGRESS = "in_progress", _("En cours")
    DONE = "done", _("Faite")
    DROPPED = "dropped", _("Abandonnée")


OPEN_ACTION_STATUSES = (ActionItemStatus.OPEN, ActionItemStatus.IN_PROGRESS)


class ResourceKind(models.TextChoices):
    SLIDES = "slides", _("Support de présentation")
    REPLAY = "replay", _("Rediffusion")
    DOCUMENT = "document", _("Document")
