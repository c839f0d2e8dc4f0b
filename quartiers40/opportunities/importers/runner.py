"""Write what an importer read: one transaction per file, idempotent, with a dry run.

    report = opportunities_import(format="data-inclusion", paths=[...], dry_run=False)

Each file (a `Unit`) is written inside its own transaction: its valid rows are imported
and each bad row is reported (a savepoint per row, so a row the database refuses is
reported too); a file that cannot be read imports nothing. A dry run runs everything in
one transaction and rolls it back. Unless `partial`, the items of the source that the
files no longer hold are withdrawn (never deleted), once every file was read; a row in
error keeps its previous version (it is neither updated nor withdrawn).
"""

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from quartiers40.core.forms import error_text
from quartiers40.core.pagecache import cache_version_bump
from quartiers40.territories.clients.geocoding import (
    AddressQuery,
    GeocodingResult,
    geocode_many,
)
from quartiers40.territories.conf import conf as territories_conf

from .. import services
from ..enums import GeocodingState
from ..models import Opportunity, OpportunityPlace
from ..records import ImportedItem
from .base import ImportFileError, Refused, Row, RowError, Unit

OUTCOMES = ("created", "updated", "unchanged", "restored")
CHUNK = 500  # rows geocoded in one batch, then written
ProgressCallback = Callable[[int, int], None]


@dataclass
class FileReport:
    name: str
    refused: str = ""  # why nothing of it was imported
    counts: Counter = field(default_factory=Counter)
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unplaced: int = 0


@dataclass
class ImportReport:
    format: str
    source: str
    dry_run: bool
    partial: bool
    files: list[FileReport] = field(default_factory=list)
    withdrawn: int = 0
    withdrawal_skipped: str = ""
    seen_ids: set[str] = field(default_factory=set)

    @property
    def counts(self) -> Counter:
        total: Counter = Counter()
        for file in self.files:
            total.update(file.counts)
        total["withdrawn"] = self.withdrawn
        total["errors"] = sum(len(file.errors) for file in self.files)
        return total

    @property
    def refused(self) -> list[FileReport]:
        return [file for file in self.files if file.refused]

    @property
    def unplaced(self) -> int:
        return sum(file.unplaced for file in self.files)


class _DryRun(Exception):
    pass


def _unplaced_queries(items: Sequence[ImportedItem]) -> dict[str, list[tuple[int, int]]]:
    """Addresses without a point whose place changed since the last import (to geocode)."""
    wanted: dict[str, list[tuple[int, int]]] = {}
    if not items:
        return wanted
    existing: dict[tuple[str, str], list[str]] = {}
    by_source: dict[str, list[str]] = {}
    for item in items:
        by_source.setdefault(item.source, []).append(item.source_id)
    for source, ids in by_source.items():
        rows = (
            OpportunityPlace.objects.filter(
                opportunity__source=source, opportunity__source_id__in=ids
            )
            .order_by("opportunity_id", "pk")
            .values_list("opportunity__source_id", "input_key")
        )
        for source_id, key in rows:
            existing.setdefault((source, source_id), []).append(key)
    for index, item in enumerate(items):
        if existing.get((item.source, item.source_id), []) == [p.key for p in item.places]:
            continue  # same places as last time: kept as they are, not geocoded again
        for position, place in enumerate(item.places):
            if not place.located and place.geocoding_query:
                wanted.setdefault(place.geocoding_query, []).append((index, position))
    return wanted


def _geocode(items: Sequence[ImportedItem]) -> dict[str, GeocodingResult]:
    queries = list(_unplaced_queries(items))
    if not queries or not territories_conf.GEOCODER_ENABLED:
        return {}
    results = geocode_many([AddressQuery(address=query) for query in queries])
    return dict(zip(queries, results, strict=True))


def _write_chunk(
    rows: list[Row],
    report: FileReport,
    *,
    now: datetime,
    geocode: bool,
    seen: set[str],
) -> None:
    items = [row.item for row in rows if row.item is not None]
    geocoded = _geocode(items) if geocode else {}
    for row in rows:
        report.notes.extend(f"{row.where} : {note}" for note in row.notes)
        if row.error is not None:
            report.errors.append(row.error)
            if row.error.source_id:
                seen.add(row.error.source_id)
            continue
        item = row.item
        assert item is not None
        seen.add(item.source_id)
        try:
            with transaction.atomic():
                result = services.opportunity_import_upsert(
                    item=item, now=now, geocode_missing=False, geocoded=geocoded
                )
        except ValidationError as error:
            report.errors.append(
                RowError(row.where, validation_text(error), source_id=item.source_id)
            )
            continue
        except DatabaseError as error:
            report.errors.append(
                RowError(
                    row.where,
                    _("la base de données refuse cette ligne (%(error)s).") % {"error": error},
                    source_id=item.source_id,
                )
            )
            continue
        report.counts[result.outcome] += 1
    if items:
        report.unplaced += OpportunityPlace.objects.filter(
            opportunity__source=items[0].source,
            opportunity__source_id__in=[item.source_id for item in items],
            geocoding=GeocodingState.UNPLACED,
        ).count()


