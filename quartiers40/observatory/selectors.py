"""Reads of the observatory: a scope's dashboard from the precomputed figures (one query),
the coverage (QPVs with nothing yet), and the scopes' names. Pages, CSV exports, the API and
the quarterly report share these, and the small-count rule is applied here (privacy.py)."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet, TextChoices
from django.utils.translation import gettext as _

from quartiers40.challenges.enums import ChallengeStatus
from quartiers40.meetings.enums import Attendance, EditionFormat
from quartiers40.members.enums import OrganisationKind
from quartiers40.opportunities.enums import InterestStatus, OpportunityKind
from quartiers40.projects.enums import AICategory, Stage, Theme
from quartiers40.territories.models import QPV, Commune
from quartiers40.territories.reference import DEPARTMENTS, REGIONS, region_of
from quartiers40.territories.selectors import qpv_summary_get, qpvs_current

from .enums import UNSPECIFIED, ActionState, EasyToRead, Metric, ScopeKind, SuggestionResult
from .figures import ABOUT_PEOPLE
from .models import ALL_TIME, TOTAL, Figure, Refresh
from .privacy import is_hidden, plotted, shown
from .quarters import Quarter, quarters_back

TREND_QUARTERS = 8
# What "nothing yet" means on the coverage page: none of these over all time.
COVERAGE_METRICS = (Metric.PROJECTS_STAGE, Metric.OPPORTUNITIES, Metric.MEMBERS)
WAITING_SHOWN = 20

DIMENSIONS: dict[str, type[TextChoices]] = {
    Metric.MEMBERS: OrganisationKind,
    Metric.PROJECTS_STAGE: Stage,
    Metric.PROJECTS_AI: AICategory,
    Metric.CHALLENGES: ChallengeStatus,
    Metric.OPPORTUNITIES: OpportunityKind,
    Metric.INTERESTS: InterestStatus,
    Metric.EDITIONS: EditionFormat,
    Metric.REGISTRATIONS: Attendance,
    Metric.ATTENDANCE: Attendance,
    Metric.ACTIONS: ActionState,
    Metric.SUGGESTIONS: SuggestionResult,
    Metric.EASY_TO_READ: EasyToRead,
}
# The blocks of a dashboard, in order: (heading, metrics).
SECTIONS = (
    ("members", (Metric.MEMBERS,)),
    ("projects", (Metric.PROJECTS_STAGE, Metric.PROJECTS_AI)),
    ("challenges", (Metric.CHALLENGES, Metric.CHALLENGES_SOLVED)),
    ("opportunities", (Metric.OPPORTUNITIES, Metric.INTERESTS)),
    ("meetings", (Metric.EDITIONS, Metric.REGISTRATIONS, Metric.ATTENDANCE, Metric.ACTIONS)),
    ("suggestions", (Metric.SUGGESTIONS,)),
    ("plain_language", (Metric.EASY_TO_READ,)),
)


def section_titles() -> dict[str, str]:
    return {
        "members": _("Qui agit"),
        "projects": _("Projets d'IA"),
        "challenges": _("Défis"),
        "opportunities": _("Opportunités pour les habitants"),
        "meetings": _("Rencontres"),
        "suggestions": _("Suggestions"),
        "plain_language": _("Français facile"),
    }


# --- scopes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    kind: str
    code: str
    name: str
    # Where it belongs, widest first: [(kind, code, name)] (a department's region…).
    parents: tuple[tuple[str, str, str], ...] = ()
    qpv: QPV | None = None

    @property
    def kind_label(self) -> str:
        return str(ScopeKind(self.kind).label)

    @property
    def slug(self) -> str:
        return self.kind if self.kind == ScopeKind.NATIONAL else f"{self.kind}-{self.code}"


def _region(code: str) -> tuple[str, str, str] | None:
    return (ScopeKind.REGION, code, REGIONS[code]) if code in REGIONS else None


def _department_parents(code: str) -> tuple[tuple[str, str, str], ...]:
    region = _region(region_of(code)[0])
    return (region,) if region else ()


def scope_get(kind: str, code: str = "") -> Scope | None:
    """The scope a dashboard is about, with its name; None when it does not exist."""
    if kind == ScopeKind.NATIONAL:
        return Scope(ScopeKind.NATIONAL, "", _("France entière"))
    if kind == ScopeKind.REGION:
        return Scope(kind, code, REGIONS[code]) if code in REGIONS else None
    if kind == ScopeKind.DEPARTMENT:
        if code not in DEPARTMENTS:
            return None
        return Scope(kind, code, DEPARTMENTS[code][0], parents=_department_parents(code))
    if kind == ScopeKind.COMMUNE:
        return _commune_scope(code)
    if kind == ScopeKind.QPV:
        qpv = qpv_summary_get(code=code)
        if qpv is None:
            return None
        parents = (*_department_parents(qpv.department_code),)
        if qpv.department_code in DEPARTMENTS:
            parents += (
                (ScopeKind.DEPARTMENT, qpv.department_code, DEPARTMENTS[qpv.department_code][0]),
            )
        return Scope(kind, qpv.code, qpv.name, parents=parents, qpv=qpv)
    if kind == ScopeKind.THEME:
        return Scope(kind, code, str(Theme(code).label)) if code in Theme.values else None
    return None


def _commune_scope(code: str) -> Scope | None:
    commune = Commune.objects.filter(code=code).first()
    if commune is not None:
        name, department = commune.name, commune.department_code
    else:  # the commune list is not loaded: a QPV's main commune still names it
        qpv = (
            qpvs_current().filter(commune_code=code).only("commune_name", "department_code").first()
        )
        if qpv is None:
            return None
        name, department = qpv.commune_name, qpv.department_code
    parents = _department_parents(department)
    if department in DEPARTMENTS:
        parents += ((ScopeKind.DEPARTMENT, department, DEPARTMENTS[department][0]),)
    return Scope(ScopeKind.COMMUNE, code, name, parents=parents)


# --- a dashboard ------------------------------------------------------------------------


@dataclass
class Cell:
    """One number as shown: `value` is the figure itself, `text` what a person reads."""

    value: int
    about_people: bool

    @property
    def text(self) -> int | str | None:
        return shown(self.value, about_people=self.about_people)

    @property
    def hidden(self) -> bool:
        return is_hidden(self.value, about_people=self.about_people)

    @property
    def drawn(self) -> int:
        return plotted(self.value, about_people=self.about_people)


@dataclass
class Line:
    code: str
    label: str
    total: Cell
    trend: list[Cell]


@dataclass
class Block:
    metric: str
    title: str
    about_people: bool
    total: Cell
    lines: list[Line]  # per dimension (empty for a total-only metric)
    trend: list[Cell]  # the total per quarter, oldest first
    quarters: list[Quarter]

    @property
    def by_quarter(self) -> list[tuple[Quarter, list[Cell], Cell]]:
        """The table behind the chart: per quarter, each dimension's cell and the total."""
        return [
            (quarter, [line.trend[index] for line in self.lines], self.trend[index])
            for index, quarter in enumerate(self.quarters)
        ]

    @property
    def chart_id(self) -> str:
        return f"graphique-{self.metric.replace('_', '-')}"

    @property
    def any(self) -> bool:
        return self.total.value > 0

    def share(self, code: str) -> int | None:
        """The % of the total in dimension `code`, over all time (None: nothing counted)."""
        line = next((line for line in self.lines if line.code == code), None)
        if line is None or not self.total.value:
            return None
        return round(100 * line.total.value / self.total.value)

    def share_trend(self, code: str) -> list[tuple[Quarter, int | None]]:
        """The same share, quarter by quarter (of the texts published that quarter)."""
        line = next((line for line in self.lines if line.code == code), None)
        if line is None:
            return []
        return [
            (quarter, round(100 * part.value / total.value) if total.value else None)
            for quarter, part, total in zip(self.quarters, line.trend, self.trend, strict=True)
        ]


