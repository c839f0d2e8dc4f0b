"""The pages of a CSV check: upload, the job's page in each state, etat.json, the result."""

import html
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from quartiers40.territories import jobs
from quartiers40.territories.enums import QPVCheckJobStatus
from quartiers40.territories.models import QPVCheckJob
from tests.members.factories import UserFactory

from .factories import QPVFactory, box
from .test_jobs import COORDINATES_CSV, run_worker

pytestmark = pytest.mark.django_db

UPLOAD_URL = "/territoires/fichier/"


@pytest.fixture
def goutte_dor(db):
    return QPVFactory(code="QN07511M", name="Goutte D'Or", geometry=box(2.35, 48.88, 0.01))


def csv_file(content: bytes = COORDINATES_CSV, name: str = "lieux.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def post(client, django_capture_on_commit_callbacks, file=None, **extra):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(UPLOAD_URL, {"fichier": file} if file else {}, **extra)


def job_url(job: QPVCheckJob, suffix: str = "") -> str:
    return f"/territoires/fichier/{job.public_id}/{suffix}"


def text(response) -> str:
    """The page's text without tags, spaces collapsed (non-breaking ones included)."""
    page = html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))
    return " ".join(page.replace("\u202f", " ").replace("\xa0", " ").split())


def make_job(**fields) -> QPVCheckJob:
    job = jobs.qpv_check_job_create(data=COORDINATES_CSV, filename="lieux.csv")
    QPVCheckJob.objects.filter(pk=job.pk).update(**fields)
    job.refresh_from_db()
    return job


# --- The upload form -----------------------------------------------------------------------


def test_upload_page_explains_the_file_expected(client):
    response = client.get(UPLOAD_URL)

    assert response.status_code == 200
    page = text(response)
    assert "Vérifier un fichier d'adresses" in page
    for expected in ["adresse", "latitude", "longitude", "point-virgule", "UTF-8", "50 000 lignes"]:
        assert expected in page
    assert "20 Mo" in page
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'href="/static/territories/batch/exemple-qpv.csv"' in html
    assert 'accept=".csv,text/csv"' in html


def test_the_example_file_is_a_valid_input(http_server, settings):
    from quartiers40.territories.services import qpv_layer_import

    from . import fake_geocoder
    from .conftest import SAMPLE_FILE

    qpv_layer_import(source=SAMPLE_FILE)
    fake_geocoder.install(http_server, settings)
    example = Path(jobs.__file__).parent / "static" / "territories" / "batch" / "exemple-qpv.csv"

    result = jobs.qpv_csv_check(data=example.read_bytes())

    assert result.total == 3
    assert result.inside == 2
    assert result.errors == 0


def test_a_valid_upload_creates_a_job_and_goes_to_its_page(
    client, django_capture_on_commit_callbacks
):
    response = post(client, django_capture_on_commit_callbacks, csv_file())

    job = QPVCheckJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == job_url(job)
    assert job.filename == "lieux.csv"
    assert job.created_by is None
    assert job.status == QPVCheckJobStatus.QUEUED
    assert DBTaskResult.objects.count() == 1


def test_a_signed_in_uploader_owns_the_job(client, django_capture_on_commit_callbacks):
    user = UserFactory()
    client.force_login(user)

    post(client, django_capture_on_commit_callbacks, csv_file())

    assert QPVCheckJob.objects.get().created_by == user


def test_no_file(client, django_capture_on_commit_callbacks):
    response = post(client, django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert "Choisissez le fichier CSV à vérifier." in text(response)
    assert not QPVCheckJob.objects.exists()


def test_a_file_too_big_is_refused_without_being_kept(
    client, django_capture_on_commit_callbacks, settings
):
    settings.QPV_CHECK_MAX_UPLOAD_BYTES = 1024
    content = b"latitude;longitude\n" + b"48.8860;2.3540\n" * 200

    response = post(client, django_capture_on_commit_callbacks, csv_file(content))

    assert response.status_code == 200
    assert "Le fichier dépasse la limite de 1 Ko. Découpez-le en plusieurs fichiers." in text(
        response
    )
    assert not QPVCheckJob.objects.exists()
    assert not (Path(settings.MEDIA_ROOT) / "private").exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00", "lieux.xlsx", "n'est pas un fichier CSV"),
        (b"%PDF-1.4 binary", "lieux.csv", "n'est pas un fichier CSV"),
        (COORDINATES_CSV, "lieux.json", "nom finissant par .csv"),
        (b"", "vide.csv", "Le fichier est vide."),
    ],
)
def test_a_wrong_file_shows_the_form_again_with_the_reason(
    client, django_capture_on_commit_callbacks, content, name, message
):
    response = post(client, django_capture_on_commit_callbacks, csv_file(content, name))

    assert response.status_code == 200
    page = text(response)
    assert message in page
    assert "Erreur –" in response.content.decode()  # in the title
    assert 'aria-describedby="id_fichier_helptext id_fichier_error"' in response.content.decode()
    assert not QPVCheckJob.objects.exists()


