"""The official list of communes: reading it, importing it, tying each QPV to its communes.

The list comes from the `@etalab/decoupage-administratif` npm package (MIT), installed
from the project's own `package.json` by `npm ci --ignore-scripts` (`make install`), or
from any path or URL given as `COMMUNES_SOURCE` or to `manage.py import_communes`:

- `data/communes.json`: code, nom, codesPostaux, population, departement, region, type.
  We keep the current communes ("commune-actuelle") and the arrondissements of Paris, Lyon
  and Marseille ("arrondissement-municipal"), which lead to their city's QPVs;
- `data/epci.json` (beside it, optional): each intercommunality and its member communes.
"""

import json
import logging
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from django.db import transaction
from django.utils.translation import gettext as _

from quartiers40.core.pagecache import cache_version_bump

from .clients.download import DownloadError, download_to_file
from .conf import conf
from .models import QPV, Commune, CommuneKind, QPVCommune
from .text import search_text

logger = logging.getLogger(__name__)

PACKAGE_DATA_DIR = (
    Path(__file__).resolve().parents[2] / "node_modules" / "@etalab" / "decoupage-administratif"
) / "data"
KEPT_KINDS = {CommuneKind.COMMUNE.value, CommuneKind.ARRONDISSEMENT.value}
_UPDATED_FIELDS = [
    "name",
    "kind",
    "parent_code",
    "postcodes",
    "former_codes",
    "population",
    "department_code",
    "region_code",
    "epci_siren",
    "epci_name",
    "search_name",
    "search_postcodes",
]
_BATCH_SIZE = 2000


class CommunesError(Exception):
    """The commune list could not be read; the message (French) says why."""


@dataclass
class CommunesImportReport:
    source: str
    total: int = 0
    created: int = 0
    removed: int = 0
    with_epci: int = 0
    linked_qpvs: int = 0
    notes: list[str] = field(default_factory=list)
    duration_s: float = 0.0


def communes_import(*, source: str | Path | None = None) -> CommunesImportReport:
    """Import the commune list from `source` (a directory holding communes.json and
    epci.json, a communes.json file, or its URL); by default `COMMUNES_SOURCE`, else the
    npm package in node_modules. Idempotent: run it again, nothing changes."""
    started = time.perf_counter()
    with _local_copies(source) as (communes_path, epci_path, label, notes):
        communes = communes_read(communes_path)
        epci = epci_read(epci_path) if epci_path is not None else {}
    report = communes_save(communes=communes, epci=epci, source=label)
    report.notes[:0] = notes
    report.duration_s = time.perf_counter() - started
    logger.info(
        "Communes imported from %s: %s (%s new, %s removed), %s QPVs tied to their communes",
        label,
        report.total,
        report.created,
        report.removed,
        report.linked_qpvs,
    )
    return report


def communes_read(path: Path) -> list[dict]:
    """The kept communes of a communes.json file, as model field values."""
    try:
        entries = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CommunesError(
            _("Impossible de lire la liste des communes %(path)s : %(error)s")
            % {"path": path, "error": error}
        ) from error
    if not isinstance(entries, list):
        raise CommunesError(_("La liste des communes doit être une liste JSON."))
    rows: dict[str, dict] = {}
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("type") not in KEPT_KINDS:
            continue
        code, name = str(entry.get("code") or ""), str(entry.get("nom") or "").strip()
        if not code or not name:
            continue
        postcodes = sorted({str(postcode) for postcode in entry.get("codesPostaux") or []})
        population = entry.get("population")
        rows[code] = {
            "code": code,
            "name": name[:200],
            "kind": entry["type"],
            "parent_code": str(entry.get("commune") or "")
            if entry["type"] == CommuneKind.ARRONDISSEMENT
            else "",
            "postcodes": postcodes,
            "former_codes": sorted({str(code) for code in entry.get("anciensCodes") or []}),
            "population": population if isinstance(population, int) and population >= 0 else None,
            "department_code": str(entry.get("departement") or "")[:3],
            "region_code": str(entry.get("region") or "")[:3],
            "search_name": search_text(name)[:200],
            "search_postcodes": f" {' '.join(postcodes)} "[:400],
        }
    if not rows:
        raise CommunesError(_("La liste des communes %(path)s est vide.") % {"path": path})
    return list(rows.values())


def epci_read(path: Path) -> dict[str, tuple[str, str]]:
    """commune code -> (SIREN, name) of its intercommunality, from an epci.json file."""
    try:
        entries = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CommunesError(
            _("Impossible de lire la liste des intercommunalités %(path)s : %(error)s")
            % {"path": path, "error": error}
        ) from error
    members: dict[str, tuple[str, str]] = {}
    for entry in entries if isinstance(entries, list) else []:
        siren, name = str(entry.get("code") or ""), str(entry.get("nom") or "")
        for member in entry.get("membres") or []:
            if member.get("code"):
                members[str(member["code"])] = (siren[:9], name[:200])
    return members