@dataclass
class Dashboard:
    scope: Scope
    quarters: list[Quarter]
    blocks: dict[str, Block]
    sections: list[tuple[str, str, list[Block]]] = field(default_factory=list)
    solved_share: int | None = None  # % of the défis posted here now solved
    solve_days: int | None = None  # median days from posting to solved
    easy_share: int | None = None  # % of the texts published here that are easy to read
    easy_share_trend: list[tuple[Quarter, int | None]] = field(default_factory=list)
    refreshed: Refresh | None = None
    version: str = ""

    @property
    def is_empty(self) -> bool:
        return not any(block.any for block in self.blocks.values())


def _labels(metric: str) -> list[tuple[str, str]]:
    choices = DIMENSIONS.get(metric)
    if choices is None:
        return []
    labels = [(str(value), str(label)) for value, label in choices.choices if value]
    if metric == Metric.PROJECTS_AI:
        labels.append((UNSPECIFIED, _("Non précisé")))
    return labels


def figures_of(kind: str, code: str) -> dict[tuple[str, str, str], int]:
    """{(metric, dimension, period): value} of a scope: one query on the unique index."""
    rows = Figure.objects.filter(scope_kind=kind, scope_code=code).values_list(
        "metric", "dimension", "period", "value"
    )
    return {(metric, dim, period): value for metric, dim, period, value in rows}


