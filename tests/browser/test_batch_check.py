"""Checking a CSV file in real Chromium: upload, the job's page following the worker, the
result; with and without JavaScript; axe-core (WCAG 2.1 AA) on every state.

Jobs go to the database queue as in production; the test runs the real worker
(`db_worker --batch`) when it wants the job to move, while the page is open.
"""

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from quartiers40.territories.lookup import qpv_index_invalidate
from quartiers40.territories.models import QPVCheckJob
from tests.browser.conftest import assert_no_axe_violations
from tests.territories.factories import QPVFactory, box
from tests.territories.test_jobs import run_worker

FILE = {
    "name": "lieux.csv",
    "mimeType": "text/csv",
    "buffer": (
        b"nom;latitude;longitude\nCentre social;48.8860;2.3540\nMairie;48.8500;2.3500\nInconnu;;\n"
    ),
}
NARROW = {"width": 320, "height": 800}


@pytest.fixture(autouse=True)
def _fresh_qpv_index():
    qpv_index_invalidate()
    yield
    qpv_index_invalidate()


@pytest.fixture
def layer(transactional_db):
    return QPVFactory(code="QN07511M", name="Goutte D'Or", geometry=box(2.35, 48.88, 0.01))


@pytest.fixture
def csp_errors(page):
    errors = []
    page.on(
        "console",
        lambda message: (
            errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return errors


def _upload(page, live_server) -> None:
    page.goto(f"{live_server.url}/territoires/fichier/")
    page.get_by_label("Fichier CSV").set_input_files(FILE)
    page.get_by_role("button", name="Lancer la vérification").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Vérification du fichier « lieux.csv »"
    )


def test_upload_watch_the_progress_and_download_the_result(page, live_server, layer, csp_errors):
    page.goto(f"{live_server.url}/territoires/fichier/")
    expect(page.get_by_role("link", name="Télécharger un fichier d'exemple")).to_be_visible()
    assert_no_axe_violations(page)

    _upload(page, live_server)
    status = page.locator("[data-job-text]")
    expect(status).to_have_text("En attente : la vérification commencera dans quelques instants.")
    expect(page).to_have_title(re.compile("^En attente – "))
    assert_no_axe_violations(page)  # while queued

    run_worker()  # the page is open and polling: it must notice by itself

    expect(status).to_have_text("Terminé : 3 lignes vérifiées. Le résultat est prêt.")
    expect(page).to_have_title(re.compile("^Terminé – "))
    expect(page.locator("progress")).to_have_attribute("value", "3")
    expect(page.get_by_role("link", name="Mettre à jour")).to_have_count(0)
    expect(page.locator(".job-counts")).to_contain_text("Dans un quartier prioritaire")
    assert_no_axe_violations(page)  # done, as updated by the script

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le résultat (CSV)").click()
    download = download_info.value
    assert download.suggested_filename == "lieux-qpv.csv"
    content = Path(download.path()).read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content), delimiter=";"))
    assert [(row["nom"], row["qpv_code"], row["status"]) for row in rows] == [
        ("Centre social", "QN07511M", "ok"),
        ("Mairie", "", "ok"),
        ("Inconnu", "", "missing_location"),
    ]

    page.reload()  # the finished page as the server renders it
    expect(status).to_have_text("Terminé : 3 lignes vérifiées. Le résultat est prêt.")
    assert_no_axe_violations(page)
    assert csp_errors == []


def test_without_javascript_the_update_button_shows_the_state(new_context, live_server, layer):
    page = new_context(java_script_enabled=False).new_page()
    _upload(page, live_server)
    status = page.locator("[data-job-text]")
    expect(status).to_have_text("En attente : la vérification commencera dans quelques instants.")

    run_worker()
    expect(status).to_contain_text("En attente")  # nothing moves without JavaScript…
    page.get_by_role("link", name="Mettre à jour").click()  # …until the reader asks

    expect(status).to_have_text("Terminé : 3 lignes vérifiées. Le résultat est prêt.")
    expect(page.get_by_role("link", name="Télécharger le résultat (CSV)")).to_be_visible()
    assert QPVCheckJob.objects.get().status == "done"


def test_a_failed_job_and_a_wrong_upload_have_no_axe_violation(page, live_server, layer):
    page.goto(f"{live_server.url}/territoires/fichier/")
    page.get_by_label("Fichier CSV").set_input_files(
        {"name": "classeur.xlsx", "mimeType": "application/zip", "buffer": b"PK\x03\x04data"}
    )
    page.get_by_role("button", name="Lancer la vérification").click()
    expect(page.get_by_role("alert")).to_contain_text("Le formulaire contient des erreurs")
    expect(page.get_by_label("Fichier CSV")).to_have_accessible_description(
        re.compile("n'est pas un fichier CSV")
    )
    assert_no_axe_violations(page)

    page.get_by_label("Fichier CSV").set_input_files(
        {"name": "sans-colonnes.csv", "mimeType": "text/csv", "buffer": b"nom\nA\n"}
    )
    page.get_by_role("button", name="Lancer la vérification").click()
    run_worker()
    expect(page.locator("[data-job-text]")).to_have_text(
        "Échec : le fichier n'a pas pu être vérifié."
    )
    expect(page.locator(".job-outcome .alert-error")).to_contain_text("nom")
    expect(page.locator("progress")).to_be_hidden()
    assert_no_axe_violations(page)


def test_pages_fit_a_narrow_screen(new_context, live_server, layer):
    page = new_context(viewport=NARROW).new_page()
    page.goto(f"{live_server.url}/territoires/fichier/")
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    _upload(page, live_server)
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
