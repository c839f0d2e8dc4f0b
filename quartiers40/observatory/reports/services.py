"""Writes of the quarterly report: drafting (by the scheduled task, or the coordination
team), the editorial, publishing, and the PDF kept beside the report.

The report reads the other apps and the figures only when it is drafted (or its figures
taken again while it is a draft); once published, nothing changes what it says.
"""

import logging
import time
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from quartiers40.core.db import lock_row
from quartiers40.core.pagecache import cache_version_bump

from ..enums import REPORT_WORKFLOW, ReportStatus
from ..quarters import Quarter
from ..services import TOPIC
from .models import QuarterlyReport
from .permissions import can_edit_report
from .selectors import report_content_key, report_snapshot

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DraftResult:
    report: QuarterlyReport
    created: bool


def quarter_just_ended(today=None) -> Quarter:
    """The last quarter that is over: on 1 January 2027, T4 2026."""
    return Quarter.of(today or timezone.localdate()).previous()


@transaction.atomic
def report_draft(quarter: Quarter) -> DraftResult:
    """The report of `quarter`, drafted from the figures and the apps' rows if it does not
    exist yet; an existing report is left as it is (the task runs again harmlessly)."""
    existing = QuarterlyReport.objects.filter(quarter=quarter.slug).first()
    if existing is not None:
        return DraftResult(existing, created=False)
    snapshot = report_snapshot(quarter)
    report, created = QuarterlyReport.objects.get_or_create(
        quarter=quarter.slug,
        defaults={
            "snapshot": snapshot,
            "figures_version": snapshot.get("figures_version", ""),
            "drafted_at": timezone.now(),
        },
    )
    if created:
        logger.info("observatory: report %s drafted", quarter.slug)
    return DraftResult(report, created=created)


@transaction.atomic
def report_figures_retake(*, report: QuarterlyReport, actor: Any) -> QuarterlyReport:
    """A draft's content read again (after a late check-in, a refresh of the figures)."""
    if not can_edit_report(actor, report):
        raise PermissionDenied
    lock_row(report)
    if report.status != ReportStatus.DRAFT:
        raise PermissionDenied
    report.snapshot = report_snapshot(report.period)
    report.figures_version = report.snapshot.get("figures_version", "")
    report.drafted_at = timezone.now()
    report.save(update_fields=["snapshot", "figures_version", "drafted_at"])
    return report


@transaction.atomic
def report_editorial_update(
    *,
    report: QuarterlyReport,
    actor: Any,
    editorial: str,
    drafted_by_ai: bool | None = None,
    ai_model: str = "",
) -> QuarterlyReport:
    """The coordination team's editorial (Markdown, sanitised when shown).

    The hook for the optional writing help of a later issue: an editorial first proposed by
    a language model is saved with `drafted_by_ai=True` and the model's name, and says so
    ("proposé par une IA, relu par l'équipe de coordination"); None keeps what was said."""
    if not can_edit_report(actor, report):
        raise PermissionDenied
    lock_row(report)
    report.editorial = editorial.strip()
    if drafted_by_ai is not None:
        report.editorial_drafted_by_ai = drafted_by_ai
        report.editorial_ai_model = ai_model.strip() if drafted_by_ai else ""
    report.editorial_updated_by = actor
    report.editorial_updated_at = timezone.now()
    report.save(
        update_fields=[
            "editorial",
            "editorial_drafted_by_ai",
            "editorial_ai_model",
            "editorial_updated_by",
            "editorial_updated_at",
        ]
    )
    if report.is_published:
        cache_version_bump(TOPIC)
    return report


@transaction.atomic
def report_publish(*, report: QuarterlyReport, actor: Any) -> QuarterlyReport:
    """Published as it stands; a report without an editorial is not."""
    step = REPORT_WORKFLOW.check(report, "publish", actor=actor)
    if not report.editorial.strip():
        raise ValidationError(
            {"editorial": _("Écrivez l'éditorial avant de publier le rapport.")},
            code="editorial_missing",
        )
    REPORT_WORKFLOW.apply(report, step, actor=actor)
    report.published_by = actor
    report.published_at = timezone.now()
    report.save(update_fields=["status", "published_by", "published_at"])
    cache_version_bump(TOPIC)
    return report


def report_pdf(report: QuarterlyReport) -> bytes:
    """The report's PDF: built once per content (`report_content_key`) and kept as a file;
    every later download reads that file."""
    key = report_content_key(report)
    if report.pdf and report.pdf_key == key:
        try:
            with report.pdf.open("rb") as stored:
                return stored.read()
        except FileNotFoundError:
            pass
    from .pdf import report_pdf_build

    began = time.perf_counter()
    content = report_pdf_build(report)
    logger.info(
        "observatory: report %s PDF built in %.1f s (%s bytes)",
        report.quarter,
        time.perf_counter() - began,
        len(content),
    )
    _pdf_store(report, key, content)
    return content


@transaction.atomic
def _pdf_store(report: QuarterlyReport, key: str, content: bytes) -> None:
    lock_row(report)
    if report_content_key(report) != key:  # changed while it was built: keep nothing
        return
    old = report.pdf.name if report.pdf else ""
    report.pdf.save(f"rapport-{report.quarter}-{key[:12]}.pdf", ContentFile(content), save=False)
    report.pdf_key = key
    report.save(update_fields=["pdf", "pdf_key"])
    if old and old != report.pdf.name:
        transaction.on_commit(lambda: report.pdf.storage.delete(old))
