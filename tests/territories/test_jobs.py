"""CSV checks in the background: creation, the queue, the worker, progress, cleanup."""

import csv
import io
import logging
import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from quartiers40.territories import jobs
from quartiers40.territories.enums import QPVCheckJobStatus
from quartiers40.territories.models import QPVCheckJob
from tests.tasks import run_worker

from . import fake_geocoder
from .factories import QPVFactory, box

pytestmark = pytest.mark.django_db

INSIDE = ("48.8860", "2.3540")  # in the Goutte d'Or box below
OUTSIDE = ("48.8500", "2.3500")
COORDINATES_CSV = (
    "nom;latitude;longitude\n"
    f"Dedans;{INSIDE[0]};{INSIDE[1]}\n"
    f"Dehors;{OUTSIDE[0]};{OUTSIDE[1]}\n"
    "Illisible;abc;2.35\n"
).encode()
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def goutte_dor(db):
    return QPVFactory(code="QN07511M", name="Goutte D'Or", geometry=box(2.35, 48.88, 0.01))


def create(django_capture_on_commit_callbacks, data=COORDINATES_CSV, filename="lieux.csv", **kw):
    with django_capture_on_commit_callbacks(execute=True):
        return jobs.qpv_check_job_create(data=data, filename=filename, **kw)


def result_rows(job: QPVCheckJob) -> list[dict]:
    with job.result.open("rb") as result:
        text = result.read().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


# --- Creation and the queue ----------------------------------------------------------------


def test_creation_stores_the_file_privately_and_enqueues_a_task(
    django_capture_on_commit_callbacks, settings
):
    job = create(django_capture_on_commit_callbacks)

    job.refresh_from_db()
    assert job.status == QPVCheckJobStatus.QUEUED
    assert job.filename == "lieux.csv"
    assert job.source_size == len(COORDINATES_CSV)
    assert job.created_by is None
    with job.source.open("rb") as source:
        assert source.read() == COORDINATES_CSV
    private_dir = Path(settings.MEDIA_ROOT) / "private" / "qpv-checks"
    assert Path(job.source.path).parent.parent == private_dir
    assert job.public_id not in job.filename and "lieux" not in job.source.name
    with pytest.raises(ValueError):
        job.source.url  # noqa: B018 - never a public address

    task = DBTaskResult.objects.get()
    assert task.status == "READY"
    assert task.task_path == "quartiers40.territories.jobs.qpv_check_job_run"
    assert task.args_kwargs == {"args": [], "kwargs": {"job_id": job.pk}}
    assert job.task_id == str(task.id)


