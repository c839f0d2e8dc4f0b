from django.db import models
from django.utils.translation import gettext_lazy as _

from quartiers40.core.workflows import Transition, Workflow


class ProjectStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("Soumis à la coordination")
    PUBLISHED = "published", _("Publié")
    RETURNED = "returned", _("Renvoyé pour compléments")
    ARCHIVED = "archived", _("Archivé")


# Every state but the last: a project there may still be changed, and archived.
PROJECT_LIVE_STATES = frozenset(
    {
        ProjectStatus.DRAFT,
        ProjectStatus.SUBMITTED,
        ProjectStatus.PUBLISHED,
        ProjectStatus.RETURNED,
    }
)

_PERMISSIONS = "quartiers40.projects.permissions"

PROJECT_WORKFLOW = Workflow(
    name="project",
    title="Projects",
    field="status",
    states=ProjectStatus,
    initial=(ProjectStatus.DRAFT,),
    invalid_message=_("Cette action n'est pas possible pour un projet « %(status)s »."),
    transitions=(
        Transition(
            "submit",
            sources={ProjectStatus.DRAFT, ProjectStatus.RETURNED},
            target=ProjectStatus.SUBMITTED,
            who=f"{_PERMISSIONS}.can_submit_project",
            log="project_submitted",
            description="Its people send a complete project to the coordination team.",
        ),
        Transition(
            "publish",
            sources={ProjectStatus.SUBMITTED},
            target=ProjectStatus.PUBLISHED,
            who=f"{_PERMISSIONS}.can_publish_project",
            log="project_published",
            description="The coordination team publishes it in the catalogue.",
        ),
        Transition(
            "return",
            sources={ProjectStatus.SUBMITTED},
            target=ProjectStatus.RETURNED,
            who=f"{_PERMISSIONS}.can_return_project",
            log="project_returned",
            description="The coordination team sends it back with comments.",
        ),
        Transition(
            "archive",
            sources=PROJECT_LIVE_STATES,
            target=ProjectStatus.ARCHIVED,
            who=f"{_PERMISSIONS}.can_archive_project",
            log="project_archived",
            description="Its people or the team take it out of the catalogue, for good.",
        ),
    ),
)


class Stage(models.TextChoices):
    IDEA = "idea", _("Idée")
    PILOT = "pilot", _("Expérimentation")
    DEPLOYED = "deployed", _("Déployé")
    STOPPED = "stopped", _("Arrêté")


class AICategory(models.TextChoices):
    LANGUAGE = "language", _("Langage et texte")
    VISION = "vision", _("Vision")
    PREDICTION = "prediction", _("Prédiction")
    RECOMMENDATION = "recommendation", _("Recommandation")
    GENERATIVE = "generative", _("IA générative")
    ROBOTICS = "robotics", _("Robotique")
    OTHER = "other", _("Autre")


class Theme(models.TextChoices):
    EMPLOYMENT = "employment", _("Emploi")
    EDUCATION = "education", _("Éducation")
    HEALTH = "health", _("Santé")
    DIGITAL_INCLUSION = "digital_inclusion", _("Inclusion numérique")
    MOBILITY = "mobility", _("Mobilité")
    HOUSING = "housing", _("Logement")
    PUBLIC_SERVICES = "public_services", _("Services publics")
    SAFETY = "safety", _("Tranquillité publique")
    ENVIRONMENT = "environment", _("Environnement")
    CULTURE = "culture", _("Culture")
    LOCAL_ECONOMY = "local_economy", _("Économie locale")


class Beneficiary(models.TextChoices):
    RESIDENTS = "residents", _("Habitants")
    ASSOCIATIONS = "associations", _("Associations")
    SCHOOLS = "schools", _("Établissements scolaires")
    LOCAL_SERVICES = "local_services", _("Services publics locaux")
    BUSINESSES = "businesses", _("Entreprises")
    YOUTH = "youth", _("Jeunes")
    SENIORS = "seniors", _("Personnes âgées")
    JOB_SEEKERS = "job_seekers", _("Demandeurs d'emploi")
