from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    LOCAL_AUTHORITY = "local_authority", _("Collectivité territoriale")
    COMPANY = "company", _("Entreprise")
    ASSOCIATION = "association", _("Association")
    RESEARCH_LAB = "research_lab", _("Laboratoire de recherche")
    STARTUP = "startup", _("Start-up")
    RESIDENTS_GROUP = "residents_group", _("Collectif d'habitants")


class OrganisationStatus(models.TextChoices):
    CANDIDATE = "candidate", _("Candidate")
    MEMBER = "member", _("Membre du collectif")
    REFUSED = "refused", _("Refusée")


class MembershipRequestStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    ACCEPTED = "accepted", _("Acceptée")
    REFUSED = "refused", _("Refusée")
    WITHDRAWN = "withdrawn", _("Retirée")


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrateur·rice")
    MEMBER = "member", _("Membre")
