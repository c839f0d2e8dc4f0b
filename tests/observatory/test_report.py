"""The quarterly report of T4 2025 on the hand-counted territory (conftest.py): each
section, the snapshot that does not move, drafting (service and command), permissions."""

import re
from datetime import date, datetime, time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from quartiers40.challenges.enums import ChallengeStatus
from quartiers40.core.models import ActionLog
from quartiers40.meetings.enums import ActionItemStatus, EditionStatus
from quartiers40.meetings.models import Edition
from quartiers40.observatory.enums import Metric, ReportStatus
from quartiers40.observatory.quarters import Quarter
from quartiers40.observatory.reports.models import QuarterlyReport
from quartiers40.observatory.reports.selectors import report_view
from quartiers40.observatory.reports.services import (
    quarter_just_ended,
    report_draft,
    report_editorial_update,
    report_publish,
)
from quartiers40.observatory.services import observatory_recompute
from quartiers40.projects.enums import Stage
from tests.meetings.factories import ActionItemFactory, AgendaItemFactory, EditionFactory
from tests.members.factories import CoordinatorFactory, UserFactory
from tests.observatory.conftest import _challenge, _project, at

pytestmark = pytest.mark.django_db

T4_2025 = Quarter(2025, 4)


@pytest.fixture
def petit_dej(territory):
    """The national edition of T4 2025 gets an agenda, a decision, and an earlier edition
    of its series (T3 2025) whose action items went three ways."""
    national = Edition.objects.get(starts_at=at(2025, 12, 4))
    AgendaItemFactory(edition=national, title="Accueil et café", starts_at=time(9, 0))
    AgendaItemFactory(edition=national, title="Un chatbot pour la CAF", speakers="Clic Solidaire")
    ActionItemFactory(
        edition=national,
        title="Écrire la charte des données",
        owner_organisation=territory.org1,
        due_date=date(2026, 3, 1),
    )
    earlier = EditionFactory(
        series=national.series,
        title="Petit déj de septembre",
        status=EditionStatus.PUBLISHED,
        starts_at=at(2025, 9, 4),
        ends_at=at(2025, 9, 4).replace(hour=14),
    )
    ActionItemFactory(edition=earlier, title="Ouvrir l'atelier", status=ActionItemStatus.DONE)
    ActionItemFactory(
        edition=earlier,
        title="Trouver une salle",
        status=ActionItemStatus.OPEN,
        due_date=date(2025, 10, 1),
    )
    ActionItemFactory(
        edition=earlier,
        title="Former les médiateurs",
        status=ActionItemStatus.IN_PROGRESS,
        due_date=timezone.localdate().replace(year=timezone.localdate().year + 1),
    )
    return national


@pytest.fixture
def report(petit_dej):
    observatory_recompute()
    return report_draft(T4_2025).report


def _figure(view, metric):
    return next(figure for figure in view.key_figures if figure.metric == metric)


def test_key_figures_are_the_national_dashboards_for_the_quarter_and_the_one_before(report):
    view = report_view(report)
    projects = _figure(view, Metric.PROJECTS_STAGE)
    # Published in T4 2025: p2 (1 December) and p5 (10 December); in T3: p1 (1 September).
    assert (projects.value.value, projects.previous.value, projects.change) == (2, 1, "+1")
    assert projects.total.value == 4
    challenges = _figure(view, Metric.CHALLENGES)
    # Posted in T4: 1 October and 1 November; in T3: 5 July, 1 August, 9 September.
    assert (challenges.value.value, challenges.previous.value, challenges.change) == (2, 3, "−1")
    members = _figure(view, Metric.MEMBERS)
    assert (members.value.value, members.previous.value) == (2, 1)
    # Registrations: 3 at the national edition (T4) -> a count of people under 5.
    registrations = _figure(view, Metric.REGISTRATIONS)
    assert registrations.value.value == 3 and registrations.value.text == "moins de 5"
    assert registrations.change == ""  # a difference would tell the hidden number
    # Solved in T4 2025: the défi of 1 October, solved in 10 days.
    assert _figure(view, Metric.CHALLENGES_SOLVED).value.value == 1
    assert view.solve_days == 10
    # Charts: the observatory's SVG, named by their caption.
    assert view.charts
    for chart in view.charts:
        assert chart.svg.startswith("<svg") and 'role="img"' in chart.svg
        assert f'aria-labelledby="{chart.chart_id}-titre"' in chart.svg
        assert [label for label, _cells, _total in chart.rows][-1] == "T4 2025"


