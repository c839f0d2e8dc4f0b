"""CSV checks in the background: a job per uploaded file, run by the task worker.

    qpv_check_job_create  (web page or API)  → queued, the file stored, a task enqueued
    qpv_check_job_run     (the worker)       → running → done (result CSV) | failed

The queue is django-tasks with its database backend (`TASKS` setting): the task row is
written in the same database, and run by `manage.py db_worker`. The task is enqueued
after the job's transaction commits, so a worker never looks for a job that is not
there yet. Files live in a private storage (`models.PrivateFileStorage`) and are
deleted with their job after `QPV_CHECK_RETENTION_DAYS` (`qpv_check_job_purge`).
"""

import contextlib
import logging
import os
import re
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django_tasks import task

from quartiers40.core.forms import error_text

from .batch import QPVCheckFileError, qpv_csv_check
from .enums import CheckRowStatus, QPVCheckJobStatus
from .models import QPVCheckJob, qpv_check_storage

logger = logging.getLogger(__name__)

# Progress is written to the database at most this often (seconds), plus at the start
# and at the end: a page polling every 1–2 s sees it move, the database is not flooded.
PROGRESS_SAVE_SECONDS = 1.0
ACCEPTED_EXTENSIONS = (".csv", ".txt", ".tsv")
# What a spreadsheet, an archive, a PDF or an image starts with: not a CSV.
_BINARY_SIGNATURES = (
    b"PK\x03\x04",  # XLSX, ODS, ZIP
    b"\xd0\xcf\x11\xe0",  # XLS (OLE2)
    b"%PDF",
    b"\x89PNG",
    b"\xff\xd8\xff",  # JPEG
    b"GIF8",
    b"\x1f\x8b",  # gzip
)
_UNSAFE_FILENAME = re.compile(r"[^\w.() -]+")


