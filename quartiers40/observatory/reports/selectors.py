"""Reads of the quarterly report.

`report_snapshot(quarter)` gathers what a report shows (everything but its editorial), read
only, from the observatory's figures (the national dashboard, `selectors.dashboard_get`) and
the apps' public querysets and selectors; it is stored in the report as JSON (codes and raw
counts, no translated label) when the report is drafted. `report_view(report)` turns that
snapshot back into what the page and the PDF show: labels in the reader's language, each
count about people under the small-count rule (`selectors.Cell`, privacy.py), the charts
drawn by charts.py.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Case, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from quartiers40.challenges.enums import ChallengeStatus
from quartiers40.challenges.models import Challenge
from quartiers40.core.markdown import render_markdown
from quartiers40.meetings import selectors as meetings
from quartiers40.meetings.enums import (
    ActionItemStatus,
    AgendaItemKind,
    Attendance,
    EditionFormat,
    SeriesKind,
)
from quartiers40.meetings.models import Edition
from quartiers40.opportunities.enums import InterestStatus
from quartiers40.projects.enums import ProjectStatus, Stage
from quartiers40.projects.models import Project

from .. import selectors as observatory
from ..charts import bar_chart_cached
from ..enums import ActionState, Metric, ReportStatus, ScopeKind
from ..figures import ABOUT_PEOPLE
from ..models import TOTAL
from ..quarters import Quarter
from .models import QuarterlyReport

SNAPSHOT_SCHEMA = 1
# The key figures, in the order the report gives them (the national dashboard's blocks).
KEY_METRICS = (
    Metric.MEMBERS,
    Metric.PROJECTS_STAGE,
    Metric.CHALLENGES,
    Metric.CHALLENGES_SOLVED,
    Metric.OPPORTUNITIES,
    Metric.INTERESTS,
    Metric.EDITIONS,
    Metric.REGISTRATIONS,
    Metric.ATTENDANCE,
    Metric.ACTIONS,
    Metric.SUGGESTIONS,
)
# The ones drawn as a chart (their trend over the last quarters, stacked by dimension).
CHART_METRICS = (
    Metric.PROJECTS_STAGE,
    Metric.CHALLENGES,
    Metric.OPPORTUNITIES,
    Metric.INTERESTS,
    Metric.ATTENDANCE,
    Metric.ACTIONS,
)
# The charts show the quarter and the four before it (a year ago included); the snapshot
# keeps the dashboard's eight.
CHART_QUARTERS = 5
# A busy quarter lists its first ones, and says how many more (its page links to them).
LISTED = 30
RESULTS_SHOWN = 600  # characters of a project's results in the report


def key_titles() -> dict[str, str]:
    """The key figures' names in the report (about one quarter: what happened in it)."""
    return {
        Metric.MEMBERS: _("Organisations entrées dans le collectif"),
        Metric.PROJECTS_STAGE: _("Projets d'IA publiés"),
        Metric.CHALLENGES: _("Défis publiés"),
        Metric.CHALLENGES_SOLVED: _("Défis résolus"),
        Metric.OPPORTUNITIES: _("Opportunités publiées"),
        Metric.INTERESTS: _("Marques d'intérêt pour une opportunité"),
        Metric.EDITIONS: _("Rencontres tenues"),
        Metric.REGISTRATIONS: _("Personnes inscrites aux rencontres"),
        Metric.ATTENDANCE: _("Personnes présentes aux rencontres"),
        Metric.ACTIONS: _("Actions de suivi décidées en rencontre"),
        Metric.SUGGESTIONS: _("Suggestions faites"),
    }  # characters of a project's results in the report


# --- the snapshot (read once, when a report is drafted) ---------------------------------


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _within(queryset: QuerySet, field_name: str, quarter: Quarter) -> QuerySet:
    return queryset.filter(
        **{f"{field_name}__gte": quarter.start, f"{field_name}__lt": quarter.end}
    )


def _key_figures(quarter: Quarter) -> dict[str, Any]:
    scope = observatory.scope_get(ScopeKind.NATIONAL)
    assert scope is not None
    board = observatory.dashboard_get(scope, last=quarter)
    figures = []
    for metric in KEY_METRICS:
        block = board.blocks[metric.value]
        figures.append(
            {
                "metric": metric.value,
                "value": block.trend[-1].value,
                "previous": block.trend[-2].value,
                "total": block.total.value,
                "trend": [cell.value for cell in block.trend],
                "lines": {line.code: [cell.value for cell in line.trend] for line in block.lines},
            }
        )
    solve_days = observatory.figures_of(ScopeKind.NATIONAL, "").get(
        (Metric.CHALLENGES_SOLVE_DAYS.value, TOTAL, quarter.slug)
    )
    return {
        "quarters": [q.slug for q in board.quarters],
        "key_figures": figures,
        "solve_days": solve_days,
        "figures_version": board.version,
        "figures_computed_at": _iso(board.refreshed.finished_at if board.refreshed else None),
    }