def test_the_petit_dej_section_agenda_attendance_decisions_and_follow_up(report):
    (edition,) = report_view(report).petit_dej
    assert [item["title"] for item in edition["agenda"]] == [
        "Accueil et café",
        "Un chatbot pour la CAF",
    ]
    # Hybrid: both modes, 3 on site registered, nobody checked in: all under 5.
    assert [row["label"] for row in edition["attendance"]] == ["Sur place", "En ligne"]
    assert {row["registered"].text for row in edition["attendance"]} == {"moins de 5"}
    assert [action["title"] for action in edition["decisions"]] == ["Écrire la charte des données"]
    previous = edition["previous"]
    assert previous["title"] == "Petit déj de septembre"
    states = {action["title"]: action["state"] for action in previous["actions"]}
    assert states == {
        "Ouvrir l'atelier": "done",
        "Trouver une salle": "overdue",
        "Former les médiateurs": "open",
    }
    assert dict(previous["counts"]) == {
        "Faites": 1,
        "En cours, dans les temps": 1,
        "En retard": 1,
        "Abandonnées": 0,
    }


def test_the_challenges_projects_opportunities_and_coverage_sections(report):
    view = report_view(report)
    assert len(view.challenges_solved) == 1
    assert view.challenges_solved[0]["solved_at"].date() == date(2025, 10, 11)
    assert sorted(p["stage"] for p in view.projects) == [Stage.DEPLOYED, Stage.PILOT]
    # No interest received in T4 2025: shown "moins de 5", never 0.
    assert {cell.text for cell in view.opportunities.values()} == {"moins de 5"}
    # Cosmonautes has nothing yet, of the 4 QPVs.
    assert view.coverage == {"empty": 1, "total": 4}


def test_opportunities_taken_are_counted_under_the_rule(territory):
    observatory_recompute()
    view = report_view(report_draft(Quarter(2026, 1)).report)
    # 6 interests received in T1 2026, all contacted, none started yet.
    assert view.opportunities["received"].text == 6
    assert view.opportunities["contacted"].text == 6
    assert view.opportunities["started"].text == "moins de 5"


def test_the_snapshot_does_not_change_when_the_figures_are_recomputed(report, territory):
    before = report_view(report)
    _project(
        territory.org1,
        stage=Stage.IDEA,
        ai="",
        qpvs=[territory.a],
        themes=[],
        published=at(2025, 11, 5),
    )
    _challenge(
        status=ChallengeStatus.SOLVED,
        qpvs=[territory.b],
        created=at(2025, 10, 2),
        changed=at(2025, 12, 20),
    )
    observatory_recompute()
    report.refresh_from_db()
    after = report_view(report)
    assert _figure(after, Metric.PROJECTS_STAGE).value.value == 2
    assert len(after.projects) == len(before.projects) == 2
    assert len(after.challenges_solved) == 1
    # A new draft of the same quarter would see them (the archived one does not).
    assert report_draft(T4_2025).created is False


def test_drafting_is_idempotent(petit_dej):
    first = report_draft(T4_2025)
    second = report_draft(T4_2025)
    assert first.created and not second.created
    assert QuarterlyReport.objects.count() == 1
    assert first.report.status == ReportStatus.DRAFT and first.report.drafted_at


