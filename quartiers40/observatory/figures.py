"""What each figure counts, and where: the sources of the recomputation (services.py).

A `Source` is a queryset of one app's public rows (through the app's public querysets), the
field or expression that gives the dimension, the date that gives the quarter, and its
`Placement`s: how a row reaches each kind of scope (a QPV's code through its QPVs, a
department's code, a JSON list of themes). Each (source, placement) is ONE grouped SQL query:

    SELECT <scope code>, <dimension>, year(<date>), quarter(<date>), COUNT(DISTINCT id)
    ... GROUP BY 1, 2, 3, 4

so the totals per scope, per dimension and over all time are sums of those rows (each row is
counted once per scope code, and has one dimension and one date).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, F, Q, QuerySet, Value, When
from django.utils import timezone

from quartiers40.challenges.enums import ChallengeStatus
from quartiers40.challenges.models import Challenge
from quartiers40.matches.enums import LED_TO_SOMETHING
from quartiers40.matches.models import Match
from quartiers40.meetings.enums import ActionItemStatus
from quartiers40.meetings.models import ActionItem, Edition, Registration
from quartiers40.members.models import Organisation
from quartiers40.opportunities.models import Opportunity, OpportunityInterest
from quartiers40.projects.models import Project
from quartiers40.territories.reference import region_of

from .enums import ActionState, EasyToRead, Metric, ScopeKind, SuggestionResult


def region_of_department(code: str) -> str:
    return region_of(code)[0]


@dataclass(frozen=True)
class Placement:
    scope_kind: str
    # The lookup giving the scope's code from a row; None: the country (one code, "").
    path: str | None = None
    # The lookup gives a JSON list of codes (themes, departments): a row counts in each.
    is_list: bool = False
    # Only these rows (a fallback: the défis with no QPV, by their own department).
    only: Q | None = None
    # The code read turned into the scope's (a department's code into its region's).
    code_of: Callable[[str], str] | None = None


@dataclass(frozen=True)
class Source:
    metric: str
    rows: Callable[[], QuerySet]
    dimension: Callable[[], Any] | None  # an expression (F, Case), or None: the total only
    date: str | None
    placements: tuple[Placement, ...]
    # A count of residents or registrants: shown under the small-count rule (privacy.py).
    about_people: bool = False


NATIONAL = Placement(ScopeKind.NATIONAL)


def through_qpvs(prefix: str) -> tuple[Placement, ...]:
    """The four territorial scopes reached through a relation to QPVs (`qpvs`, …)."""
    return (
        Placement(ScopeKind.QPV, f"{prefix}__code"),
        Placement(ScopeKind.COMMUNE, f"{prefix}__commune_links__commune_id"),
        Placement(ScopeKind.DEPARTMENT, f"{prefix}__department_code"),
        Placement(ScopeKind.REGION, f"{prefix}__region_code"),
    )


def through_organiser(prefix: str) -> tuple[Placement, ...]:
    """Meetings have no QPV: a local series is placed where its organisation is (commune,
    department, region); the national petit déj counts in the country's figures only."""
    organisation = f"{prefix}series__organisation__"
    return (
        Placement(ScopeKind.COMMUNE, organisation + "commune_code"),
        Placement(ScopeKind.DEPARTMENT, organisation + "department_code"),
        Placement(ScopeKind.REGION, organisation + "department_code", code_of=region_of_department),
    )


THEMES = Placement(ScopeKind.THEME, "themes", is_list=True)


def _held_editions() -> QuerySet:
    return Edition.objects.published().filter(starts_at__lt=timezone.now())


def _action_state() -> Case:
    return Case(
        When(status=ActionItemStatus.DONE, then=Value(ActionState.DONE.value)),
        When(status=ActionItemStatus.DROPPED, then=Value(ActionState.DROPPED.value)),
        When(due_date__lt=timezone.localdate(), then=Value(ActionState.OVERDUE.value)),
        default=Value(ActionState.OPEN.value),
    )


def _suggestion_result() -> Case:
    return Case(
        When(step__in=sorted(LED_TO_SOMETHING), then=Value(SuggestionResult.LED.value)),
        default=Value(SuggestionResult.NOT_YET.value),
    )


def _easy_to_read() -> Case:
    """The "facile à lire" mark the services store on each text (quartiers40/plainlanguage)."""
    return Case(
        When(easy_to_read=True, then=Value(EasyToRead.EASY.value)),
        default=Value(EasyToRead.NOT_YET.value),
    )


_PROJECTS_PLACES = (
    NATIONAL,
    *through_qpvs("qpvs"),
    # A project for whole departments, without a QPV, counts in those departments.
    Placement(ScopeKind.DEPARTMENT, "departments", is_list=True, only=Q(qpvs__isnull=True)),
    Placement(
        ScopeKind.REGION,
        "departments",
        is_list=True,
        only=Q(qpvs__isnull=True),
        code_of=region_of_department,
    ),
    THEMES,
)
_CHALLENGES_PLACES = (
    NATIONAL,
    *through_qpvs("qpvs"),
    Placement(ScopeKind.DEPARTMENT, "department", only=Q(qpvs__isnull=True)),
    Placement(
        ScopeKind.REGION, "department", only=Q(qpvs__isnull=True), code_of=region_of_department
    ),
    THEMES,
)
_OPPORTUNITY_PLACES = (NATIONAL, *through_qpvs("places__qpv_links__qpv"))
_INTEREST_PLACES = (NATIONAL, *through_qpvs("opportunity__places__qpv_links__qpv"))


