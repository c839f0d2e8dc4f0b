"""Checking a whole CSV file against the QPVs, in the background.

    /territoires/fichier/                          the upload form
    /territoires/fichier/<public_id>/              the job's page (progress, counts, result)
    /territoires/fichier/<public_id>/etat.json     its state, polled by batch/job.js
    /territoires/fichier/<public_id>/resultat.csv  the result

The job's `public_id` is its key: whoever has the page's address may follow it and
download the result, and nobody can guess it. The pages work without JavaScript (a
"Mettre à jour" link reloads the page); with it, the page updates itself.
"""

from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from quartiers40.core.ratelimit import client_ip, rate_limit_check

from .. import jobs
from ..batch import MAX_ROWS, number_text
from ..enums import QPVCheckJobStatus
from ..forms import QPVCheckUploadForm
from ..models import QPVCheckJob

RATE_LIMIT_IP_SCOPE = "qpv_check_ip"
RATE_LIMIT_ACCOUNT_SCOPE = "qpv_check_account"


class UploadSizeLimit(FileUploadHandler):
    """Stops keeping an uploaded file as soon as it passes the limit (the rest of the
    request is read and thrown away): an oversized file never fills the disk."""

    def __init__(self, request: HttpRequest, limit: int):
        super().__init__(request)
        self.limit = limit
        self.oversized = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            self.oversized = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int):
        return None  # the next handlers build the file


@csrf_exempt  # checked below, once the size limit is in place
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    limiter = None
    if request.method == "POST":
        limiter = UploadSizeLimit(request, jobs.max_upload_bytes())
        request.upload_handlers.insert(0, limiter)
    return _upload(request, limiter)


@csrf_protect
def _upload(request: HttpRequest, limiter: UploadSizeLimit | None) -> HttpResponse:
    if request.method != "POST":
        return _upload_page(request, QPVCheckUploadForm())

    user = request.user if request.user.is_authenticated else None
    if user is not None:
        limit = rate_limit_check(request, (RATE_LIMIT_ACCOUNT_SCOPE, str(user.pk)))
    else:
        limit = rate_limit_check(request, (RATE_LIMIT_IP_SCOPE, client_ip(request)))
    if limit.limited:
        minutes = max(1, round(limit.retry_after / 60))
        message = _(
            "Vous avez envoyé beaucoup de fichiers en peu de temps. Réessayez dans "
            "%(minutes)s minute(s)."
        ) % {"minutes": minutes}
        response = _upload_page(request, QPVCheckUploadForm(), rate_limited=message, status=429)
        response["Retry-After"] = str(limit.retry_after)
        return response

    form = QPVCheckUploadForm(request.POST, request.FILES)
    if limiter is not None and limiter.oversized:
        form.is_valid()
        form.errors["fichier"] = form.error_class(
            [
                _("Le fichier dépasse la limite de %(limit)s. Découpez-le en plusieurs fichiers.")
                % {"limit": jobs.megabytes(limiter.limit)}
            ]
        )
    elif form.is_valid():
        uploaded = form.cleaned_data["fichier"]
        try:
            job = jobs.qpv_check_job_create(data=uploaded, filename=uploaded.name, user=user)
        except ValidationError as error:
            form.add_error("fichier", error)
        else:
            return redirect("territories_batch:job", public_id=job.public_id)
    return _upload_page(request, form)


def _upload_page(request: HttpRequest, form, *, rate_limited: str = "", status: int = 200):
    return render(
        request,
        "territories/batch/upload.html",
        {
            "form": form,
            "rate_limited": rate_limited,
            "max_rows": number_text(MAX_ROWS),
            "max_size": jobs.megabytes(jobs.max_upload_bytes()),
            "retention_days": jobs.retention_days(),
        },
        status=status,
    )


def _job_or_404(public_id: str) -> QPVCheckJob:
    job = jobs.qpv_check_job_get(public_id=public_id)
    if job is None:
        raise Http404(_("Cette vérification n'existe pas ou a été supprimée."))
    return job


def _private(response: HttpResponse) -> HttpResponse:
    """A job's pages are for whoever holds its address: not for search engines."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def job_state(job: QPVCheckJob) -> dict:
    """What the page shows of a job's progress, and what etat.json sends."""
    total = job.rows_total
    done = job.rows_done
    percent = job.percent
    label = job.get_status_display()
    if job.status == QPVCheckJobStatus.QUEUED:
        text = _("la vérification commencera dans quelques instants.")
    elif job.status == QPVCheckJobStatus.RUNNING and total is None:
        text = _("lecture du fichier.")
    elif job.status == QPVCheckJobStatus.RUNNING:
        text = _("%(done)s lignes vérifiées sur %(total)s (%(percent)s %%).") % {
            "done": number_text(done),
            "total": number_text(total),
            "percent": percent,
        }
    elif job.status == QPVCheckJobStatus.DONE:
        text = _("%(total)s lignes vérifiées. Le résultat est prêt.") % {
            "total": number_text(total or 0)
        }
    else:
        text = _("le fichier n'a pas pu être vérifié.")
    return {
        "status": job.status,
        "status_label": label[:1].upper() + label[1:],
        "text": text,
        "finished": job.is_finished,
        "rows_done": done,
        "rows_total": total,
        "percent": percent,
    }


def _job_context(job: QPVCheckJob) -> dict:
    return {
        "job": job,
        "state": job_state(job),
        "retention_days": jobs.retention_days(),
    }


@never_cache
@require_GET
def job_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    job = _job_or_404(public_id)
    return _private(render(request, "territories/batch/job.html", _job_context(job)))


@never_cache
@require_GET
def job_status(request: HttpRequest, public_id: str) -> JsonResponse:
    job = _job_or_404(public_id)
    state = job_state(job)
    payload = {
        **state,
        "counts": {
            "inside": job.inside_count,
            "outside": job.outside_count,
            "errors": job.error_count,
        },
        "error_message": job.error_message or None,
        "result_url": (
            reverse("territories_batch:result", args=[job.public_id])
            if job.status == QPVCheckJobStatus.DONE
            else None
        ),
        # The finished state's block, rendered as on the page (no second template in JS).
        "outcome_html": (
            render_to_string(
                "territories/batch/_job_outcome.html", _job_context(job), request=request
            )
            if job.is_finished
            else ""
        ),
    }
    return _private(JsonResponse(payload, json_dumps_params={"ensure_ascii": False}))


@require_GET
def job_result(request: HttpRequest, public_id: str) -> FileResponse:
    job = _job_or_404(public_id)
    if job.status != QPVCheckJobStatus.DONE or not job.result:
        raise Http404(_("Le résultat de cette vérification n'est pas prêt."))
    try:
        content = job.result.open("rb")
    except FileNotFoundError:
        raise Http404(_("Le résultat de cette vérification a été supprimé.")) from None
    response = FileResponse(
        content,
        as_attachment=True,
        filename=jobs.qpv_check_result_filename(job),
        content_type="text/csv; charset=utf-8",
    )
    response["Cache-Control"] = "private, no-store"
    return _private(response)
