# ruff: noqa: F811 - the fixtures `report` and `petit_dej` come from test_report.py
"""The reports' pages: the archive, a report's page and PDF, the coordination team's
editorial form and publish button; drafts are 404 for everybody else; CSRF is checked."""

import re

import pytest
from django.test import Client

from quartiers40.observatory.enums import ReportStatus
from quartiers40.observatory.reports.services import report_editorial_update, report_publish
from tests.members.factories import CoordinatorFactory, UserFactory
from tests.observatory.test_report import petit_dej, report  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

PAGE = "/observatoire/rapports/2025-t4/"
PDF = "/observatoire/rapports/2025-t4.pdf"
EDIT = "/observatoire/rapports/2025-t4/modifier/"
PUBLISH = "/observatoire/rapports/2025-t4/publier/"


@pytest.fixture
def coordinator():
    return CoordinatorFactory()


def signed_in(user, *, csrf_checks=False) -> Client:
    client = Client(enforce_csrf_checks=csrf_checks)
    client.force_login(user)
    return client


def test_a_draft_is_404_for_visitors_and_members(client, report):
    member = signed_in(UserFactory())
    for path in (PAGE, PDF, EDIT):
        assert member.get(path).status_code == 404
    assert member.post(PUBLISH, {"editorial": "Non"}).status_code == 404
    assert client.get(PAGE).status_code == 404
    assert client.get(PDF).status_code == 404
    assert client.post(PUBLISH, {"editorial": "Non"})["Location"].startswith("/connexion/")
    assert b"2025-t4" not in client.get("/observatoire/rapports/").content
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.editorial == ""


def test_the_coordination_team_sees_the_draft_and_its_form(report, coordinator):
    team = signed_in(coordinator)
    assert team.get(PAGE).status_code == 200
    assert "Brouillon" in team.get(PAGE).content.decode()
    page = team.get(EDIT).content.decode()
    assert "Publier le rapport" in page and 'name="editorial"' in page
    archive = team.get("/observatoire/rapports/").content.decode()
    assert EDIT in archive and "Préparer le rapport" in archive


def test_the_team_writes_then_publishes_and_everybody_reads_it(client, report, coordinator):
    team = signed_in(coordinator)
    response = team.post(EDIT, {"editorial": "Un **bon** trimestre."})
    assert response.status_code == 302
    response = team.post(PUBLISH, {"editorial": "Un **très bon** trimestre."})
    assert response.status_code == 302 and response["Location"] == PAGE
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED and report.published_by == coordinator
    page = client.get(PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<strong>très bon</strong>" in html
    assert len(page.content) < 150_000
    assert b"csrfmiddlewaretoken" not in page.content
    archive = client.get("/observatoire/rapports/").content.decode()
    assert PAGE in archive and PDF in archive
    pdf = client.get(PDF)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-") and len(pdf.content) < 2 * 1024 * 1024
    # A member still may not edit it.
    assert signed_in(UserFactory()).get(EDIT).status_code == 404


def test_an_invalid_form_keeps_what_was_typed(report, coordinator):
    team = signed_in(coordinator)
    typed = "Un éditorial " + "très " * 2000
    response = team.post(PUBLISH, {"editorial": typed})
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r"L&#x27;éditorial fait [\d\s\u202f\xa0]+ caractères, 8\D000 au plus", html)
    assert "Un éditorial très très" in html
    # Publishing without an editorial: refused on the field.
    response = team.post(PUBLISH, {"editorial": "   "})
    assert response.status_code == 200
    assert "Écrivez l&#x27;éditorial avant de publier" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_writes_need_the_csrf_token(report, coordinator):
    team = signed_in(coordinator, csrf_checks=True)
    assert team.post(PUBLISH, {"editorial": "Bonjour"}).status_code == 403
    assert team.post(EDIT, {"editorial": "Bonjour"}).status_code == 403
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.editorial == ""


def test_publish_is_a_post(report, coordinator):
    assert signed_in(coordinator).get(PUBLISH).status_code == 405


def test_the_team_prepares_the_quarter_just_ended(coordinator, territory):
    team = signed_in(coordinator)
    response = team.post("/observatoire/rapports/preparer/")
    assert response.status_code == 302 and response["Location"].endswith("/modifier/")
    assert Client().post("/observatoire/rapports/preparer/").status_code == 302  # sign in
    assert signed_in(UserFactory()).post("/observatoire/rapports/preparer/").status_code == 404


def test_unknown_quarters_are_404(client):
    assert client.get("/observatoire/rapports/2031-t2/").status_code == 404
    assert client.get("/observatoire/rapports/2031-t5/").status_code == 404


def test_the_published_page_is_served_from_the_page_cache(
    client, report, coordinator, django_assert_num_queries
):
    report_editorial_update(report=report, actor=coordinator, editorial="Bonjour.")
    report_publish(report=report, actor=coordinator)
    client.get(PAGE)
    with django_assert_num_queries(0):
        assert client.get(PAGE).status_code == 200


def test_the_national_dashboard_links_to_the_reports(client, territory):
    assert 'href="/observatoire/rapports/"' in client.get("/observatoire/").content.decode()
