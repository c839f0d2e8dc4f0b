"""Choices of the matchmaking: where a suggestion was made, of what, what came of it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MatchContext(models.TextChoices):
    """The page where people decide, and where the suggestion was shown."""

    CHALLENGE = "challenge", _("Page d'un défi")
    PROJECT = "project", _("Page d'un projet")
    NEAR_ME = "near_me", _("Près de chez moi")
    AGENDA = "agenda", _("Ordre du jour d'une rencontre")
    ACCOUNT = "account", _("Mon espace")


class SuggestionKind(models.TextChoices):
    """What is suggested."""

    PROJECT = "project", _("Projet")
    ORGANISATION = "organisation", _("Organisation")
    OPPORTUNITY = "opportunity", _("Opportunité")
    CHALLENGE = "challenge", _("Défi")
    PILOT_SITE = "pilot_site", _("Quartier où expérimenter")
    PARTNER = "partner", _("Partenaire")
    FUNDING = "funding", _("Financement public")
    PITCH = "pitch", _("Proposition de présentation")


class Feedback(models.TextChoices):
    USEFUL = "useful", _("Utile")
    NOT_USEFUL = "not_useful", _("Pas utile")


class MatchStep(models.TextChoices):
    """The furthest thing the suggestion led to, in this order (each step implies the ones
    before it in the figures: an offer made was also opened)."""

    NONE = "", _("Rien pour l'instant")
    OPENED = "opened", _("Ouverte")
    CONTACTED = "contacted", _("Prise de contact")
    OFFER_MADE = "offer_made", _("Proposition d'aide faite")
    REGISTERED = "registered", _("Inscription à la rencontre")
    OPPORTUNITY_TAKEN = "opportunity_taken", _("Opportunité saisie")
    PROJECT_STARTED = "project_started", _("Projet lancé ou rejoint")


# The order of the steps: a later link never moves a match back.
STEP_ORDER = {
    MatchStep.NONE: 0,
    MatchStep.OPENED: 1,
    MatchStep.CONTACTED: 2,
    MatchStep.OFFER_MADE: 3,
    MatchStep.REGISTERED: 3,
    MatchStep.OPPORTUNITY_TAKEN: 4,
    MatchStep.PROJECT_STARTED: 4,
}
# The steps that are something done with the suggestion, beyond looking at it.
LED_TO_SOMETHING = frozenset(step for step, order in STEP_ORDER.items() if order >= 2)


class MatchOutcome(models.TextChoices):
    """What came of what was done (read from the linked offer, interest, registration…)."""

    NONE = "", _("Pas encore de suite")
    PENDING = "pending", _("En attente")
    SUCCEEDED = "succeeded", _("Aboutie")
    FAILED = "failed", _("Sans suite")
