from django.db import models
from django.utils.translation import gettext_lazy as _


class CheckRowStatus(models.TextChoices):
    """The `status` column of a QPV check result (stable codes, French labels)."""

    OK = "ok", _("vérifiée")
    INVALID_COORDINATES = "invalid_coordinates", _("coordonnées illisibles")
    OUT_OF_RANGE = "out_of_range", _("coordonnées hors limites")
    MISSING_LOCATION = "missing_location", _("ni coordonnées ni adresse")
    EMPTY_ADDRESS = "empty_address", _("adresse vide")
    ADDRESS_NOT_FOUND = "address_not_found", _("adresse introuvable")
    ADDRESS_UNCERTAIN = "address_uncertain", _("adresse incertaine")
    GEOCODER_UNAVAILABLE = "geocoder_unavailable", _("géocodeur indisponible")
    MALFORMED_ROW = "malformed_row", _("ligne mal formée")


class QPVCheckJobStatus(models.TextChoices):
    """Where a CSV check in the background stands: queued → running → done | failed."""

    QUEUED = "queued", _("en attente")
    RUNNING = "running", _("en cours")
    DONE = "done", _("terminé")
    FAILED = "failed", _("échec")
