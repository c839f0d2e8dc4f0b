"""Choices of the opportunities domain, and the workflow of an opportunity.

The vocabulary of the French inclusion ecosystem (data·inclusion schema v1) is used where
it exists: themes are its `thematiques`, `Situation` maps onto its `publics`, `HowToGo`
onto its `modes_mobilisation`. What the schema lacks (age, level, accessibility,
languages, QPV priority) is ours, mirrored into `publics_precisions` / `conditions_acces`
on export (see `exports.py`).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from quartiers40.core.workflows import Transition, Workflow

from .di_themes import DI_THEMATIQUES


class OpportunityKind(models.TextChoices):
    TRAINING = "training", _("Formation")
    JOB = "job", _("Emploi")
    INTERNSHIP = "internship", _("Stage ou alternance")
    WORKSHOP = "workshop", _("Atelier")
    MENTORING = "mentoring", _("Parrainage et mentorat")
    HELP = "help", _("Aide et accompagnement")


# data·inclusion `type` for each kind (a job or an internship has none in v1: "information").
KIND_TO_DI_TYPE = {
    OpportunityKind.TRAINING: "formation",
    OpportunityKind.JOB: "information",
    OpportunityKind.INTERNSHIP: "formation",
    OpportunityKind.WORKSHOP: "atelier",
    OpportunityKind.MENTORING: "accompagnement",
    OpportunityKind.HELP: "accompagnement",
}
DI_TYPE_TO_KIND = {
    "formation": OpportunityKind.TRAINING,
    "atelier": OpportunityKind.WORKSHOP,
    "accompagnement": OpportunityKind.HELP,
    "aide-financiere": OpportunityKind.HELP,
    "aide-materielle": OpportunityKind.HELP,
    "information": OpportunityKind.HELP,
}


class OpportunityStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("En attente de relecture")
    RETURNED = "returned", _("Renvoyée pour compléments")
    PUBLISHED = "published", _("Publiée")
    EXPIRED = "expired", _("Terminée")
    WITHDRAWN = "withdrawn", _("Retirée")


OPPORTUNITY_CHANGEABLE_STATES = frozenset(
    {
        OpportunityStatus.DRAFT,
        OpportunityStatus.SUBMITTED,
        OpportunityStatus.RETURNED,
        OpportunityStatus.PUBLISHED,
        OpportunityStatus.EXPIRED,
    }
)

_PERMISSIONS = "quartiers40.opportunities.permissions"

OPPORTUNITY_WORKFLOW = Workflow(
    name="opportunity",
    title="Opportunities",
    field="status",
    states=OpportunityStatus,
    initial=(OpportunityStatus.DRAFT,),
    invalid_message=_("Cette action n'est pas possible pour une opportunité « %(status)s »."),
    transitions=(
        Transition(
            "publish",
            sources={OpportunityStatus.DRAFT, OpportunityStatus.RETURNED},
            target=OpportunityStatus.PUBLISHED,
            who=f"{_PERMISSIONS}.can_publish_directly",
            log="opportunity_published",
            description="A member organisation of the collective publishes at once.",
        ),
        Transition(
            "submit",
            sources={OpportunityStatus.DRAFT, OpportunityStatus.RETURNED},
            target=OpportunityStatus.SUBMITTED,
            who=f"{_PERMISSIONS}.can_submit_opportunity",
            log="opportunity_submitted",
            description="A new organisation sends it to the coordination team first.",
        ),
        Transition(
            "approve",
            sources={OpportunityStatus.SUBMITTED},
            target=OpportunityStatus.PUBLISHED,
            who=f"{_PERMISSIONS}.can_review_opportunity",
            log="opportunity_approved",
            description="The coordination team publishes a new organisation's opportunity.",
        ),
        Transition(
            "return",
            sources={OpportunityStatus.SUBMITTED},
            target=OpportunityStatus.RETURNED,
            who=f"{_PERMISSIONS}.can_review_opportunity",
            log="opportunity_returned",
            description="The coordination team sends it back with comments.",
        ),
        Transition(
            "expire",
            sources={OpportunityStatus.PUBLISHED},
            target=OpportunityStatus.EXPIRED,
            who=None,
            log="opportunity_expired",
            description="The platform, once the deadline or the last session has passed.",
        ),
        Transition(
            "reopen",
            sources={OpportunityStatus.EXPIRED},
            target=OpportunityStatus.PUBLISHED,
            who=f"{_PERMISSIONS}.can_edit_opportunity",
            log="opportunity_reopened",
            description="Its provider gives it new dates and publishes it again.",
        ),
        Transition(
            "withdraw",
            sources=OPPORTUNITY_CHANGEABLE_STATES,
            target=OpportunityStatus.WITHDRAWN,
            who=f"{_PERMISSIONS}.can_withdraw_opportunity",
            log="opportunity_withdrawn",
            description="Its provider or the team takes it down; kept, never deleted.",
        ),
        Transition(
            "source_withdraw",
            sources=OPPORTUNITY_CHANGEABLE_STATES,
            target=OpportunityStatus.WITHDRAWN,
            who=None,
            log="opportunity_source_withdrawn",
            description="The platform, when an imported item disappears from its source.",
        ),
        Transition(
            "source_restore",
            sources={OpportunityStatus.WITHDRAWN},
            target=OpportunityStatus.PUBLISHED,
            who=None,
            log="opportunity_source_restored",
            description="The platform, when an imported item comes back in its source.",
        ),
    ),
)


class Cost(models.TextChoices):
    FREE = "free", _("Gratuit")
    COVERED = "covered", _("Payant, mais pris en charge")
    PAID = "paid", _("Payant")


class HowToGo(models.TextChoices):
    """How a person takes it up; data·inclusion `modes_mobilisation` plus "through a pro"."""

    COME = "come", _("Venir sur place")
    CALL = "call", _("Téléphoner")
    WRITE = "write", _("Écrire un courriel")
    LINK = "link", _("S'inscrire en ligne")
    PROFESSIONAL = "professional", _("Passer par un professionnel (conseiller, travailleur social)")


HOW_TO_GO_TO_DI = {
    HowToGo.COME: "se-presenter",
    HowToGo.CALL: "telephoner",
    HowToGo.WRITE: "envoyer-un-courriel",
    HowToGo.LINK: "utiliser-lien-mobilisation",
}
DI_TO_HOW_TO_GO = {value: key for key, value in HOW_TO_GO_TO_DI.items()}


class QPVPriority(models.TextChoices):
    EVERYONE = "", _("Ouvert à tous")
    FIRST = "first", _("Habitants des quartiers prioritaires en priorité")
    ONLY = "only", _("Réservé aux habitants des quartiers prioritaires")


class Situation(models.TextChoices):
    """A person's situation, as she would say it; each maps to data·inclusion `publics`."""

    JOB_SEEKER = "job_seeker", _("Je cherche un emploi")
    RSA = "rsa", _("Je touche le RSA ou une aide sociale")
    YOUNG = "young", _("J'ai entre 16 et 25 ans")
    STUDENT = "student", _("Je suis étudiant·e")
    EMPLOYED = "employed", _("J'ai un emploi")
    SENIOR = "senior", _("J'ai plus de 60 ans")
    PARENT = "parent", _("Je suis parent")
    WOMAN = "woman", _("Je suis une femme")
    DISABILITY = "disability", _("Je suis en situation de handicap")
    REFUGEE = "refugee", _("Je suis réfugié·e ou nouvel·le arrivant·e en France")