def _petit_dej(quarter: Quarter) -> list[dict[str, Any]]:
    """The quarter's editions of the national petit déj: agenda, attendance, decisions (the
    action items it created) and how the previous edition's action items went."""
    editions = _within(
        Edition.objects.published().filter(series__kind=SeriesKind.NATIONAL), "starts_at", quarter
    ).order_by("starts_at", "pk")
    today = timezone.localdate()
    found = []
    for edition in editions:
        previous, follow_up = meetings.follow_up_actions(edition)
        found.append(
            {
                "title": edition.title,
                "path": reverse("meetings:edition_detail", kwargs={"slug": edition.slug}),
                "starts_at": _iso(edition.starts_at),
                "format": edition.format,
                "agenda": [
                    {
                        "time": item.starts_at.strftime("%H:%M") if item.starts_at else "",
                        "title": item.title,
                        "speakers": item.speakers,
                        "kind": item.kind,
                    }
                    for item in meetings.agenda(edition)
                ],
                "attendance": [
                    {"mode": row.attendance, "registered": row.registered, "present": row.present}
                    for row in meetings.attendance_counts(edition)
                ],
                "decisions": [_action(item, today) for item in meetings.action_items(edition)],
                "previous": None
                if previous is None
                else {
                    "title": previous.title,
                    "path": reverse("meetings:edition_detail", kwargs={"slug": previous.slug}),
                    "starts_at": _iso(previous.starts_at),
                    "actions": [_action(item, today) for item in follow_up],
                },
            }
        )
    return found


def _action(item, today) -> dict[str, Any]:
    if item.status == ActionItemStatus.DONE:
        state = ActionState.DONE
    elif item.status == ActionItemStatus.DROPPED:
        state = ActionState.DROPPED
    elif item.is_overdue(today):
        state = ActionState.OVERDUE
    else:
        state = ActionState.OPEN
    return {
        "title": item.title,
        "owner": item.owner_public_label,
        "due": item.due_date.isoformat() if item.due_date else None,
        "state": state.value,
    }


def _solved_in(quarter: Quarter) -> QuerySet[Challenge]:
    return _within(
        Challenge.objects.visible().filter(status=ChallengeStatus.SOLVED),
        "status_changed_at",
        quarter,
    )


def _published_in(quarter: Quarter) -> QuerySet[Project]:
    return _within(Project.objects.published(), "published_at", quarter)


def _challenges_solved(quarter: Quarter) -> list[dict[str, Any]]:
    challenges = _solved_in(quarter).select_related("outcome_project")
    found = []
    for challenge in challenges.order_by("status_changed_at", "pk")[:LISTED]:
        project = challenge.outcome_project
        found.append(
            {
                "title": challenge.title,
                "path": reverse("challenges:detail", kwargs={"slug": challenge.slug}),
                "solved_at": _iso(challenge.status_changed_at),
                "result": challenge.outcome_result,
                "outcome": challenge.outcome_text,
                "project": None
                if project is None or project.status != ProjectStatus.PUBLISHED
                else {
                    "title": project.title,
                    "path": reverse("projects:detail", kwargs={"key": project.slug}),
                },
            }
        )
    return found


def _projects(quarter: Quarter) -> list[dict[str, Any]]:
    projects = _published_in(quarter).select_related("carrier")
    return [
        {
            "title": project.title,
            "path": reverse("projects:detail", kwargs={"key": project.slug}),
            "carrier": project.carrier.name,
            "stage": project.stage,
            "published_at": _iso(project.published_at),
            "results": _shortened(project.results),
        }
        # Those with results first: "what they achieved".
        for project in projects.annotate(
            no_results=Case(When(results="", then=Value(1)), default=Value(0))
        ).order_by("no_results", "published_at", "pk")[:LISTED]
    ]


def _shortened(text: str) -> str:
    text = text.strip()
    if len(text) <= RESULTS_SHOWN:
        return text
    return text[:RESULTS_SHOWN].rsplit(" ", 1)[0] + " …"