def test_the_command_drafts_the_quarter_just_ended_once(petit_dej, capsys):
    call_command("observatory_report_draft", "--quarter", "2025-t4")
    call_command("observatory_report_draft", "--quarter", "2025-t4")
    out = capsys.readouterr().out
    assert "2025-t4 drafted" in out and "already there" in out
    call_command("observatory_report_draft")
    assert QuarterlyReport.objects.filter(quarter=quarter_just_ended().slug).exists()
    with pytest.raises(CommandError):
        call_command("observatory_report_draft", "--quarter", Quarter.current().slug)
    with pytest.raises(CommandError):
        call_command("observatory_report_draft", "--quarter", "2025-q4")


def test_the_quarter_just_ended():
    assert quarter_just_ended(date(2027, 1, 1)) == Quarter(2026, 4)
    assert quarter_just_ended(date(2026, 6, 30)) == Quarter(2026, 1)


def test_only_the_coordination_team_writes_and_publishes(report):
    from django.core.exceptions import PermissionDenied, ValidationError

    member = UserFactory()
    coordinator = CoordinatorFactory()
    with pytest.raises(PermissionDenied):
        report_editorial_update(report=report, actor=member, editorial="Bonjour")
    with pytest.raises(PermissionDenied):
        report_publish(report=report, actor=member)
    with pytest.raises(ValidationError):  # no editorial yet
        report_publish(report=report, actor=coordinator)
    report_editorial_update(report=report, actor=coordinator, editorial="Un trimestre **utile**.")
    report_publish(report=report, actor=coordinator)
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED
    assert report.published_by == coordinator and report.published_at
    assert "<strong>utile</strong>" in report.editorial_html
    assert ActionLog.objects.filter(action="quarterly_report_published").count() == 1
    with pytest.raises(ValidationError):  # once
        report_publish(report=report, actor=coordinator)


def test_the_editorial_is_sanitised(report):
    coordinator = CoordinatorFactory()
    report_editorial_update(
        report=report,
        actor=coordinator,
        editorial='<script>alert(1)</script>[lien](javascript:alert(1)) <img src=x onerror="1">',
    )
    html = str(report.editorial_html)
    assert "<script" not in html and "javascript:" not in html and "onerror" not in html


def test_an_editorial_proposed_by_an_ai_says_so(client, report):
    coordinator = CoordinatorFactory()
    report_editorial_update(
        report=report,
        actor=coordinator,
        editorial="Ce trimestre, trois quartiers de plus.",
        drafted_by_ai=True,
        ai_model="albert-large",
    )
    report_publish(report=report, actor=coordinator)
    page = client.get("/observatoire/rapports/2025-t4/").content.decode()
    assert "proposé par une IA (albert-large), relu par l'équipe de coordination" in page
    # The coordination team's next edit keeps the label (they read it again).
    report_editorial_update(report=report, actor=coordinator, editorial="Relu et corrigé.")
    report.refresh_from_db()
    assert report.editorial_drafted_by_ai and report.editorial_ai_model == "albert-large"


def test_quarter_dates_are_in_the_report(report):
    taken = report_view(report).taken_at
    assert isinstance(taken, datetime) and timezone.is_aware(taken)
    assert re.fullmatch(r"\d{4}-t[1-4]", report.quarter)


def test_a_busy_quarter_lists_its_first_ones_and_says_how_many_more(petit_dej, monkeypatch):
    from quartiers40.observatory.reports import selectors

    monkeypatch.setattr(selectors, "LISTED", 1)
    observatory_recompute()
    report = report_draft(T4_2025).report
    view = report_view(report)
    assert len(view.projects) == 1 and view.projects_more == 1
    assert len(view.challenges_solved) == 1 and view.challenges_more == 0
    coordinator = CoordinatorFactory()
    report_editorial_update(report=report, actor=coordinator, editorial="Bonjour.")
    report_publish(report=report, actor=coordinator)
    from django.test import Client

    page = Client().get("/observatoire/rapports/2025-t4/").content.decode()
    assert "Et 1 autre nouveau projet." in page and 'href="/projets/"' in page
