"""Writes of the territories domain: importing the official QPV layer."""

import logging
import math
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import shapely
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from quartiers40.core.pagecache import cache_version_bump

from .clients.datagouv import DatagouvError, qpv_layer_url
from .clients.download import DownloadError, download_to_file
from .communes import qpv_communes_link
from .conf import conf
from .geometry import area_m2, display_geojson
from .layer import ProgressCallback, QPVLayer, QPVLayerError, qpv_layer_read
from .lookup import qpv_index_invalidate
from .models import QPV
from .text import search_text

logger = logging.getLogger(__name__)

# The fields an import writes (besides code and generation, the key).
IMPORTED_FIELDS = [
    "name",
    "is_active",
    "commune_code",
    "commune_name",
    "commune_codes",
    "commune_names",
    "department_code",
    "department_name",
    "region_code",
    "region_name",
    "epci_siren",
    "search_name",
    "geometry_wkb",
    "display_geojson",
    "area_m2",
    "centroid_lon",
    "centroid_lat",
    "bbox_min_lon",
    "bbox_min_lat",
    "bbox_max_lon",
    "bbox_max_lat",
]
_BATCH_SIZE = 500


@dataclass
class ImportReport:
    """What an import did. Codes are listed so the command can show them."""

    source: str
    generation: int
    total: int = 0
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    repaired: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    reactivated: list[str] = field(default_factory=list)
    # QPVs of the generation in force before, and how many the import may retire without
    # `allow_retire` (QPV_IMPORT_MAX_RETIRED_SHARE of them).
    active_before: int = 0
    retire_limit: int = 0
    dry_run: bool = False
    member: str | None = None
    notes: list[str] = field(default_factory=list)
    duration_s: float = 0.0

    @property
    def retire_refused(self) -> bool:
        """More QPVs would be retired than the share allowed (a partial file, most likely)."""
        return len(self.deactivated) > self.retire_limit


