"""The quarterly report: one row per quarter, draft → published (enums.REPORT_WORKFLOW).

`snapshot` holds everything the report shows but the editorial, as read when it was drafted
(selectors.report_snapshot): the figures are recomputed whole by each refresh, and an
archived report must say what it said the day it was published. The PDF is kept as a file,
keyed by what it was built from (`pdf_key`), so a download never builds it again.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from quartiers40.core.markdown import render_markdown

from ..enums import ReportStatus
from ..quarters import Quarter


class QuarterlyReportQuerySet(models.QuerySet):
    def published(self) -> "QuarterlyReportQuerySet":
        return self.filter(status=ReportStatus.PUBLISHED)


class QuarterlyReport(models.Model):
    quarter = models.CharField(_("trimestre"), max_length=7, unique=True)  # "2026-t4"
    status = models.CharField(
        _("statut"),
        max_length=16,
        choices=ReportStatus.choices,
        default=ReportStatus.DRAFT,
        db_index=True,
    )
    editorial = models.TextField(
        _("éditorial"),
        blank=True,
        max_length=8000,
        help_text=_("Quelques paragraphes de l'équipe de coordination, publiés en tête."),
    )
    # The hook for the optional writing help of a later issue: an editorial first proposed
    # by a language model is labelled as such, with the people who read it.
    editorial_drafted_by_ai = models.BooleanField(_("éditorial proposé par une IA"), default=False)
    editorial_ai_model = models.CharField(_("modèle d'IA"), max_length=100, blank=True)
    editorial_updated_by = models.ForeignKey(
        "members.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    editorial_updated_at = models.DateTimeField(null=True, blank=True)
    snapshot = models.JSONField(_("contenu figé"), default=dict)
    figures_version = models.CharField(max_length=32, blank=True)  # Refresh.version read
    drafted_at = models.DateTimeField(_("rédigé le"))
    published_by = models.ForeignKey(
        "members.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)
    pdf = models.FileField(upload_to="observatory/reports/", blank=True)
    pdf_key = models.CharField(max_length=64, blank=True)

    objects = QuarterlyReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("rapport trimestriel")
        verbose_name_plural = _("rapports trimestriels")
        ordering = ["-quarter"]

    def __str__(self) -> str:
        return str(_("Rapport %(quarter)s") % {"quarter": self.period.label})

    @property
    def period(self) -> Quarter:
        quarter = Quarter.from_slug(self.quarter)
        assert quarter is not None
        return quarter

    @property
    def is_published(self) -> bool:
        return self.status == ReportStatus.PUBLISHED

    @property
    def editorial_html(self):
        return render_markdown(self.editorial)