def latest_refresh() -> Refresh | None:
    return Refresh.objects.order_by("-finished_at", "-pk").first()


def _block(metric: str, figures: dict, quarters: list[Quarter]) -> Block:
    people = metric in ABOUT_PEOPLE

    def cell(dim: str, period: str) -> Cell:
        return Cell(figures.get((metric, dim, period), 0), people)

    lines = [
        Line(code, label, cell(code, ALL_TIME), [cell(code, q.slug) for q in quarters])
        for code, label in _labels(metric)
    ]
    return Block(
        metric=metric,
        title=str(Metric(metric).label),
        about_people=people,
        total=cell(TOTAL, ALL_TIME),
        lines=lines,
        trend=[cell(TOTAL, q.slug) for q in quarters],
        quarters=quarters,
    )


def dashboard_get(
    scope: Scope, *, quarters: int = TREND_QUARTERS, last: Quarter | None = None
) -> Dashboard:
    """Every figure of a scope with its trend over the last `quarters` quarters."""
    figures = figures_of(scope.kind, scope.code)
    shown_quarters = quarters_back(quarters, last=last)
    blocks = {
        metric.value: _block(metric, figures, shown_quarters)
        for metric in Metric
        if metric in DIMENSIONS or metric == Metric.CHALLENGES_SOLVED
    }
    titles = section_titles()
    sections = [(key, titles[key], [blocks[m] for m in metrics]) for key, metrics in SECTIONS]
    challenges = blocks[Metric.CHALLENGES].total.value
    solved = figures.get((Metric.CHALLENGES, ChallengeStatus.SOLVED.value, ALL_TIME), 0)
    refreshed = latest_refresh()
    return Dashboard(
        scope=scope,
        quarters=shown_quarters,
        blocks=blocks,
        sections=sections,
        solved_share=round(100 * solved / challenges) if challenges else None,
        solve_days=figures.get((Metric.CHALLENGES_SOLVE_DAYS, TOTAL, ALL_TIME)),
        easy_share=blocks[Metric.EASY_TO_READ].share(EasyToRead.EASY),
        easy_share_trend=blocks[Metric.EASY_TO_READ].share_trend(EasyToRead.EASY),
        refreshed=refreshed,
        version=refreshed.version if refreshed else "",
    )