def test_the_task_is_enqueued_only_once_the_job_is_committed(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        jobs.qpv_check_job_create(data=COORDINATES_CSV, filename="lieux.csv")

    assert len(callbacks) == 1
    assert not DBTaskResult.objects.exists()


def test_a_signed_in_uploader_owns_the_job(django_capture_on_commit_callbacks):
    from tests.members.factories import UserFactory

    user = UserFactory()
    job = create(django_capture_on_commit_callbacks, user=user)

    assert job.created_by == user
    assert list(user.qpv_check_jobs.all()) == [job]


@pytest.mark.parametrize(
    ("data", "filename", "code"),
    [
        (b"", "vide.csv", "empty"),
        (b"  \n\n", "blanc.csv", "empty"),
        (b"PK\x03\x04 rest of a spreadsheet", "classeur.csv", "not_csv"),
        (b"%PDF-1.7 ...", "document.csv", "not_csv"),
        (b"lat;lon\x00\x01\x02", "binaire.csv", "not_csv"),
        (b"latitude;longitude\n48.8;2.3\n", "lieux.xlsx", "not_csv"),
    ],
)
def test_what_cannot_be_a_csv_is_refused_at_once(data, filename, code):
    with pytest.raises(jobs.QPVCheckUploadError) as error:
        jobs.qpv_check_job_create(data=data, filename=filename)

    assert error.value.code == code
    assert not QPVCheckJob.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_a_file_over_the_limit_is_refused(settings):
    settings.QPV_CHECK_MAX_UPLOAD_BYTES = 2 * 1024 * 1024
    data = b"latitude;longitude\n" + b"48.8860;2.3540\n" * 200_000

    with pytest.raises(jobs.QPVCheckUploadError) as error:
        jobs.qpv_check_job_create(data=data, filename="gros.csv")

    assert error.value.code == "too_big"
    assert error.value.messages == [
        "Le fichier pèse 2,9 Mo : la limite est de 2 Mo. Découpez-le en plusieurs fichiers."
    ]


def test_the_stored_file_name_is_cleaned():
    job = jobs.qpv_check_job_create(data=COORDINATES_CSV, filename="../../a<b>:c\\d/lieux é.csv")

    assert job.filename == "lieux é.csv"
    assert jobs.qpv_check_result_filename(job) == "lieux é-qpv.csv"


# --- The run --------------------------------------------------------------------------------


def test_the_worker_runs_the_job_and_stores_the_result(
    goutte_dor, django_capture_on_commit_callbacks
):
    job = create(django_capture_on_commit_callbacks)

    run_worker()

    job.refresh_from_db()
    assert job.status == QPVCheckJobStatus.DONE
    assert (job.rows_done, job.rows_total) == (3, 3)
    assert (job.inside_count, job.outside_count, job.error_count) == (1, 1, 1)
    assert job.started_at <= job.finished_at
    assert job.error_message == ""
    rows = result_rows(job)
    assert [(row["nom"], row["qpv_code"], row["status"]) for row in rows] == [
        ("Dedans", "QN07511M", "ok"),
        ("Dehors", "", "ok"),
        ("Illisible", "", "invalid_coordinates"),
    ]
    assert int(rows[1]["distance_m"]) > 0
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_an_address_file_is_geocoded(
    goutte_dor, http_server, settings, django_capture_on_commit_callbacks
):
    fake_geocoder.install(http_server, settings)
    settings.TASKS = IMMEDIATE
    data = "adresse,code_postal,commune\n20 rue de la Goutte d'Or,75018,Paris\nnulle part,,\n"

    job = create(django_capture_on_commit_callbacks, data=data.encode())

    job.refresh_from_db()
    assert job.status == QPVCheckJobStatus.DONE
    assert (job.inside_count, job.outside_count, job.error_count) == (1, 0, 1)
    rows = list(csv.DictReader(io.StringIO(job.result.open("rb").read().decode("utf-8-sig"))))
    assert rows[0]["qpv_code"] == "QN07511M"
    assert rows[1]["status"] == "address_not_found"
    assert any(request.path == "/geocodage/search/csv/" for request in http_server.requests)


def test_a_bad_file_ends_failed_with_its_message(goutte_dor, django_capture_on_commit_callbacks):
    job = create(django_capture_on_commit_callbacks, data=b"nom;telephone\nA;0102030405\n")

    run_worker()

    job.refresh_from_db()
    assert job.status == QPVCheckJobStatus.FAILED
    assert "colonne" in job.error_message
    assert "nom" in job.error_message  # the columns found are listed
    assert not job.result
    assert job.finished_at is not None
    # The task itself went well: a bad file is an answer, not a crash.
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_too_many_rows_ends_failed(goutte_dor, django_capture_on_commit_callbacks, settings):
    data = ("latitude;longitude\n" + "48.8860;2.3540\n" * 50_001).encode()
    settings.TASKS = IMMEDIATE

    job = create(django_capture_on_commit_callbacks, data=data)

    job.refresh_from_db()
    assert job.status == QPVCheckJobStatus.FAILED
    assert "50 001" in job.error_message.replace("\u202f", " ").replace("\xa0", " ")


def test_an_unexpected_error_fails_the_job_with_a_generic_message_and_is_logged(
    goutte_dor, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def broken(**kwargs):
        raise RuntimeError("disque plein")

    monkeypatch.setattr(jobs, "qpv_csv_check", broken)
    job = create(django_capture_on_commit_callbacks)

    with caplog.at_level(logging.ERROR, logger="quartiers40.territories.jobs"):
        run_worker()

    job.refresh_from_db()
    assert job.status == QPVCheckJobStatus.FAILED
    assert job.error_message.startswith("Une erreur inattendue a empêché la vérification")
    assert "disque plein" not in job.error_message
    assert any(
        record.exc_info and "disque plein" in str(record.exc_info[1]) for record in caplog.records
    )


def test_a_task_run_twice_does_not_check_the_file_again(
    goutte_dor, django_capture_on_commit_callbacks
):
    job = create(django_capture_on_commit_callbacks)
    run_worker()
    finished_at = QPVCheckJob.objects.get().finished_at

    jobs.qpv_check_job_run.call(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == QPVCheckJobStatus.DONE
    assert job.finished_at == finished_at


def test_a_job_gone_before_its_run_is_skipped(django_capture_on_commit_callbacks):
    job = create(django_capture_on_commit_callbacks)
    QPVCheckJob.objects.filter(pk=job.pk).delete()

    run_worker()

    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


# --- Progress ------------------------------------------------------------------------------


def test_progress_is_saved_while_the_job_runs(
    goutte_dor, django_capture_on_commit_callbacks, monkeypatch, settings
):
    settings.GEOCODER_BATCH_SIZE = 1  # the check reports progress after each chunk
    monkeypatch.setattr(jobs, "PROGRESS_SAVE_SECONDS", 0)
    seen = []
    check = jobs.qpv_csv_check

    def spying(*, data, progress):
        def spy(done, total):
            progress(done, total)
            row = QPVCheckJob.objects.values_list("status", "rows_done", "rows_total").get()
            seen.append(row)

        return check(data=data, progress=spy)

    monkeypatch.setattr(jobs, "qpv_csv_check", spying)
    create(django_capture_on_commit_callbacks)

    run_worker()

    assert seen == [("running", done, 3) for done in range(4)]


def test_progress_is_written_at_most_every_second():
    job = jobs.qpv_check_job_create(data=COORDINATES_CSV, filename="lieux.csv")
    QPVCheckJob.objects.filter(pk=job.pk).update(status=QPVCheckJobStatus.RUNNING)
    now = [100.0]
    recorder = jobs.ProgressRecorder(job_id=job.pk, clock=lambda: now[0])

    def saved():
        return QPVCheckJob.objects.values_list("rows_done", "rows_total").get()

    recorder(0, 10_000)
    assert saved() == (0, 10_000)  # the first call: the size is known
    now[0] += 0.4
    recorder(5_000, 10_000)
    assert saved() == (0, 10_000)  # too soon
    now[0] += 0.7
    recorder(6_000, 10_000)
    assert saved() == (6_000, 10_000)  # a second has passed
    now[0] += 0.1
    recorder(10_000, 10_000)
    assert saved() == (10_000, 10_000)  # the last call always


def test_percent():
    job = QPVCheckJob(status=QPVCheckJobStatus.RUNNING, rows_done=1, rows_total=3)
    assert job.percent == 33
    assert QPVCheckJob(status=QPVCheckJobStatus.QUEUED).percent is None
    assert QPVCheckJob(status=QPVCheckJobStatus.DONE, rows_total=0).percent == 100


# --- Access ----------------------------------------------------------------------------------


def test_a_job_is_found_by_its_public_id_only():
    first = jobs.qpv_check_job_create(data=COORDINATES_CSV, filename="lieux.csv")
    second = jobs.qpv_check_job_create(data=COORDINATES_CSV, filename="lieux.csv")

    assert len(first.public_id) >= 32 and first.public_id != second.public_id
    assert jobs.qpv_check_job_get(public_id=first.public_id) == first
    for guess in ["", str(first.pk), first.public_id[:-1], first.public_id.upper(), "x" * 100]:
        if guess != first.public_id:
            assert jobs.qpv_check_job_get(public_id=guess) is None


# --- Cleanup ---------------------------------------------------------------------------------


def test_purge_deletes_old_jobs_with_their_files_and_keeps_recent_ones(
    goutte_dor, django_capture_on_commit_callbacks, settings
):
    settings.TASKS = IMMEDIATE
    old = create(django_capture_on_commit_callbacks)
    recent = create(django_capture_on_commit_callbacks)
    old.refresh_from_db()
    old_files = [Path(old.source.path), Path(old.result.path)]
    assert all(path.is_file() for path in old_files)
    QPVCheckJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))

    out = io.StringIO()
    call_command("qpv_check_purge", stdout=out)

    assert list(QPVCheckJob.objects.all()) == [recent]
    assert not any(path.exists() for path in old_files)
    assert not old_files[0].parent.exists()
    assert Path(recent.source.path).is_file()
    assert "1 vérifications de plus de 7 jours supprimées" in out.getvalue()


def test_purge_older_than(django_capture_on_commit_callbacks):
    job = create(django_capture_on_commit_callbacks)
    QPVCheckJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(days=2))

    call_command("qpv_check_purge", "--older-than", "3", stdout=io.StringIO())
    assert QPVCheckJob.objects.exists()
    call_command("qpv_check_purge", "--older-than", "1", stdout=io.StringIO())
    assert not QPVCheckJob.objects.exists()


