"""The observatory's choices: the kinds of scope a figure is about, and the metrics."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from quartiers40.core.workflows import Transition, Workflow


class ScopeKind(models.TextChoices):
    NATIONAL = "national", _("France entière")
    REGION = "region", _("Région")
    DEPARTMENT = "department", _("Département")
    COMMUNE = "commune", _("Commune")
    QPV = "qpv", _("Quartier prioritaire")
    THEME = "theme", _("Thème")


class Metric(models.TextChoices):
    """What a figure counts; each has its dimensions (a kind, a stage, a status…) and the
    total (dimension ""). See docs/observatory.md for how each is computed."""

    MEMBERS = "members", _("Membres du collectif qui agissent ici")
    PROJECTS_STAGE = "projects_stage", _("Projets d'IA publiés, par étape")
    PROJECTS_AI = "projects_ai", _("Projets d'IA publiés, par type d'IA")
    CHALLENGES = "challenges", _("Défis, par statut")
    CHALLENGES_SOLVED = "challenges_solved", _("Défis résolus")
    CHALLENGES_SOLVE_DAYS = (
        "challenges_solve_days",
        _("Jours entre la publication et la résolution (médiane)"),
    )
    CHALLENGES_WAIT_DAYS = "challenges_wait_days", _("Jours d'attente du plus ancien défi ouvert")
    OPPORTUNITIES = "opportunities", _("Opportunités publiées, par type")
    INTERESTS = "interests", _("Intérêts reçus par les opportunités, par suite donnée")
    EDITIONS = "editions", _("Rencontres tenues, par format")
    REGISTRATIONS = "registrations", _("Personnes inscrites aux rencontres, par mode")
    ATTENDANCE = "attendance", _("Personnes présentes aux rencontres, par mode")
    ACTIONS = "actions", _("Actions de suivi des rencontres")
    SUGGESTIONS = "suggestions", _("Suggestions faites")
    # Projects' easy-read summaries, défis' situations, opportunities' summaries, published.
    EASY_TO_READ = "easy_to_read", _("Textes publiés, selon la vérification du français facile")


class EasyToRead(models.TextChoices):
    """A published text passes the plain-language check (quartiers40/plainlanguage) or not."""

    EASY = "easy", _("Faciles à lire")
    NOT_YET = "not_easy", _("Pas encore faciles à lire")


class ActionState(models.TextChoices):
    DONE = "done", _("Faites")
    OPEN = "open", _("En cours, dans les temps")
    OVERDUE = "overdue", _("En retard")
    DROPPED = "dropped", _("Abandonnées")


class SuggestionResult(models.TextChoices):
    LED = "led", _("Ont mené à quelque chose")
    NOT_YET = "not_yet", _("Sans suite pour l'instant")


# The dimension of a figure whose own value is empty ("type d'IA" not given).
UNSPECIFIED = "unspecified"


# --- the quarterly impact report ----------------------------------------------------------


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    PUBLISHED = "published", _("Publié")


REPORT_WORKFLOW = Workflow(
    name="quarterly_report",
    title="Quarterly impact reports",
    field="status",
    states=ReportStatus,
    initial=(ReportStatus.DRAFT,),
    invalid_message=_("Cette action n'est pas possible pour un rapport « %(status)s »."),
    transitions=(
        Transition(
            "publish",
            sources={ReportStatus.DRAFT},
            target=ReportStatus.PUBLISHED,
            who="quartiers40.observatory.reports.permissions.can_publish_report",
            log="quarterly_report_published",
            description="The coordination team publishes the drafted report with its editorial.",
        ),
    ),
)