def solved_challenges() -> QuerySet:
    return Challenge.objects.visible().filter(status=ChallengeStatus.SOLVED)


SOURCES: tuple[Source, ...] = (
    Source(
        Metric.MEMBERS,
        rows=lambda: Organisation.objects.members_of_collective(),
        dimension=lambda: F("kind"),
        date="joined_at",
        placements=(NATIONAL, *through_qpvs("qpvs")),
    ),
    Source(
        Metric.PROJECTS_STAGE,
        rows=lambda: Project.objects.published(),
        dimension=lambda: F("stage"),
        date="published_at",
        placements=_PROJECTS_PLACES,
    ),
    Source(
        Metric.PROJECTS_AI,
        rows=lambda: Project.objects.published(),
        dimension=lambda: F("ai_category"),
        date="published_at",
        placements=_PROJECTS_PLACES,
    ),
    Source(
        Metric.CHALLENGES,
        rows=lambda: Challenge.objects.visible(),
        dimension=lambda: F("status"),
        date="created_at",
        placements=_CHALLENGES_PLACES,
    ),
    Source(
        Metric.CHALLENGES_SOLVED,
        rows=solved_challenges,
        dimension=None,
        date="status_changed_at",
        placements=_CHALLENGES_PLACES,
    ),
    Source(
        Metric.OPPORTUNITIES,
        rows=lambda: Opportunity.objects.published(),
        dimension=lambda: F("kind"),
        date="published_at",
        placements=_OPPORTUNITY_PLACES,
    ),
    Source(
        Metric.INTERESTS,
        rows=lambda: OpportunityInterest.objects.all(),
        dimension=lambda: F("status"),
        date="created_at",
        placements=_INTEREST_PLACES,
        about_people=True,
    ),
    Source(
        Metric.EDITIONS,
        rows=_held_editions,
        dimension=lambda: F("format"),
        date="starts_at",
        placements=(NATIONAL, *through_organiser("")),
    ),
    Source(
        Metric.REGISTRATIONS,
        rows=lambda: Registration.objects.confirmed().filter(edition__in=_held_editions()),
        dimension=lambda: F("attendance"),
        date="edition__starts_at",
        placements=(NATIONAL, *through_organiser("edition__")),
        about_people=True,
    ),
    Source(
        Metric.ATTENDANCE,
        rows=lambda: Registration.objects.filter(
            checked_in_at__isnull=False, edition__in=_held_editions()
        ),
        dimension=lambda: F("attendance"),
        date="edition__starts_at",
        placements=(NATIONAL, *through_organiser("edition__")),
        about_people=True,
    ),
    Source(
        Metric.ACTIONS,
        rows=lambda: ActionItem.objects.filter(edition__in=_held_editions()),
        dimension=_action_state,
        date="edition__starts_at",
        placements=(NATIONAL, *through_organiser("edition__")),
    ),
    Source(
        Metric.SUGGESTIONS,
        rows=lambda: Match.objects.all(),
        dimension=_suggestion_result,
        date="created_at",
        placements=(
            NATIONAL,
            *through_qpvs("subject_challenge__qpvs"),
            *through_qpvs("subject_project__qpvs"),
        ),
    ),
    # Three sources, one metric: their counts add up (services._add), so the share of the
    # texts published here that are easy to read is easy / total, per scope and quarter.
    Source(
        Metric.EASY_TO_READ,
        rows=lambda: Project.objects.published(),
        dimension=_easy_to_read,
        date="published_at",
        placements=_PROJECTS_PLACES,
    ),
    Source(
        Metric.EASY_TO_READ,
        rows=lambda: Challenge.objects.visible(),
        dimension=_easy_to_read,
        date="created_at",
        placements=_CHALLENGES_PLACES,
    ),
    Source(
        Metric.EASY_TO_READ,
        rows=lambda: Opportunity.objects.published(),
        dimension=_easy_to_read,
        date="published_at",
        placements=_OPPORTUNITY_PLACES,
    ),
)


def open_challenges() -> QuerySet:
    return Challenge.objects.visible().filter(status=ChallengeStatus.OPEN)


# The QPVs where défis wait longest: per QPV, the days since its oldest open défi was posted.
WAIT_DAYS_PLACES = (Placement(ScopeKind.QPV, "qpvs__code"),)

# The median days from posting to solved: per scope, over the défis solved (services.py).
SOLVE_DAYS_PLACES = _CHALLENGES_PLACES

# Which metrics count people (the small-count rule): interests, registrations, attendance.
ABOUT_PEOPLE = frozenset(source.metric for source in SOURCES if source.about_people)