SITUATION_TO_PUBLIC = {
    Situation.JOB_SEEKER: "demandeurs-emploi",
    Situation.RSA: "beneficiaires-des-minimas-sociaux",
    Situation.YOUNG: "jeunes",
    Situation.STUDENT: "etudiants",
    Situation.EMPLOYED: "actifs",
    Situation.SENIOR: "seniors",
    Situation.PARENT: "familles",
    Situation.WOMAN: "femmes",
    Situation.DISABILITY: "personnes-en-situation-de-handicap",
    Situation.REFUGEE: "personnes-exilees",
}
PUBLIC_TO_SITUATION = {value: key for key, value in SITUATION_TO_PUBLIC.items()}


class Level(models.IntegerChoices):
    """The diploma asked for, in the order a person climbs them."""

    NONE = 0, _("Sans diplôme")
    CAP = 3, _("CAP, BEP")
    BAC = 4, _("Baccalauréat")
    BAC2 = 5, _("Bac + 2 (BTS, DUT)")
    BAC3 = 6, _("Bac + 3 ou plus")


class Accessibility(models.TextChoices):
    WHEELCHAIR = "wheelchair", _("Accessible en fauteuil roulant")
    HEARING_LOOP = "hearing_loop", _("Boucle magnétique pour les personnes malentendantes")
    EASY_READ = "easy_read", _("Documents en facile à lire et à comprendre (FALC)")
    SIGN_LANGUAGE = "sign_language", _("Accueil en langue des signes")


class Language(models.TextChoices):
    """Languages the provider speaks with people (ISO 639-1)."""

    FRENCH = "fr", _("français")
    ENGLISH = "en", _("anglais")
    ARABIC = "ar", _("arabe")
    SPANISH = "es", _("espagnol")
    PORTUGUESE = "pt", _("portugais")
    TURKISH = "tr", _("turc")
    ROMANIAN = "ro", _("roumain")
    SONINKE = "snk", _("soninké")
    TAMAZIGHT = "ber", _("tamazight (berbère)")
    CHINESE = "zh", _("chinois")


class InterestStatus(models.TextChoices):
    """What came of an interest: what the observatory and the matchmaking count."""

    NEW = "new", _("Nouveau")
    CONTACTED = "contacted", _("Contacté·e")
    STARTED = "started", _("A commencé")
    NOT_RETAINED = "not_retained", _("Non retenu·e")


class GeocodingState(models.TextChoices):
    GIVEN = "given", _("Point donné par la source")
    GEOCODED = "geocoded", _("Adresse localisée")
    UNPLACED = "unplaced", _("Adresse non localisée")


# data·inclusion thématiques: the ecosystem's vocabulary (69 values in 16 categories).
# Labels are the schema's own French labels (a copy of the schema's, see `di_themes`).
THEME_CHOICES = DI_THEMATIQUES
THEME_LABELS = dict(THEME_CHOICES)
THEME_CODES = frozenset(THEME_LABELS)


def theme_category(code: str) -> str:
    return code.split("--", 1)[0]


RADIUS_CHOICES_KM = (2, 5, 10, 25, 50)
DEFAULT_RADIUS_KM = 10
