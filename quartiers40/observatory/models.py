"""The observatory's precomputed figures: one narrow table, replaced whole by each refresh.

A row is one number: a metric (what is counted), its dimension (a kind, a stage; "" is the
total), for one scope (the country, a region, a department, a commune, a QPV, a theme) and
one period (a quarter's slug, "2026-t4"; "" is everything up to now). The dashboards read
every row of one scope at once (the unique constraint's index starts with the scope).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import Metric, ScopeKind

ALL_TIME = ""
TOTAL = ""


class Figure(models.Model):
    scope_kind = models.CharField(_("type de territoire"), max_length=12, choices=ScopeKind.choices)
    # A QPV's code, an INSEE code, a department's or region's code, a theme's code; "" for
    # the country.
    scope_code = models.CharField(_("code"), max_length=24, blank=True)
    period = models.CharField(_("trimestre"), max_length=7, blank=True)
    metric = models.CharField(_("mesure"), max_length=32, choices=Metric.choices)
    dimension = models.CharField(_("détail"), max_length=32, blank=True)
    value = models.PositiveIntegerField(_("valeur"))

    class Meta:
        verbose_name = _("chiffre de l'observatoire")
        verbose_name_plural = _("chiffres de l'observatoire")
        constraints = [
            models.UniqueConstraint(
                fields=["scope_kind", "scope_code", "metric", "dimension", "period"],
                name="observatory_figure_unique",
            )
        ]
        indexes = [
            # The coverage page: the QPVs with (or without) a metric, over all time.
            models.Index(
                fields=["scope_kind", "metric", "period"], name="observatory_figure_metric"
            )
        ]

    def __str__(self) -> str:
        where = f"{self.scope_kind}:{self.scope_code}"
        return f"{where} {self.metric}/{self.dimension} {self.period} = {self.value}"


class Refresh(models.Model):
    """One full recomputation: when, how long, how many rows. The latest one's `version`
    keys the rendered charts."""

    version = models.CharField(max_length=32, unique=True)
    finished_at = models.DateTimeField(_("terminé le"), db_index=True)
    duration_ms = models.PositiveIntegerField(_("durée (ms)"))
    rows = models.PositiveIntegerField(_("lignes"))

    class Meta:
        verbose_name = _("calcul de l'observatoire")
        verbose_name_plural = _("calculs de l'observatoire")
        ordering = ["-finished_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.finished_at:%Y-%m-%d %H:%M} ({self.rows} lignes)"


# The quarterly report lives in its own package; imported here so that Django finds it.
from .reports.models import QuarterlyReport  # noqa: E402, F401