def test_upload_needs_the_csrf_token(django_capture_on_commit_callbacks):
    client = Client(enforce_csrf_checks=True)

    response = post(client, django_capture_on_commit_callbacks, csv_file())

    assert response.status_code == 403
    assert not QPVCheckJob.objects.exists()


def test_uploads_are_rate_limited_per_ip(client, django_capture_on_commit_callbacks, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "qpv_check_ip": (2, 3600)}

    for _attempt in range(2):
        assert post(client, django_capture_on_commit_callbacks, csv_file()).status_code == 302
    response = post(client, django_capture_on_commit_callbacks, csv_file())

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Vous avez envoyé beaucoup de fichiers en peu de temps" in text(response)
    assert QPVCheckJob.objects.count() == 2
    # Another address has its own budget.
    response = post(client, django_capture_on_commit_callbacks, csv_file(), REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 302


def test_signed_in_uploads_are_rate_limited_per_account(
    client, django_capture_on_commit_callbacks, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "qpv_check_account": (1, 3600)}
    client.force_login(UserFactory())

    assert post(client, django_capture_on_commit_callbacks, csv_file()).status_code == 302
    assert post(client, django_capture_on_commit_callbacks, csv_file()).status_code == 429


# --- The job's page -----------------------------------------------------------------------


def test_queued_job_page(client):
    job = make_job()

    response = client.get(job_url(job))

    assert response.status_code == 200
    html = response.content.decode()
    page = text(response)
    assert "Vérification du fichier « lieux.csv »" in page
    assert "En attente : la vérification commencera dans quelques instants." in page
    assert re.search(r"<title>\s*En attente – ", html)
    assert 'aria-live="polite"' in html
    assert re.search(r"<progress[^>]*>", html) and "value=" not in re.search(
        r"<progress[^>]*>", html
    ).group(0)  # indeterminate while waiting
    assert f'href="{job_url(job)}">Mettre à jour</a>' in html
    assert '<meta http-equiv="refresh"' not in html
    assert "/static/territories/batch/job.js" in html
    assert f'data-status-url="{job_url(job, "etat.json")}"' in html
    assert "Télécharger le résultat" not in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-cache" in response["Cache-Control"]


def test_running_job_page_shows_the_progress(client):
    job = make_job(status=QPVCheckJobStatus.RUNNING, rows_done=1_200, rows_total=5_000)

    response = client.get(job_url(job))

    html = response.content.decode()
    assert "En cours : 1 200 lignes vérifiées sur 5 000 (24 %)." in text(response)
    assert re.search(r'<progress[^>]* max="5000" value="1200">24 %</progress>', html)
    assert "Mettre à jour" in html


def test_done_job_page_shows_the_counts_and_the_download(
    client, goutte_dor, django_capture_on_commit_callbacks
):
    job = jobs.qpv_check_job_create(data=COORDINATES_CSV, filename="lieux.csv")
    with django_capture_on_commit_callbacks(execute=True):
        pass
    jobs.qpv_check_job_run.call(job_id=job.pk)

    response = client.get(job_url(job))

    page = text(response)
    html = response.content.decode()
    assert "Terminé : 3 lignes vérifiées. Le résultat est prêt." in page
    assert "Lignes vérifiées 3" in page
    assert "Dans un quartier prioritaire 1" in page
    assert "Hors quartier prioritaire 1" in page
    assert "En erreur (adresse introuvable, coordonnées illisibles…) 1" in page
    assert f'href="{job_url(job, "resultat.csv")}"' in html
    assert "Mettre à jour" not in html
    assert "job.js" not in html  # nothing left to follow
    assert re.search(r'<progress[^>]* max="3" value="3">100 %</progress>', html)


def test_failed_job_page_shows_the_reason(client):
    job = make_job(
        status=QPVCheckJobStatus.FAILED,
        error_message="Colonnes introuvables : indiquez une colonne « adresse ».",
    )

    response = client.get(job_url(job))

    page = text(response)
    assert "Échec : le fichier n'a pas pu être vérifié." in page
    assert "Colonnes introuvables : indiquez une colonne « adresse »." in page
    assert "Envoyer un autre fichier" in page
    assert "resultat.csv" not in response.content.decode()
    assert re.search(r"<progress[^>]* hidden", response.content.decode())


def test_an_unknown_job_is_not_found(client):
    make_job()

    for url in ["/territoires/fichier/inconnu/", "/territoires/fichier/1/"]:
        assert client.get(url).status_code == 404
        assert client.get(url + "etat.json").status_code == 404
        assert client.get(url + "resultat.csv").status_code == 404


# --- etat.json ------------------------------------------------------------------------------


def test_status_json_while_running(client):
    job = make_job(status=QPVCheckJobStatus.RUNNING, rows_done=2, rows_total=4)

    response = client.get(job_url(job, "etat.json"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    assert response.json() == {
        "status": "running",
        "status_label": "En cours",
        "text": "2 lignes vérifiées sur 4 (50 %).",
        "finished": False,
        "rows_done": 2,
        "rows_total": 4,
        "percent": 50,
        "counts": {"inside": 0, "outside": 0, "errors": 0},
        "error_message": None,
        "result_url": None,
        "outcome_html": "",
    }


def test_status_json_when_done_carries_the_result_block(
    client, goutte_dor, django_capture_on_commit_callbacks
):
    post(client, django_capture_on_commit_callbacks, csv_file())
    run_worker()
    job = QPVCheckJob.objects.get()

    state = client.get(job_url(job, "etat.json")).json()

    assert state["status"] == "done"
    assert state["finished"] is True
    assert state["percent"] == 100
    assert state["counts"] == {"inside": 1, "outside": 1, "errors": 1}
    assert state["result_url"] == job_url(job, "resultat.csv")
    assert "Télécharger le résultat (CSV)" in state["outcome_html"]


# --- The result -----------------------------------------------------------------------------


def test_the_result_downloads_with_a_proper_name(
    client, goutte_dor, django_capture_on_commit_callbacks
):
    post(client, django_capture_on_commit_callbacks, csv_file(name="Mes adresses.csv"))
    run_worker()
    job = QPVCheckJob.objects.get()

    response = client.get(job_url(job, "resultat.csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="Mes adresses-qpv.csv"'
    assert response["Cache-Control"] == "private, no-store"
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbfnom;latitude;longitude;qpv_code;")
    assert b"QN07511M" in content


def test_the_downloaded_result_neutralises_uploaded_formulas(
    client, goutte_dor, django_capture_on_commit_callbacks
):
    """CSV injection: people open the result in a spreadsheet; a formula stays text."""
    uploaded = (
        b"nom;latitude;longitude\n"
        b'"=HYPERLINK(""http://evil"",""x"")";48.8867;2.3539\n'
        b"@SUM(1);48.8867;2.3539\n"
    )
    post(client, django_capture_on_commit_callbacks, csv_file(uploaded))
    run_worker()
    job = QPVCheckJob.objects.get()

    response = client.get(job_url(job, "resultat.csv"))

    lines = b"".join(response.streaming_content).decode("utf-8-sig").split("\r\n")
    assert lines[1].startswith('"\'=HYPERLINK(""http://evil"",""x"")";')
    assert lines[2].startswith("'@SUM(1);")


def test_the_result_is_not_there_before_the_end(client):
    job = make_job(status=QPVCheckJobStatus.RUNNING)

    assert client.get(job_url(job, "resultat.csv")).status_code == 404


def test_the_result_of_a_purged_file_is_not_found(
    client, goutte_dor, django_capture_on_commit_callbacks
):
    post(client, django_capture_on_commit_callbacks, csv_file())
    run_worker()
    job = QPVCheckJob.objects.get()
    Path(job.result.path).unlink()

    assert client.get(job_url(job, "resultat.csv")).status_code == 404


def test_upload_page_is_linked_from_the_job_page(client):
    job = make_job()

    assert (
        f'href="{reverse("territories_batch:upload")}"' in client.get(job_url(job)).content.decode()
    )