def dashboard_rows(dashboard: Dashboard) -> Iterable[dict[str, Any]]:
    """The figures of a dashboard as flat rows (CSV, API), under the small-count rule:
    one row per metric, dimension and period ("" = everything up to now)."""
    periods = [("", ""), *[(q.slug, str(q.label)) for q in dashboard.quarters]]
    for block in dashboard.blocks.values():
        lines = [("", _("Total"), block.total, block.trend)] + [
            (line.code, line.label, line.total, line.trend) for line in block.lines
        ]
        for code, label, total, trend in lines:
            for (slug, _quarter_label), cell in zip(periods, [total, *trend], strict=True):
                yield {
                    "metric": block.metric,
                    "metric_label": block.title,
                    "dimension": code,
                    "dimension_label": label,
                    "period": slug,
                    "value": cell.text,
                }
    if dashboard.solve_days is not None:
        yield {
            "metric": Metric.CHALLENGES_SOLVE_DAYS.value,
            "metric_label": str(Metric.CHALLENGES_SOLVE_DAYS.label),
            "dimension": "",
            "dimension_label": _("Total"),
            "period": "",
            "value": dashboard.solve_days,
        }


# --- coverage ---------------------------------------------------------------------------


def _covered_codes() -> QuerySet:
    return Figure.objects.filter(
        scope_kind=ScopeKind.QPV,
        metric__in=COVERAGE_METRICS,
        dimension=TOTAL,
        period=ALL_TIME,
        value__gt=0,
    ).values("scope_code")


def coverage_qpvs(*, department: str = "", region: str = "") -> QuerySet[QPV]:
    """The QPVs in force with nothing yet: no published project, no opportunity placed in
    or within 2 km of them, no member of the collective acting there."""
    qpvs = qpvs_current().without_geometry_fields().exclude(code__in=_covered_codes())
    if department:
        qpvs = qpvs.filter(department_code=department)
    if region:
        qpvs = qpvs.filter(region_code=region)
    return qpvs.order_by("department_code", "commune_name", "name", "code")


def coverage_counts(*, department: str = "", region: str = "") -> tuple[int, int]:
    """(QPVs with nothing, QPVs in force) in the filtered territory."""
    qpvs = qpvs_current()
    if department:
        qpvs = qpvs.filter(department_code=department)
    if region:
        qpvs = qpvs.filter(region_code=region)
    return coverage_qpvs(department=department, region=region).count(), qpvs.count()


@dataclass
class Waiting:
    qpv: QPV
    days: int
    open_count: int


def challenges_waiting_longest(
    *, department: str = "", region: str = "", limit: int = WAITING_SHOWN
) -> list[Waiting]:
    """The QPVs whose oldest open défi has waited longest (from the figures)."""
    rows = Figure.objects.filter(
        scope_kind=ScopeKind.QPV,
        metric=Metric.CHALLENGES_WAIT_DAYS,
        dimension=TOTAL,
        period=ALL_TIME,
    )
    qpvs = qpvs_current().without_geometry_fields()
    if department:
        qpvs = qpvs.filter(department_code=department)
    if region:
        qpvs = qpvs.filter(region_code=region)
    rows = rows.filter(scope_code__in=qpvs.values("code")).order_by("-value", "scope_code")[:limit]
    days = {row.scope_code: row.value for row in rows}
    open_counts = dict(
        Figure.objects.filter(
            scope_kind=ScopeKind.QPV,
            scope_code__in=list(days),
            metric=Metric.CHALLENGES,
            dimension=ChallengeStatus.OPEN.value,
            period=ALL_TIME,
        ).values_list("scope_code", "value")
    )
    found = {qpv.code: qpv for qpv in qpvs.filter(code__in=list(days))}
    return [
        Waiting(found[code], value, open_counts.get(code, 0))
        for code, value in days.items()
        if code in found
    ]


def coverage_map_points(qpvs: QuerySet[QPV]) -> dict:
    """The points of the coverage map, for core/points-map.js (one per QPV)."""
    points = [
        {
            "code": qpv.code,
            "name": qpv.name,
            "lon": qpv.centroid_lon,
            "lat": qpv.centroid_lat,
            "items": [[qpv.name, qpv.code]],
        }
        for qpv in qpvs.exclude(centroid_lon=None).only(
            "code", "name", "centroid_lon", "centroid_lat"
        )
    ]
    return {"points": points}
