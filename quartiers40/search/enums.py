"""Choices of the search app: the kinds of things the site-wide search finds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    PROJECT = "project", _("Projet")
    CHALLENGE = "challenge", _("Défi")
    OPPORTUNITY = "opportunity", _("Opportunité")
    ORGANISATION = "organisation", _("Organisation")
    EDITION = "edition", _("Rencontre")
    AGENDA_ITEM = "agenda_item", _("Intervention")
    MINUTES = "minutes", _("Compte rendu")
    QPV = "qpv", _("Quartier prioritaire")
    COMMUNE = "commune", _("Commune")


class DocumentState(models.TextChoices):
    """One status filter across kinds: still going on, or over."""

    ACTIVE = "active", _("En cours ou à venir")
    CLOSED = "closed", _("Terminé")