def _opportunities(quarter: Quarter) -> dict[str, int]:
    """Counts only: the interests received in the quarter, and what came of them (the
    national figures: a count of people, shown under the small-count rule)."""
    figures = observatory.figures_of(ScopeKind.NATIONAL, "")
    metric = Metric.INTERESTS.value
    return {
        "received": figures.get((metric, TOTAL, quarter.slug), 0),
        "contacted": figures.get((metric, InterestStatus.CONTACTED.value, quarter.slug), 0),
        "started": figures.get((metric, InterestStatus.STARTED.value, quarter.slug), 0),
    }


def report_snapshot(quarter: Quarter) -> dict[str, Any]:
    """Everything the report of `quarter` shows but its editorial, as JSON-ready data."""
    empty, total = observatory.coverage_counts()
    return {
        "schema": SNAPSHOT_SCHEMA,
        "quarter": quarter.slug,
        "taken_at": _iso(timezone.now()),
        **_key_figures(quarter),
        "petit_dej": _petit_dej(quarter),
        "challenges_solved": _challenges_solved(quarter),
        "challenges_solved_count": _solved_in(quarter).count(),
        "projects": _projects(quarter),
        "projects_count": _published_in(quarter).count(),
        "opportunities": _opportunities(quarter),
        "coverage": {"empty": empty, "total": total},
    }


# --- reading a report --------------------------------------------------------------------


def report_get(quarter_slug: str) -> QuarterlyReport | None:
    return (
        QuarterlyReport.objects.select_related("published_by", "editorial_updated_by")
        .filter(quarter=quarter_slug)
        .first()
    )


def reports_published() -> QuerySet[QuarterlyReport]:
    return QuarterlyReport.objects.published().select_related("published_by").order_by("-quarter")


def reports_drafted() -> QuerySet[QuarterlyReport]:
    return QuarterlyReport.objects.filter(status=ReportStatus.DRAFT).order_by("-quarter")


