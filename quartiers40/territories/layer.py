"""Reading and validating a QPV layer file (GeoJSON, or a ZIP holding it). No database.

Two schemas are accepted: the official ANCT one (10 properties: `code_qp`, `lib_qp`,
`insee_dep`, `lib_dep`, `insee_reg`, `lib_reg`, `insee_com`, `lib_com`, `siren_epci`,
`fid`) and the compact national copy (`code_qp`, `lib_qp`, `insee_com`). What the file
lacks comes from the geographic code in `reference.py`: the department is read from
`code_qp`, names from the COG lists.

Every problem that makes the file unusable raises `QPVLayerError` with a French
message for the person running the import.
"""

import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import numpy as np
import shapely
from django.utils.translation import gettext as _

from . import reference
from .geometry import as_multipolygon, repair

REQUIRED_PROPERTIES = ("code_qp", "lib_qp")
MAX_CODE_LENGTH = 16

# GeoJSON `crs` names meaning WGS84 longitude/latitude (RFC 7946 assumes it when absent).
WGS84_CRS_NAMES = {
    "urn:ogc:def:crs:ogc:1.3:crs84",
    "urn:ogc:def:crs:ogc::crs84",
    "http://www.opengis.net/def/crs/ogc/1.3/crs84",
    "ogc:crs84",
    "crs84",
    "wgs84",
    "urn:ogc:def:crs:epsg::4326",
    "urn:ogc:def:crs:epsg:4326",
    "http://www.opengis.net/def/crs/epsg/0/4326",
    "epsg:4326",
}

ZIP_MAGIC = b"PK\x03\x04"
MAX_MEMBER_BYTES = 512 * 1024 * 1024  # a ZIP member larger than this is refused

ProgressCallback = Callable[[int, int], None]


class QPVLayerError(Exception):
    """The layer cannot be imported; the message (French) says why."""


@dataclass(frozen=True, slots=True)
class QPVFeature:
    code: str
    name: str
    department_code: str
    department_name: str
    region_code: str
    region_name: str
    commune_codes: tuple[str, ...]
    # None when the file has no `lib_com` (the national copy): names already known are kept.
    commune_names: tuple[str, ...] | None
    epci_siren: str | None
    geometry: shapely.MultiPolygon
    repaired: bool = False


@dataclass(frozen=True)
class QPVLayer:
    features: list[QPVFeature]
    source: str
    crs: str | None = None
    member: str | None = None  # the GeoJSON read inside a ZIP
    notes: list[str] = field(default_factory=list)

    @property
    def repaired_codes(self) -> list[str]:
        return [feature.code for feature in self.features if feature.repaired]

    @property
    def codes(self) -> list[str]:
        return [feature.code for feature in self.features]

    @property
    def geometries(self) -> np.ndarray:
        return np.array([feature.geometry for feature in self.features], dtype=object)


def qpv_layer_read(
    path: Path | str,
    *,
    label: str | None = None,
    zip_member: str | None = None,
    progress: ProgressCallback | None = None,
) -> QPVLayer:
    """Read and validate the QPV layer in `path` (a GeoJSON file or a ZIP holding one)."""
    path = Path(path)
    label = label or str(path)
    if not path.exists():
        raise QPVLayerError(_("Fichier introuvable : %(path)s") % {"path": path})
    if not path.is_file():
        raise QPVLayerError(_("« %(path)s » n'est pas un fichier.") % {"path": path})
    with path.open("rb") as handle:
        magic = handle.read(4)
    member = None
    if magic == ZIP_MAGIC:
        member, data = _read_zip_member(path, label=label, wanted=zip_member)
    else:
        data = path.read_bytes()
    return qpv_layer_parse(data, label=label, member=member, progress=progress)