@transaction.atomic
def communes_save(
    *, communes: list[dict], epci: dict[str, tuple[str, str]], source: str = ""
) -> CommunesImportReport:
    """Replace the commune list with `communes`, then tie the QPVs to them."""
    report = CommunesImportReport(source=source, total=len(communes))
    known = set(Commune.objects.values_list("code", flat=True))
    objects = []
    for row in communes:
        # An arrondissement belongs to its city's intercommunality.
        siren, name = epci.get(row["code"]) or epci.get(row["parent_code"]) or ("", "")
        report.with_epci += bool(siren)
        objects.append(Commune(**row, epci_siren=siren, epci_name=name))
    Commune.objects.bulk_create(
        objects,
        batch_size=_BATCH_SIZE,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=_UPDATED_FIELDS,
    )
    codes = {row["code"] for row in communes}
    report.created = len(codes - known)
    gone = known - codes
    report.removed = len(gone)
    if gone:
        Commune.objects.filter(code__in=gone).delete()
    report.linked_qpvs = qpv_communes_link()
    return report


def qpv_communes_link() -> int:
    """Tie every QPV to the communes its layer lists, and name them from the official
    list (the national copy of the layer gives codes only). Returns the QPVs tied."""
    # Every import of the QPV layer or of the communes ends here: the pages naming QPVs.
    cache_version_bump("territories")
    names = dict(Commune.objects.values_list("code", "name"))
    if not names:
        return 0
    current = {code: code for code in names}
    for code, former_codes in Commune.objects.exclude(former_codes=[]).values_list(
        "code", "former_codes"
    ):
        for former in former_codes:
            current.setdefault(former, code)
    links: list[QPVCommune] = []
    renamed: list[QPV] = []
    tied = 0
    for qpv in QPV.objects.only("id", "commune_code", "commune_codes", "commune_names"):
        codes = [code for code in (qpv.commune_codes or [qpv.commune_code]) if code]
        old_names = list(qpv.commune_names or [])
        new_names = []
        seen = set()
        for position, code in enumerate(codes):
            commune = current.get(code)
            if commune is None:
                new_names.append(old_names[position] if position < len(old_names) else "")
                continue
            if commune not in seen:
                seen.add(commune)
                links.append(QPVCommune(qpv_id=qpv.pk, commune_id=commune, position=position))
            new_names.append(names[commune])
        tied += bool(seen)
        if [name for name in new_names if name] and new_names != old_names:
            qpv.commune_names = new_names
            qpv.commune_name = new_names[0]
            renamed.append(qpv)
    QPVCommune.objects.all().delete()
    QPVCommune.objects.bulk_create(links, batch_size=_BATCH_SIZE)
    QPV.objects.bulk_update(renamed, ["commune_names", "commune_name"], batch_size=500)
    return tied


@contextmanager
def _local_copies(
    source: str | Path | None,
) -> Iterator[tuple[Path, Path | None, str, list[str]]]:
    """(communes.json, epci.json or None, label, notes), downloading URLs first."""
    text = str(source or "").strip() or conf.COMMUNES_SOURCE
    notes: list[str] = []
    if not text:
        if not (PACKAGE_DATA_DIR / "communes.json").is_file():
            raise CommunesError(
                _(
                    "La liste des communes n'est pas installée : lancez « npm ci "
                    "--ignore-scripts » (make install), ou indiquez un fichier ou une URL "
                    "(argument SOURCE ou variable COMMUNES_SOURCE)."
                )
            )
        text = str(PACKAGE_DATA_DIR)
    if urlparse(text).scheme in {"http", "https"}:
        with tempfile.TemporaryDirectory(prefix="communes-") as directory:
            communes_path = Path(directory) / "communes.json"
            _download(text, communes_path)
            epci_url = text.rsplit("/", 1)[0] + "/epci.json"
            epci_path = Path(directory) / "epci.json"
            try:
                download_to_file(
                    epci_url,
                    epci_path,
                    timeout=conf.QPV_DOWNLOAD_TIMEOUT,
                    max_bytes=conf.QPV_DOWNLOAD_MAX_BYTES,
                )
            except DownloadError as error:
                notes.append(str(error))
                yield communes_path, None, text, notes
            else:
                yield communes_path, epci_path, text, notes
        return
    path = Path(text).expanduser()
    communes_path = path / "communes.json" if path.is_dir() else path
    if not communes_path.is_file():
        raise CommunesError(
            _("Fichier des communes introuvable : %(path)s") % {"path": communes_path}
        )
    epci_file = communes_path.parent / "epci.json"
    if not epci_file.is_file():
        notes.append(_("Pas de fichier epci.json à côté : intercommunalités non renseignées."))
    yield communes_path, epci_file if epci_file.is_file() else None, text, notes


def _download(url: str, path: Path) -> None:
    try:
        download_to_file(
            url, path, timeout=conf.QPV_DOWNLOAD_TIMEOUT, max_bytes=conf.QPV_DOWNLOAD_MAX_BYTES
        )
    except DownloadError as error:
        raise CommunesError(str(error)) from error