def report_content_key(report: QuarterlyReport) -> str:
    """What the report's page and PDF are built from: its snapshot, its editorial and its
    publication. A PDF (and a chart) is built again only when this changes."""
    parts = [
        report.quarter,
        report.status,
        report.editorial,
        str(report.editorial_drafted_by_ai),
        report.editorial_ai_model,
        _iso(report.published_at) or "",
        json.dumps(report.snapshot, sort_keys=True),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


@dataclass
class KeyFigure:
    metric: str
    title: str
    value: observatory.Cell
    previous: observatory.Cell
    total: observatory.Cell

    @property
    def change(self) -> str:
        """ "+3", "−2", "=" ; "" when either count is hidden (a difference would tell it)."""
        if self.value.hidden or self.previous.hidden:
            return ""
        difference = self.value.value - self.previous.value
        if difference == 0:
            return "="
        return f"+{difference}" if difference > 0 else f"−{-difference}"


@dataclass
class ReportChart:
    metric: str
    title: str
    svg: str
    about_people: bool
    rows: list[tuple[str, list[observatory.Cell], observatory.Cell]]
    columns: list[str]

    @property
    def chart_id(self) -> str:
        return f"rapport-{self.metric.replace('_', '-')}"


@dataclass
class ReportView:
    report: QuarterlyReport
    quarter: Quarter
    previous_quarter: Quarter
    key_figures: list[KeyFigure]
    charts: list[ReportChart]
    solve_days: int | None
    petit_dej: list[dict[str, Any]]
    challenges_solved: list[dict[str, Any]]
    projects: list[dict[str, Any]]
    opportunities: dict[str, observatory.Cell]
    coverage: dict[str, int]
    challenges_more: int
    projects_more: int
    taken_at: datetime | None
    figures_computed_at: datetime | None
    extra: dict[str, Any] = field(default_factory=dict)


def _dimension_labels(metric: str) -> list[tuple[str, str]]:
    return observatory._labels(metric)


def _label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _cells(values: list[int], people: bool) -> list[observatory.Cell]:
    return [observatory.Cell(value, people) for value in values]


def _chart(quarters: list[Quarter], figure: dict[str, Any]) -> ReportChart:
    shown = slice(-CHART_QUARTERS, None)
    quarters = quarters[shown]
    figure = {
        **figure,
        "trend": figure["trend"][shown],
        "lines": {code: values[shown] for code, values in figure["lines"].items()},
    }
    metric = figure["metric"]
    people = metric in ABOUT_PEOPLE
    title = str(Metric(metric).label)
    lines = [
        (label, _cells(figure["lines"].get(code, [0] * len(quarters)), people))
        for code, label in _dimension_labels(metric)
    ]
    lines = [(label, cells) for label, cells in lines if any(cell.value for cell in cells)]
    totals = _cells(figure["trend"], people)
    chart_id = f"rapport-{metric.replace('_', '-')}"
    labels = [quarter.label.replace(" ", "\n", 1) for quarter in quarters]
    series = [(label, [cell.drawn for cell in cells]) for label, cells in lines] or [
        (title, [cell.drawn for cell in totals])
    ]
    svg = bar_chart_cached(labels=labels, series=series, labelledby=chart_id + "-titre")
    rows = [
        (quarter.label, [cells[index] for _label_, cells in lines], totals[index])
        for index, quarter in enumerate(quarters)
    ]
    return ReportChart(
        metric=metric,
        title=title,
        svg=svg,
        about_people=people,
        rows=rows,
        columns=[label for label, _cells_ in lines],
    )


def _moment(text: str | None) -> datetime | None:
    return parse_datetime(text) if text else None


def _edition(edition: dict[str, Any]) -> dict[str, Any]:
    """An edition of the snapshot with its labels and its counts under the rule."""
    previous = edition.get("previous")
    if previous is not None:
        actions = [_action_view(item) for item in previous["actions"]]
        counts = dict.fromkeys(ActionState.values, 0)
        for item in previous["actions"]:
            counts[item["state"]] += 1
        previous = {
            **previous,
            "starts_at": _moment(previous["starts_at"]),
            "actions": actions,
            "counts": [(str(ActionState(state).label), n) for state, n in counts.items()],
        }
    return {
        **edition,
        "starts_at": _moment(edition["starts_at"]),
        "format_label": _label(EditionFormat, edition["format"]),
        "agenda": [
            {**item, "kind_label": _label(AgendaItemKind, item["kind"])}
            for item in edition["agenda"]
        ],
        "attendance": [
            {
                "label": _label(Attendance, row["mode"]),
                "registered": observatory.Cell(row["registered"], True),
                "present": observatory.Cell(row["present"], True),
            }
            for row in edition["attendance"]
        ],
        "decisions": [_action_view(item) for item in edition["decisions"]],
        "previous": previous,
    }


def _action_view(item: dict[str, Any]) -> dict[str, Any]:
    due = item.get("due")
    return {
        **item,
        "due": datetime.fromisoformat(due).date() if due else None,
        "state_label": _label(ActionState, item["state"]),
    }


def report_view(report: QuarterlyReport) -> ReportView:
    """The report as its page and its PDF show it, from its snapshot alone."""
    snapshot = report.snapshot or {}
    quarter = report.period
    quarters = [q for q in (Quarter.from_slug(s) for s in snapshot.get("quarters", [])) if q]
    figures = {figure["metric"]: figure for figure in snapshot.get("key_figures", [])}
    titles = key_titles()
    key_figures = [
        KeyFigure(
            metric=metric,
            title=str(titles.get(metric) or Metric(metric).label),
            value=observatory.Cell(figure["value"], metric in ABOUT_PEOPLE),
            previous=observatory.Cell(figure["previous"], metric in ABOUT_PEOPLE),
            total=observatory.Cell(figure["total"], metric in ABOUT_PEOPLE),
        )
        for metric, figure in figures.items()
    ]
    charts = [
        _chart(quarters, figures[metric.value])
        for metric in CHART_METRICS
        if metric.value in figures
    ]
    # A chart with nothing to draw (no figure, or only counts under the rule) is left out.
    charts = [chart for chart in charts if any(total.drawn for _q, _c, total in chart.rows)]
    opportunities = snapshot.get("opportunities", {})
    return ReportView(
        report=report,
        quarter=quarter,
        previous_quarter=quarter.previous(),
        key_figures=key_figures,
        charts=charts,
        solve_days=snapshot.get("solve_days"),
        petit_dej=[_edition(edition) for edition in snapshot.get("petit_dej", [])],
        challenges_solved=[
            {**item, "solved_at": _moment(item["solved_at"])}
            for item in snapshot.get("challenges_solved", [])
        ],
        projects=[
            {
                **item,
                "stage_label": _label(Stage, item["stage"]),
                "results_html": render_markdown(item["results"]),
            }
            for item in snapshot.get("projects", [])
        ],
        opportunities={
            name: observatory.Cell(opportunities.get(name, 0), True)
            for name in ("received", "contacted", "started")
        },
        coverage=snapshot.get("coverage", {"empty": 0, "total": 0}),
        challenges_more=max(
            0,
            snapshot.get("challenges_solved_count", 0) - len(snapshot.get("challenges_solved", [])),
        ),
        projects_more=max(0, snapshot.get("projects_count", 0) - len(snapshot.get("projects", []))),
        taken_at=_moment(snapshot.get("taken_at")),
        figures_computed_at=_moment(snapshot.get("figures_computed_at")),
    )
