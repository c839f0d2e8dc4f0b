"""The observatory's only writes: its own figures, recomputed whole.

`observatory_recompute()` reads every source of figures.py with one grouped query per
(source, placement), sums the totals in memory (a few thousand rows per source, not one per
object), and swaps the whole table inside one transaction: a reader sees the old figures
or the new ones, never half of each. Then it bumps the page-cache topic "observatory", so
the dashboards (cached under it) and their charts (keyed by the refresh's version) follow.
"""

import itertools
import logging
import statistics
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Min
from django.db.models.functions import ExtractQuarter, ExtractYear
from django.utils import timezone

from quartiers40.core.pagecache import cache_version_bump

from .enums import UNSPECIFIED, Metric, ScopeKind
from .figures import (
    SOLVE_DAYS_PLACES,
    SOURCES,
    WAIT_DAYS_PLACES,
    Placement,
    Source,
    open_challenges,
    solved_challenges,
)
from .models import ALL_TIME, TOTAL, Figure, Refresh
from .quarters import Quarter

logger = logging.getLogger(__name__)

TOPIC = "observatory"
BATCH = 5000

Key = tuple[str, str, str, str, str]  # scope kind, scope code, metric, dimension, period


@dataclass(frozen=True)
class RecomputeReport:
    rows: int
    seconds: float
    version: str


def _period(year: Any, number: Any) -> str | None:
    if year is None or number is None:
        return None
    return Quarter(int(year), int(number)).slug


def _codes(placement: Placement, value: Any) -> list[str]:
    """The scope codes one grouped row counts in."""
    if value is None or value == "":
        return []
    codes = [str(code) for code in value] if placement.is_list else [str(value)]
    if placement.code_of is not None:
        codes = [placement.code_of(code) for code in codes]
    # Two departments of one region: the row counts once in it.
    return list(dict.fromkeys(code for code in codes if code))


def _grouped(source: Source, placement: Placement) -> Iterator[tuple[str, str, str | None, int]]:
    """(scope code, dimension, period or None, count) from ONE grouped query."""
    rows = source.rows().order_by()
    if placement.only is not None:
        rows = rows.filter(placement.only)
    group: dict[str, Any] = {}
    if placement.path is not None:
        group["code"] = F(placement.path)
    if source.dimension is not None:
        group["dim"] = source.dimension()
    if source.date is not None:
        group["y"] = ExtractYear(source.date)
        group["q"] = ExtractQuarter(source.date)
    counted = rows.values(**group).annotate(n=Count("pk", distinct=True)) if group else None
    if counted is None:  # pragma: no cover - every source has a place or a date
        return
    for row in counted:
        period = _period(row.get("y"), row.get("q"))
        dimension = str(row.get("dim") or "") if source.dimension is not None else TOTAL
        if source.dimension is not None and not dimension:
            dimension = UNSPECIFIED
        codes = [""] if placement.path is None else _codes(placement, row["code"])
        for code in codes:
            yield code, dimension, period, row["n"]


def _add(totals: dict[Key, int], kind: str, code: str, metric: str, dim: str, period, n: int):
    periods = (ALL_TIME,) if period is None else (ALL_TIME, period)
    dims = (TOTAL,) if dim == TOTAL else (TOTAL, dim)
    for one_dim in dims:
        for one_period in periods:
            key = (kind, code, metric, one_dim, one_period)
            totals[key] = totals.get(key, 0) + n


def _counts() -> dict[Key, int]:
    totals: dict[Key, int] = {}
    for source in SOURCES:
        for placement in source.placements:
            for code, dim, period, n in _grouped(source, placement):
                _add(totals, placement.scope_kind, code, source.metric, dim, period, n)
    return totals


def _days(posted: datetime, solved: datetime) -> float:
    return (solved - posted).total_seconds() / 86400


def _solve_days() -> dict[Key, int]:
    """The median days from posting to solved, per scope and quarter of solving.

    SQLite has no median: the solved défis' two dates are read per placement (three
    columns of the solved ones only) and the median taken here."""
    spans: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    for placement in SOLVE_DAYS_PLACES:
        rows = solved_challenges().filter(status_changed_at__isnull=False).order_by()
        if placement.only is not None:
            rows = rows.filter(placement.only)
        fields = ["pk", "created_at", "status_changed_at"]
        if placement.path is not None:
            fields.append(placement.path)
        seen: set[tuple[str, int]] = set()
        for values in rows.values_list(*fields):
            pk, posted, solved = values[:3]
            codes = [""] if placement.path is None else _codes(placement, values[3])
            days = max(0.0, _days(posted, solved))
            for code in codes:
                if (code, pk) in seen:  # a défi in two QPVs of one commune counts once
                    continue
                seen.add((code, pk))
                spans[(placement.scope_kind, code, ALL_TIME)].append(days)
                spans[(placement.scope_kind, code, Quarter.of(solved).slug)].append(days)
    return {
        (kind, code, Metric.CHALLENGES_SOLVE_DAYS.value, TOTAL, period): round(
            statistics.median(values)
        )
        for (kind, code, period), values in spans.items()
    }


def _wait_days() -> dict[Key, int]:
    """Per QPV, the days its oldest open défi has waited (one grouped query)."""
    now = timezone.now()
    found: dict[Key, int] = {}
    for placement in WAIT_DAYS_PLACES:
        rows = (
            open_challenges()
            .order_by()
            .values(code=F(placement.path or "pk"))
            .annotate(oldest=Min("created_at"))
        )
        for row in rows:
            for code in _codes(placement, row["code"]):
                days = max(0, int(_days(row["oldest"], now)))
                found[
                    (placement.scope_kind, code, Metric.CHALLENGES_WAIT_DAYS.value, TOTAL, ALL_TIME)
                ] = days
    return found


def _figures(totals: dict[Key, int]) -> Iterable[Figure]:
    for (kind, code, metric, dim, period), value in totals.items():
        yield Figure(
            scope_kind=kind,
            scope_code=code,
            metric=metric,
            dimension=dim,
            period=period,
            value=value,
        )


def observatory_recompute() -> RecomputeReport:
    """Every figure again, from the apps' rows; the table swapped in one transaction."""
    began = time.perf_counter()
    totals = _counts()
    totals.update(_solve_days())
    totals.update(_wait_days())
    version = uuid.uuid4().hex
    with transaction.atomic():
        Figure.objects.all().delete()
        figures = _figures(totals)
        while batch := list(itertools.islice(figures, BATCH)):
            Figure.objects.bulk_create(batch)
        seconds = time.perf_counter() - began
        Refresh.objects.create(
            version=version,
            finished_at=timezone.now(),
            duration_ms=round(seconds * 1000),
            rows=len(totals),
        )
        Refresh.objects.exclude(
            pk__in=Refresh.objects.order_by("-finished_at", "-pk").values("pk")[:50]
        ).delete()
        cache_version_bump(TOPIC)
    logger.info("observatory: %s figures in %.1f s", len(totals), seconds)
    return RecomputeReport(rows=len(totals), seconds=seconds, version=version)


__all__ = ["TOPIC", "RecomputeReport", "ScopeKind", "observatory_recompute"]