def validation_text(error: ValidationError) -> str:
    """A model's refusal with the fields it concerns ("« courriel de contact » : …")."""
    if not hasattr(error, "error_dict"):
        return error_text(error)
    parts = []
    for name, messages in error.message_dict.items():
        try:
            label = str(Opportunity._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            label = name
        parts.append(f"« {label} » : {' '.join(messages)}")
    return " ".join(parts)


def _chunks(rows: Iterator[Row], size: int) -> Iterator[list[Row]]:
    chunk: list[Row] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _unit_write(
    unit: Unit,
    report: FileReport,
    *,
    now: datetime,
    geocode: bool,
    seen: set[str],
    progress: ProgressCallback | None,
    done: list[int],
    total: int,
) -> None:
    with transaction.atomic():
        for chunk in _chunks(unit.rows(), CHUNK):
            _write_chunk(chunk, report, now=now, geocode=geocode, seen=seen)
            done[0] += len(chunk)
            if progress:
                progress(min(done[0], total), total)


def opportunities_import(
    *,
    format: str,
    paths: Iterable[Path | str],
    source: str = "",
    dry_run: bool = False,
    partial: bool = False,
    progress: ProgressCallback | None = None,
    now: datetime | None = None,
    is_fictional: bool = False,
) -> ImportReport:
    """Import files of one format; see the module's docstring for the rules."""
    from . import FORMATS, default_source

    reader = FORMATS[format]
    paths = [Path(path) for path in paths]
    source = source or default_source(format, paths)
    now = now or timezone.now()
    report = ImportReport(format=format, source=source, dry_run=dry_run, partial=partial)
    try:
        unit_list = reader(paths, source=source, is_fictional=is_fictional)
    except ImportFileError as error:
        report.files.append(FileReport(", ".join(p.name for p in paths), refused=error.message))
        report.withdrawal_skipped = _("un fichier n'a pas pu être lu")
        return report
    units = [unit for unit in unit_list if isinstance(unit, Unit)]
    for refused in (unit for unit in unit_list if isinstance(unit, Refused)):
        report.files.append(FileReport(refused.name, refused=refused.message))
    return units_import(report, units, now=now, progress=progress)


def units_import(
    report: ImportReport,
    units: Sequence[Unit],
    *,
    now: datetime,
    progress: ProgressCallback | None = None,
) -> ImportReport:
    """Write the units read (files, or pages of an API) into `report`; see the module doc."""
    dry_run = report.dry_run
    total = sum(unit.total for unit in units)
    done = [0]
    seen: set[str] = set()
    if progress:
        progress(0, total)
    # A dry run is one transaction rolled back; a real run commits each file on its own.
    try:
        with transaction.atomic() if dry_run else nullcontext():
            for unit in units:
                file_report = FileReport(unit.name, notes=list(unit.notes))
                report.files.append(file_report)
                unit_seen: set[str] = set()
                try:
                    _unit_write(
                        unit,
                        file_report,
                        now=now,
                        geocode=not dry_run,
                        seen=unit_seen,
                        progress=progress,
                        done=done,
                        total=total,
                    )
                except ImportFileError as error:
                    # Read as it was written (a CSV broken half-way): nothing of it stays.
                    report.files[-1] = replace(
                        FileReport(unit.name), refused=error.message, notes=file_report.notes
                    )
                    continue
                seen |= unit_seen
            report.seen_ids = seen
            if report.refused:
                report.withdrawal_skipped = _("un fichier n'a pas pu être lu")
            elif not report.partial:
                with transaction.atomic():
                    report.withdrawn = services.opportunities_source_withdraw_missing(
                        source=report.source, seen_ids=seen, now=now
                    )
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    else:
        cache_version_bump("opportunities")  # once per import, not per row
    if progress:
        progress(total, total)
    return report


def report_lines(report: ImportReport) -> list[str]:
    """The report in French, for the command and the logs: counts, then each bad row."""
    counts = report.counts
    lines = []
    if report.dry_run:
        lines.append(_("Simulation : rien n'a été enregistré."))
    lines.append(
        _(
            "Source « %(source)s » : %(created)s créées, %(updated)s mises à jour, "
            "%(unchanged)s inchangées, %(restored)s rétablies, %(withdrawn)s retirées, "
            "%(errors)s lignes en erreur."
        )
        % {
            "source": report.source,
            "created": counts["created"],
            "updated": counts["updated"],
            "unchanged": counts["unchanged"],
            "restored": counts["restored"],
            "withdrawn": counts["withdrawn"],
            "errors": counts["errors"],
        }
    )
    if report.unplaced:
        lines.append(
            _("%(n)s adresses non localisées (gardées sans point sur la carte).")
            % {"n": report.unplaced}
        )
    if report.withdrawal_skipped:
        lines.append(
            _("Aucune opportunité retirée : %(why)s.") % {"why": report.withdrawal_skipped}
        )
    elif report.partial:
        lines.append(_("Import partiel : les opportunités absentes du fichier restent en ligne."))
    for file in report.files:
        if file.refused:
            lines.append(_("Fichier refusé, rien n'est importé : %(why)s") % {"why": file.refused})
        for note in file.notes:
            lines.append(
                f"  {file.name}, {note}" if not note.startswith(file.name) else f"  {note}"
            )
        for error in file.errors:
            prefix = "" if error.where.startswith(file.name) else f"{file.name}, "
            lines.append(f"  {prefix}{error}")
    return lines