def _read_zip_member(path: Path, *, label: str, wanted: str | None) -> tuple[str, bytes]:
    """The national GeoJSON in the archive: `wanted` by name, else the largest GeoJSON."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = [
                info
                for info in archive.infolist()
                if not info.is_dir() and info.filename.lower().endswith((".geojson", ".json"))
            ]
            if not members:
                raise QPVLayerError(
                    _("L'archive ZIP %(source)s ne contient aucun fichier GeoJSON.")
                    % {"source": label}
                )
            chosen = None
            if wanted:
                chosen = next(
                    (m for m in members if PurePosixPath(m.filename).name == wanted), None
                )
            if chosen is None:
                chosen = max(members, key=lambda m: m.file_size)
            if chosen.file_size > MAX_MEMBER_BYTES:
                raise QPVLayerError(
                    _("Le fichier %(member)s de l'archive est trop volumineux.")
                    % {"member": chosen.filename}
                )
            return chosen.filename, archive.read(chosen)
    except (zipfile.BadZipFile, OSError) as error:
        raise QPVLayerError(
            _("L'archive ZIP %(source)s est illisible : %(error)s")
            % {"source": label, "error": error}
        ) from error


def qpv_layer_parse(
    data: bytes,
    *,
    label: str = "",
    member: str | None = None,
    progress: ProgressCallback | None = None,
) -> QPVLayer:
    """Validate GeoJSON bytes and turn them into QPV features (geometries repaired)."""
    collection = _load_feature_collection(data, label=label)
    crs = _check_crs(collection, label=label)
    raw_features = collection.get("features")
    if not isinstance(raw_features, list) or not raw_features:
        raise QPVLayerError(
            _("La couche %(source)s est vide : elle ne contient aucun quartier.")
            % {"source": label}
        )
    _check_required_properties(raw_features, label=label)

    total = len(raw_features)
    parsed: list[tuple[dict, shapely.MultiPolygon]] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(raw_features, start=1):
        properties = raw.get("properties") or {}
        code = str(properties["code_qp"]).strip()
        if len(code) > MAX_CODE_LENGTH:
            raise QPVLayerError(
                _("Le code « %(code)s » (entité n° %(number)s) dépasse %(max)s caractères.")
                % {"code": code[:40], "number": number, "max": MAX_CODE_LENGTH}
            )
        if code in seen:
            raise QPVLayerError(
                _("Le code %(code)s apparaît deux fois (entités n° %(first)s et %(second)s).")
                % {"code": code, "first": seen[code], "second": number}
            )
        seen[code] = number
        parsed.append((properties, _polygonal_geometry(raw.get("geometry"), code=code)))
        if progress and (number % 100 == 0 or number == total):
            progress(number, total)

    geometries = np.array([geometry for _properties, geometry in parsed], dtype=object)
    _check_lon_lat_bounds(geometries, label=label)
    valid = shapely.is_valid(geometries)
    features = []
    notes = []
    for (properties, geometry), is_valid in zip(parsed, valid, strict=True):
        repaired = not is_valid
        if repaired:
            geometry = repair(geometry)
            if geometry.is_empty:
                raise QPVLayerError(
                    _("La géométrie du quartier %(code)s est vide une fois réparée.")
                    % {"code": properties["code_qp"]}
                )
        features.append(_feature(properties, geometry, repaired=repaired))
    if any(feature.repaired for feature in features):
        notes.append(
            _("%(count)s géométries invalides ont été réparées (shapely.make_valid).")
            % {"count": sum(feature.repaired for feature in features)}
        )
    return QPVLayer(features=features, source=label, crs=crs, member=member, notes=notes)


def _load_feature_collection(data: bytes, *, label: str) -> dict:
    not_geojson = _(
        "%(source)s n'est ni un fichier GeoJSON ni une archive ZIP contenant un GeoJSON."
    ) % {"source": label}
    if data.startswith(ZIP_MAGIC):
        raise QPVLayerError(not_geojson)
    try:
        collection = json.loads(data)
    except (UnicodeDecodeError, ValueError) as error:
        raise QPVLayerError(not_geojson) from error
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise QPVLayerError(
            _("%(source)s n'est pas une collection d'entités GeoJSON (FeatureCollection).")
            % {"source": label}
        )
    return collection


def _check_crs(collection: dict, *, label: str) -> str | None:
    crs = collection.get("crs")
    if crs is None:
        return None
    name = crs.get("properties", {}).get("name") if isinstance(crs, dict) else None
    if not isinstance(name, str) or name.strip().lower() not in WGS84_CRS_NAMES:
        raise QPVLayerError(
            _(
                "Le système de coordonnées de %(source)s est « %(crs)s » : seules les "
                "coordonnées WGS84 en longitude/latitude (CRS84, EPSG:4326) sont acceptées. "
                "Prenez le fichier « WGS84 » du jeu de données ou reprojetez-le."
            )
            % {"source": label, "crs": name if isinstance(name, str) else crs}
        )
    return name


def _check_required_properties(raw_features: list, *, label: str) -> None:
    missing: dict[str, list[int]] = {}
    for number, raw in enumerate(raw_features, start=1):
        properties = raw.get("properties") if isinstance(raw, dict) else None
        for name in REQUIRED_PROPERTIES:
            value = properties.get(name) if isinstance(properties, dict) else None
            if value is None or not str(value).strip():
                missing.setdefault(name, []).append(number)
    if missing:
        details = "; ".join(
            _("%(property)s (%(count)s entités, dont n° %(numbers)s)")
            % {
                "property": name,
                "count": len(numbers),
                "numbers": ", ".join(str(n) for n in numbers[:5]),
            }
            for name, numbers in missing.items()
        )
        raise QPVLayerError(
            _(
                "Propriétés obligatoires absentes dans %(source)s : %(details)s. "
                "Chaque quartier doit avoir code_qp et lib_qp."
            )
            % {"source": label, "details": details}
        )


def _polygonal_geometry(raw_geometry, *, code: str) -> shapely.MultiPolygon:
    kind = raw_geometry.get("type") if isinstance(raw_geometry, dict) else None
    if kind not in {"Polygon", "MultiPolygon"}:
        raise QPVLayerError(
            _("Le quartier %(code)s n'a pas de géométrie surfacique (type : %(kind)s).")
            % {"code": code, "kind": kind or _("aucune")}
        )
    try:
        geometry = shapely.from_geojson(json.dumps(raw_geometry))
    except shapely.errors.GEOSException as error:
        raise QPVLayerError(
            _("La géométrie du quartier %(code)s est illisible : %(error)s")
            % {"code": code, "error": error}
        ) from error
    if geometry.is_empty:
        raise QPVLayerError(_("La géométrie du quartier %(code)s est vide.") % {"code": code})
    return as_multipolygon(geometry)


def _check_lon_lat_bounds(geometries: np.ndarray, *, label: str) -> None:
    min_x, min_y, max_x, max_y = shapely.total_bounds(geometries)
    if min_x < -180 or max_x > 180 or min_y < -90 or max_y > 90:
        raise QPVLayerError(
            _(
                "Les coordonnées de %(source)s sortent des bornes de la longitude et de la "
                "latitude : le fichier n'est pas en WGS84 (Lambert-93 ?). Prenez le fichier "
                "« WGS84 » du jeu de données."
            )
            % {"source": label}
        )


def _split(value) -> tuple[str, ...]:
    if value is None:
        return ()
    return tuple(part.strip() for part in str(value).split(",") if part.strip())


def _text(properties: dict, name: str) -> str:
    value = properties.get(name)
    return "" if value is None else str(value).strip()


def _feature(properties: dict, geometry: shapely.MultiPolygon, *, repaired: bool) -> QPVFeature:
    code = _text(properties, "code_qp")
    department_code = _text(properties, "insee_dep") or reference.department_from_qpv_code(code)
    department_name = _text(properties, "lib_dep") or reference.department_name(department_code)
    region_code = _text(properties, "insee_reg") or reference.region_of(department_code)[0]
    region_name = _text(properties, "lib_reg") or reference.REGIONS.get(region_code, "")
    commune_names = _split(properties["lib_com"]) if "lib_com" in properties else None
    epci = _text(properties, "siren_epci") if "siren_epci" in properties else None
    return QPVFeature(
        code=code,
        name=_text(properties, "lib_qp"),
        department_code=department_code,
        department_name=department_name,
        region_code=region_code,
        region_name=region_name,
        commune_codes=_split(properties.get("insee_com")),
        commune_names=commune_names,
        epci_siren=epci,
        geometry=geometry,
        repaired=repaired,
    )