def max_upload_bytes() -> int:
    return int(getattr(settings, "QPV_CHECK_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))


def retention_days() -> int:
    return int(getattr(settings, "QPV_CHECK_RETENTION_DAYS", 7))


def megabytes(size: int) -> str:
    """20971520 -> "20 Mo", 1536 -> "2 Ko" (French units: mégaoctet, kilooctet)."""
    if size < 1024 * 1024:
        return _("%(size)s Ko") % {"size": max(1, round(size / 1024))}
    value = size / (1024 * 1024)
    digits = 0 if value >= 10 or value == int(value) else 1
    return _("%(size)s Mo") % {"size": number_format(round(value, digits), digits)}


class QPVCheckUploadError(ValidationError):
    """The upload is refused before any job is created; the message (French) says why."""


# --- Creation (web page, API) ------------------------------------------------------------


def qpv_check_upload_validate(*, filename: str, size: int, head: bytes | None = None) -> None:
    """Refuse at once what cannot be a CSV file to check: too big, empty, not text.

    `head` is the start of the content (a few KB); without it only the size is checked,
    before an upload is read. The columns, the encoding and the number of
    rows are checked by the worker, which reports a bad file as a failed job with
    `QPVCheckFileError`'s message.
    """
    limit = max_upload_bytes()
    if size > limit:
        raise QPVCheckUploadError(
            _(
                "Le fichier pèse %(size)s : la limite est de %(limit)s. Découpez-le en "
                "plusieurs fichiers."
            )
            % {"size": megabytes(size), "limit": megabytes(limit)},
            code="too_big",
        )
    if head is None:
        return
    if size == 0 or not head.strip():
        raise QPVCheckUploadError(_("Le fichier est vide."), code="empty")
    if head.startswith(_BINARY_SIGNATURES) or (b"\x00" in head and not _is_utf16(head)):
        raise QPVCheckUploadError(
            _(
                "Ce fichier n'est pas un fichier CSV (c'est peut-être un classeur, une "
                "archive, un PDF ou une image). Depuis votre tableur, enregistrez-le au "
                "format « CSV UTF-8 » ou « CSV (séparateur : point-virgule) »."
            ),
            code="not_csv",
        )
    if os.path.splitext(filename)[1].lower() not in ACCEPTED_EXTENSIONS:
        raise QPVCheckUploadError(
            _(
                "Le fichier doit être un fichier CSV (nom finissant par .csv) ; « %(name)s » "
                "ne l'est pas."
            )
            % {"name": filename},
            code="not_csv",
        )


def _is_utf16(head: bytes) -> bool:
    # Refused by the check itself with a precise message (« encodé en UTF-16 »).
    return head.startswith((b"\xff\xfe", b"\xfe\xff"))


def _clean_filename(filename: str) -> str:
    name = os.path.basename(filename.replace("\\", "/"))
    name = unicodedata.normalize("NFC", name)
    name = _UNSAFE_FILENAME.sub("_", name).strip(" .") or "fichier.csv"
    return name[-200:]


@transaction.atomic
def qpv_check_job_create(
    *, data: bytes | File, filename: str, user: AbstractBaseUser | None = None
) -> QPVCheckJob:
    """Store an uploaded CSV file and queue its check. Raises `QPVCheckUploadError`.

    `data` is the file's content, or a Django `File` (an upload): its size is checked
    before it is read. `user` is None for an anonymous upload.
    """
    if isinstance(data, File):
        qpv_check_upload_validate(filename=filename, size=data.size or 0)
        data.seek(0)
        data = data.read()
    qpv_check_upload_validate(filename=filename, size=len(data), head=data[:4096])

    job = QPVCheckJob(
        filename=_clean_filename(filename),
        source_size=len(data),
        created_by=user if getattr(user, "pk", None) else None,
    )
    job.source.save("source.csv", ContentFile(data), save=False)
    job.save()
    logger.info("QPV check job %s queued (%s bytes)", job.pk, job.source_size)
    transaction.on_commit(partial(_enqueue, job.pk))
    return job


def _enqueue(job_id: int) -> None:
    try:
        result = qpv_check_job_run.enqueue(job_id=job_id)
    except Exception:
        logger.exception("QPV check job %s could not be queued", job_id)
        _fail(job_id, _generic_failure())
        return
    QPVCheckJob.objects.filter(pk=job_id).update(task_id=str(result.id)[:64])


# --- The run (the worker) --------------------------------------------------------------


# Someone watches the job's page while it runs: it goes before the e-mails and reminders
# waiting in the same queue (django-tasks' default priority is 0).
@task(priority=10)
def qpv_check_job_run(job_id: int) -> None:
    """The task: check the job's file, store the result. Never raises for a bad file."""
    job = qpv_check_job_start(job_id=job_id)
    if job is None:
        return
    try:
        with job.source.open("rb") as source:
            data = source.read()
        result = qpv_csv_check(data=data, progress=ProgressRecorder(job_id=job.pk))
    except QPVCheckFileError as error:
        qpv_check_job_fail(job_id=job.pk, message=error_text(error))
        return
    except Exception:
        logger.exception("QPV check job %s failed unexpectedly", job.pk)
        qpv_check_job_fail(job_id=job.pk, message=_generic_failure())
        return
    qpv_check_job_finish(
        job_id=job.pk,
        content=result.content,
        total=result.total,
        inside=result.inside,
        outside=result.counts[CheckRowStatus.OK] - result.inside,
        errors=result.errors,
    )


def _generic_failure() -> str:
    return _(
        "Une erreur inattendue a empêché la vérification de ce fichier. L'équipe en est "
        "informée ; réessayez plus tard."
    )


@transaction.atomic
def qpv_check_job_start(*, job_id: int) -> QPVCheckJob | None:
    """queued → running. None when the job is gone or not queued (a task run twice)."""
    job = QPVCheckJob.objects.select_for_update().filter(pk=job_id).first()
    if job is None or job.status != QPVCheckJobStatus.QUEUED:
        logger.warning("QPV check job %s not started: %s", job_id, job and job.status)
        return None
    job.status = QPVCheckJobStatus.RUNNING
    job.started_at = timezone.now()
    job.save(update_fields=["status", "started_at", "updated_at"])
    logger.info("QPV check job %s running", job_id)
    return job


@transaction.atomic
def qpv_check_job_finish(
    *, job_id: int, content: bytes, total: int, inside: int, outside: int, errors: int
) -> QPVCheckJob | None:
    """running → done, with the result file and the counts."""
    job = QPVCheckJob.objects.select_for_update().filter(pk=job_id).first()
    if job is None or job.status != QPVCheckJobStatus.RUNNING:
        logger.warning("QPV check job %s not finished: %s", job_id, job and job.status)
        return None
    job.result.save("resultat.csv", ContentFile(content), save=False)
    job.status = QPVCheckJobStatus.DONE
    job.rows_total = job.rows_done = total
    job.inside_count, job.outside_count, job.error_count = inside, outside, errors
    job.finished_at = timezone.now()
    job.save()
    logger.info("QPV check job %s done: %s rows", job_id, total)
    return job


def qpv_check_job_fail(*, job_id: int, message: str) -> QPVCheckJob | None:
    """queued or running → failed, with the French message shown to the uploader."""
    return _fail(job_id, message)


@transaction.atomic
def _fail(job_id: int, message: str) -> QPVCheckJob | None:
    job = QPVCheckJob.objects.select_for_update().filter(pk=job_id).first()
    if job is None or job.is_finished:
        return None
    job.status = QPVCheckJobStatus.FAILED
    job.error_message = message
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error_message", "finished_at", "updated_at"])
    logger.info("QPV check job %s failed: %s", job_id, message)
    return job


@dataclass
class ProgressRecorder:
    """The `progress(done, total)` callback of `qpv_csv_check`, saving to the job's row.

    Writes the first call (the number of rows becomes known), the last one, and in
    between at most every `PROGRESS_SAVE_SECONDS`.
    """

    job_id: int
    clock: Callable[[], float] = time.monotonic
    _last_saved: float | None = None

    def __call__(self, done: int, total: int) -> None:
        now = self.clock()
        first = self._last_saved is None
        if not (first or done >= total or now - self._last_saved >= PROGRESS_SAVE_SECONDS):
            return
        self._last_saved = now
        QPVCheckJob.objects.filter(pk=self.job_id, status=QPVCheckJobStatus.RUNNING).update(
            rows_done=done, rows_total=total, updated_at=timezone.now()
        )


# --- Reads for pages and the API ---------------------------------------------------------


def qpv_check_job_get(*, public_id: str) -> QPVCheckJob | None:
    """The job at this secret address, or None. The id alone gives access."""
    if not public_id or len(public_id) > 64:
        return None
    return QPVCheckJob.objects.filter(public_id=public_id).first()


def qpv_check_result_filename(job: QPVCheckJob) -> str:
    """ "adresses.csv" -> "adresses-qpv.csv"."""
    stem = os.path.splitext(job.filename)[0] or "fichier"
    return f"{stem}-qpv.csv"


# --- Cleanup ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PurgeReport:
    jobs: int
    orphan_files: int
    interrupted: int


# A running job whose progress has not moved for this long lost its worker (killed,
# out of memory, redeployed): it is marked failed so that its page does not wait forever.
STALE_RUNNING_AFTER = timedelta(hours=1)


def qpv_check_job_purge(*, older_than_days: int | None = None) -> PurgeReport:
    """Delete the jobs (and their files) created more than `older_than_days` ago, files
    left without a job, and mark as failed the running jobs that no worker moves any more."""
    days = retention_days() if older_than_days is None else older_than_days
    limit = timezone.now() - timedelta(days=days)

    interrupted = 0
    stale = QPVCheckJob.objects.filter(
        status=QPVCheckJobStatus.RUNNING, updated_at__lt=timezone.now() - STALE_RUNNING_AFTER
    ).values_list("pk", flat=True)
    for job_id in list(stale):
        if _fail(
            job_id,
            _(
                "Le traitement de ce fichier a été interrompu. Envoyez-le à nouveau pour "
                "relancer la vérification."
            ),
        ):
            interrupted += 1

    deleted = 0
    for job in QPVCheckJob.objects.created_before(limit).iterator():
        _delete_files(job)
        job.delete()
        deleted += 1

    # Files younger than an hour may belong to an upload whose job is being saved.
    orphans_limit = min(limit, timezone.now() - timedelta(hours=1))
    return PurgeReport(
        jobs=deleted, orphan_files=_purge_orphans(orphans_limit), interrupted=interrupted
    )


def _delete_files(job: QPVCheckJob) -> None:
    for file in (job.source, job.result):
        if file.name:
            file.storage.delete(file.name)


def _purge_orphans(limit) -> int:
    """Files of jobs gone without their files (a rolled-back upload, a deleted account)."""
    storage = qpv_check_storage()
    try:
        directories, _files = storage.listdir("")
    except FileNotFoundError:
        return 0
    known = set(
        QPVCheckJob.objects.filter(public_id__in=directories).values_list("public_id", flat=True)
    )
    removed = 0
    for directory in directories:
        if directory in known:
            continue
        _subdirectories, names = storage.listdir(directory)
        paths = [f"{directory}/{name}" for name in names]
        if any(storage.get_modified_time(path) >= limit for path in paths):
            continue  # maybe a job being created right now
        for path in paths:
            storage.delete(path)
            removed += 1
        with contextlib.suppress(OSError):
            os.rmdir(storage.path(directory))
    return removed