def test_purge_removes_old_orphan_files_and_marks_stalled_jobs_failed(settings):
    orphan = Path(settings.MEDIA_ROOT) / "private" / "qpv-checks" / "disparu" / "source.csv"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"lat;lon\n")
    old = (timezone.now() - timedelta(days=10)).timestamp()
    os.utime(orphan, (old, old))
    fresh_orphan = orphan.parent.parent / "en-cours" / "source.csv"
    fresh_orphan.parent.mkdir()
    fresh_orphan.write_bytes(b"lat;lon\n")
    stalled = jobs.qpv_check_job_create(data=COORDINATES_CSV, filename="lieux.csv")
    QPVCheckJob.objects.filter(pk=stalled.pk).update(
        status=QPVCheckJobStatus.RUNNING, updated_at=timezone.now() - timedelta(hours=2)
    )

    report = jobs.qpv_check_job_purge()

    assert (report.orphan_files, report.interrupted, report.jobs) == (1, 1, 0)
    assert not orphan.exists() and fresh_orphan.exists()
    stalled.refresh_from_db()
    assert stalled.status == QPVCheckJobStatus.FAILED
    assert "interrompu" in stalled.error_message


def test_purge_refuses_a_negative_age():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("qpv_check_purge", "--older-than", "-1", stdout=io.StringIO())