class QPVRetireRefused(QPVLayerError):
    """The layer would retire more QPVs than allowed; nothing was written."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        super().__init__(
            _(
                "Cette couche retirerait %(count)s quartiers sur les %(total)s en vigueur, "
                "plus que les %(limit)s permis (%(share)s %%) : est-ce bien la couche "
                "complète ? Rien n'a été modifié."
            )
            % {
                "count": len(report.deactivated),
                "total": report.active_before,
                "limit": report.retire_limit,
                "share": f"{conf.QPV_IMPORT_MAX_RETIRED_SHARE * 100:g}".replace(".", ","),
            }
        )


def qpv_layer_import(
    *,
    source: str | Path | None = None,
    generation: int | None = None,
    progress: ProgressCallback | None = None,
    allow_retire: bool = False,
    dry_run: bool = False,
) -> ImportReport:
    """Import the QPV layer from `source` (file path or http(s) URL; GeoJSON or ZIP).

    Without `source`: the `QPV_SOURCE` setting or environment variable, else the
    current layer of the ANCT dataset on data.gouv.fr. Reading and validating happen
    before the (atomic) write, so a broken file changes nothing. Raises
    `QPVLayerError` with a French message, `QPVRetireRefused` when the layer would retire
    more than `QPV_IMPORT_MAX_RETIRED_SHARE` of the QPVs in force and `allow_retire` is
    off. `dry_run`: the report of what would change, nothing written.
    """
    started = time.perf_counter()
    generation = generation or conf.QPV_GENERATION
    with _local_copy(source, generation=generation) as (path, label):
        layer = qpv_layer_read(path, label=label, zip_member=conf.QPV_ZIP_MEMBER)
    report = qpv_layer_save(
        layer=layer,
        generation=generation,
        progress=progress,
        allow_retire=allow_retire,
        dry_run=dry_run,
    )
    report.duration_s = time.perf_counter() - started
    logger.info(
        "QPV import from %s%s: %s created, %s updated, %s unchanged, %s deactivated, "
        "%s reactivated, %s repaired",
        report.source,
        " (dry run)" if dry_run else "",
        len(report.created),
        len(report.updated),
        report.unchanged,
        len(report.deactivated),
        len(report.reactivated),
        len(report.repaired),
    )
    return report


@contextmanager
def _local_copy(source: str | Path | None, *, generation: int) -> Iterator[tuple[Path, str]]:
    """(local path, label) of the source, downloading it first when it is a URL."""
    if source is None or not str(source).strip():
        source = conf.QPV_SOURCE or None
    if source is None:
        try:
            source = qpv_layer_url(
                api_url=conf.QPV_DATASET_API_URL,
                generation=generation,
                timeout=conf.QPV_DOWNLOAD_TIMEOUT,
            )
        except DatagouvError as error:
            raise QPVLayerError(
                _("%(error)s Indiquez un fichier local (argument SOURCE ou variable QPV_SOURCE).")
                % {"error": error}
            ) from error
    text = str(source).strip()
    if urlparse(text).scheme in {"http", "https"}:
        with tempfile.TemporaryDirectory(prefix="qpv-") as directory:
            path = Path(directory) / "layer"
            try:
                download_to_file(
                    text,
                    path,
                    timeout=conf.QPV_DOWNLOAD_TIMEOUT,
                    max_bytes=conf.QPV_DOWNLOAD_MAX_BYTES,
                )
            except DownloadError as error:
                raise QPVLayerError(str(error)) from error
            yield path, text
    else:
        yield Path(text).expanduser(), text


@transaction.atomic
def qpv_layer_save(
    *,
    layer: QPVLayer,
    generation: int | None = None,
    progress: ProgressCallback | None = None,
    allow_retire: bool = False,
    dry_run: bool = False,
) -> ImportReport:
    """Write a validated layer: create new QPVs, update changed ones, deactivate missing ones.

    Idempotent: a QPV is keyed by (code, generation) and rewritten only if a value
    changed. QPVs of the generation that the layer no longer has are kept (members
    may point to them) but marked `is_active=False`; they come back if a later layer
    has them again. A value the file does not carry (commune names, EPCI in the
    national copy) never erases one already known.

    A layer that would retire more than `QPV_IMPORT_MAX_RETIRED_SHARE` of the QPVs in force
    (a partial or wrong file: 1,583 of 1,584) is refused unless `allow_retire`; `dry_run`
    reports the same counts and writes nothing.
    """
    generation = generation or conf.QPV_GENERATION
    report = ImportReport(
        source=layer.source,
        generation=generation,
        total=len(layer.features),
        member=layer.member,
        notes=list(layer.notes),
        repaired=layer.repaired_codes,
    )
    steps = len(layer.features) + 1  # each feature, then the database writes
    rows = _rows(layer, progress=progress, steps=steps)
    existing = {
        qpv.code: qpv for qpv in QPV.objects.select_for_update().filter(generation=generation)
    }
    report.dry_run = dry_run
    report.active_before = sum(1 for qpv in existing.values() if qpv.is_active)
    report.retire_limit = math.floor(report.active_before * conf.QPV_IMPORT_MAX_RETIRED_SHARE)
    now = timezone.now()
    to_create: list[QPV] = []
    changes: dict[int, dict] = {}  # pk -> the changed fields only
    for row in rows:
        qpv = existing.pop(row["code"], None)
        if qpv is None:
            row["commune_names"] = row["commune_names"] or []
            row["commune_name"] = row["commune_name"] or ""
            row["epci_siren"] = row["epci_siren"] or ""
            to_create.append(QPV(generation=generation, updated_at=now, **row))
            report.created.append(row["code"])
            continue
        for name in ("commune_names", "commune_name", "epci_siren"):
            if row[name] is None:  # not in the file: keep what is known
                row[name] = getattr(qpv, name)
        changed = _changes(qpv, row)
        if not qpv.is_active:
            report.reactivated.append(row["code"])
        if changed:
            changes[qpv.pk] = changed
            report.updated.append(row["code"])
        else:
            report.unchanged += 1
    withdrawn = [qpv for qpv in existing.values() if qpv.is_active]  # no longer in the layer
    report.deactivated = sorted(qpv.code for qpv in withdrawn)
    report.reactivated.sort()
    if dry_run:
        if progress:
            progress(steps, steps)
        return report
    if report.retire_refused and not allow_retire:
        raise QPVRetireRefused(report)

    QPV.objects.bulk_create(to_create, batch_size=_BATCH_SIZE)
    # One UPDATE of the changed columns per changed QPV: far cheaper than bulk_update's
    # CASE over 20 columns, and a new layer usually changes a few QPVs only.
    for pk, changed in changes.items():
        QPV.objects.filter(pk=pk).update(**changed, updated_at=now)
    QPV.objects.filter(pk__in=[qpv.pk for qpv in withdrawn]).update(is_active=False, updated_at=now)
    # Their communes, by name, when the official commune list is loaded.
    qpv_communes_link()
    if to_create or changes or withdrawn:
        # This process rebuilds now; after the commit, once more in case another
        # thread rebuilt in between. Other processes see the new database stamp.
        qpv_index_invalidate()
        transaction.on_commit(qpv_index_invalidate)
        # The public pages (and the search index) show the QPVs' names and places.
        cache_version_bump("territories")
    if progress:
        progress(steps, steps)
    return report


def qpv_geometry_fields(geometry: shapely.MultiPolygon) -> dict:
    """The model fields derived from a QPV's geometry (WGS84 lon/lat MultiPolygon)."""
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    centroid = geometry.centroid
    return {
        "geometry_wkb": shapely.to_wkb(geometry),
        "display_geojson": display_geojson(geometry),
        "area_m2": area_m2(geometry),
        "centroid_lon": centroid.x,
        "centroid_lat": centroid.y,
        "bbox_min_lon": min_lon,
        "bbox_min_lat": min_lat,
        "bbox_max_lon": max_lon,
        "bbox_max_lat": max_lat,
    }


def _rows(layer: QPVLayer, *, progress: ProgressCallback | None, steps: int) -> list[dict]:
    """The field values of every feature."""
    rows = []
    for i, feature in enumerate(layer.features):
        names = feature.commune_names
        rows.append(
            {
                "code": feature.code,
                "name": feature.name[:200],
                "search_name": search_text(feature.name[:200])[:200],
                "is_active": True,
                "commune_code": feature.commune_codes[0] if feature.commune_codes else "",
                "commune_name": names[0] if names else (None if names is None else ""),
                "commune_codes": list(feature.commune_codes),
                "commune_names": None if names is None else list(names),
                "department_code": feature.department_code,
                "department_name": feature.department_name,
                "region_code": feature.region_code,
                "region_name": feature.region_name,
                "epci_siren": feature.epci_siren,
                **qpv_geometry_fields(feature.geometry),
            }
        )
        if progress and i % 50 == 0:
            progress(i, steps)
    return rows


def _changes(qpv: QPV, row: dict) -> dict:
    """The imported fields whose value differs between the database and the file."""
    changed = {}
    for name in IMPORTED_FIELDS:
        current = getattr(qpv, name)
        if name == "geometry_wkb" and current is not None:
            current = bytes(current)
        if current != row[name]:
            changed[name] = row[name]
    return changed
