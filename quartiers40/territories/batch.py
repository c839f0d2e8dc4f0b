"""Checking a CSV file of places against the QPVs: which row lies in which QPV.

The input has either address columns (`adresse`/`address`, optionally
`code_postal`/`postcode` and `commune`/`city`) or `latitude`/`lat` and
`longitude`/`lon`/`lng` columns (names are matched without case or accents), or
both: a row with coordinates uses them, a row without uses its address. Separator
`;` or `,`; encoding UTF-8 (with or without BOM) or Latin-1/Windows-1252; at most
50,000 data rows.

The result keeps every input column and adds `qpv_code`, `qpv_name`, `distance_m`
(0 inside a QPV, metres to the nearest one outside), `status` (a `CheckRowStatus`
code) and `message` (French). A bad row gets its status and message; the others are
processed. A file that cannot be read at all raises `QPVCheckFileError` (a
`ValidationError`, so forms and the API can show its message as is).

`qpv_csv_check` is what the command, the web page and the background job call:
it takes bytes, reports progress through `progress(done, total)` and returns the
result CSV as bytes (UTF-8 with BOM, the input's separator, for spreadsheets).
"""

import csv
import io
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from quartiers40.core.spreadsheet import spreadsheet_writer

from .clients.geocoding import AddressQuery, GeocodingResult, GeocodingStatus, geocode_many
from .conf import conf
from .enums import CheckRowStatus
from .lookup import qpv_locate_points

MAX_ROWS = 50_000
ADDED_COLUMNS = ("qpv_code", "qpv_name", "distance_m", "status", "message")

LATITUDE_NAMES = ("latitude", "lat")
LONGITUDE_NAMES = ("longitude", "lon", "lng", "long")
ADDRESS_NAMES = ("adresse", "address", "adresse_postale", "adresse_complete")
POSTCODE_NAMES = ("code_postal", "codepostal", "postcode", "postal_code", "cp")
CITY_NAMES = ("commune", "city", "ville", "nom_commune")

_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

ProgressCallback = Callable[[int, int], None]


class QPVCheckFileError(ValidationError):
    """The file cannot be checked at all; the message (French) says why."""


@dataclass
class QPVCheckResult:
    content: bytes  # the result CSV
    total: int  # data rows
    counts: Counter = field(default_factory=Counter)  # rows per status
    inside: int = 0  # rows located in a QPV
    encoding: str = "utf-8"
    delimiter: str = ";"

    @property
    def errors(self) -> int:
        return self.total - self.counts[CheckRowStatus.OK]


@dataclass
class _Columns:
    latitude: int | None = None
    longitude: int | None = None
    address: int | None = None
    postcode: int | None = None
    city: int | None = None

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None


@dataclass
class _Outcome:
    status: str = ""
    message: str = ""
    code: str = ""
    name: str = ""
    distance: str = ""


def qpv_csv_check(*, data: bytes, progress: ProgressCallback | None = None) -> QPVCheckResult:
    """Check every row of the CSV `data` against the current QPVs."""
    text, encoding = _decode(data)
    delimiter = _detect_delimiter(text)
    header, rows = _read_rows(text, delimiter)
    columns = _find_columns(header)
    total = len(rows)
    if progress:
        progress(0, total)

    outcomes = [_Outcome() for _row in rows]
    lons = np.full(total, np.nan)
    lats = np.full(total, np.nan)
    geocoded: dict[int, GeocodingResult] = {}
    to_geocode: list[int] = []
    width = len(header)
    for i, row in enumerate(rows):
        outcome = outcomes[i]
        if len(row) > width:
            outcome.status = CheckRowStatus.MALFORMED_ROW
            outcome.message = _(
                "Ligne mal formée : %(count)s valeurs pour %(width)s colonnes (un « %(sep)s » "
                "dans une valeur non entourée de guillemets ?)."
            ) % {"count": len(row), "width": width, "sep": delimiter}
            continue
        row.extend([""] * (width - len(row)))
        if columns.has_coordinates and (
            row[columns.latitude].strip() or row[columns.longitude].strip()
        ):
            coordinates = _parse_coordinates(row[columns.latitude], row[columns.longitude], outcome)
            if coordinates:
                lats[i], lons[i] = coordinates
        elif columns.address is not None and row[columns.address].strip():
            to_geocode.append(i)
        elif columns.address is not None:
            outcome.status = CheckRowStatus.EMPTY_ADDRESS
            outcome.message = (
                _("Adresse vide : indiquez l'adresse, ou la latitude et la longitude.")
                if columns.has_coordinates
                else _("Adresse vide : indiquez l'adresse.")
            )
        else:
            outcome.status = CheckRowStatus.MISSING_LOCATION
            outcome.message = _("Latitude et longitude vides.")

    # Geocode and locate in chunks, so that progress moves on a large file.
    chunk_size = conf.GEOCODER_BATCH_SIZE
    for start in range(0, total, chunk_size):
        stop = min(start + chunk_size, total)
        chunk_addresses = [i for i in to_geocode if start <= i < stop]
        if chunk_addresses:
            queries = [_address_query(rows[i], columns) for i in chunk_addresses]
            for i, result in zip(chunk_addresses, geocode_many(queries), strict=True):
                geocoded[i] = result
                if _accept_geocoding(result, outcomes[i]):
                    lons[i], lats[i] = result.lon, result.lat
        _locate(lons, lats, outcomes, geocoded, start, stop)
        if progress:
            progress(stop, total)

    return _result(header, rows, outcomes, text_encoding=encoding, delimiter=delimiter)


# --- reading the file ------------------------------------------------------------------


def _decode(data: bytes) -> tuple[str, str]:
    unreadable = _(
        "Le fichier n'est pas un texte CSV lisible. Enregistrez-le au format « CSV UTF-8 » "
        "(ou CSV Latin-1) depuis votre tableur."
    )
    if data.startswith(b"PK\x03\x04"):
        raise QPVCheckFileError(
            _(
                "Le fichier est un classeur (Excel, LibreOffice) ou une archive, pas un CSV : "
                "exportez-le au format « CSV UTF-8 » depuis votre tableur."
            ),
            code="not_csv",
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise QPVCheckFileError(
            _("Le fichier est encodé en UTF-16. %(hint)s") % {"hint": unreadable}, code="encoding"
        )
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = [("utf-8-sig", data[3:], "utf-8")]
    else:
        candidates = [
            ("utf-8", data, "utf-8"),
            ("cp1252", data, "cp1252"),
            ("latin-1", data, "latin-1"),
        ]
    for name, raw, codec in candidates:
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        if _CONTROL.search(text):  # binary data, or another encoding (UTF-16 without BOM...)
            break
        return text, name
    raise QPVCheckFileError(unreadable, code="encoding")


def _detect_delimiter(text: str) -> str:
    header = next((line for line in io.StringIO(text) if line.strip()), "")
    return "," if header.count(",") > header.count(";") else ";"


def _read_rows(text: str, delimiter: str) -> tuple[list[str], list[list[str]]]:
    if not text.strip():
        raise QPVCheckFileError(_("Le fichier est vide."), code="empty")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = [row for row in reader if any(value.strip() for value in row)]
    except csv.Error as error:
        raise QPVCheckFileError(
            _("Le fichier CSV est mal formé (ligne %(line)s) : %(error)s")
            % {"line": reader.line_num, "error": error},
            code="malformed",
        ) from error
    header, data = rows[0], rows[1:]
    if not data:
        raise QPVCheckFileError(
            _("Le fichier ne contient aucune ligne de données sous la ligne d'en-tête."),
            code="empty",
        )
    if len(data) > MAX_ROWS:
        raise QPVCheckFileError(
            _(
                "Le fichier contient %(count)s lignes de données ; la limite est de %(max)s "
                "lignes par fichier. Découpez-le en plusieurs fichiers."
            )
            % {"count": number_text(len(data)), "max": number_text(MAX_ROWS)},
            code="too_many_rows",
        )
    return header, data


def _normalise(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[\s\-.']+", "_", ascii_name.strip().lower()).strip("_")


def _find_columns(header: list[str]) -> _Columns:
    positions: dict[str, int] = {}
    for i, name in enumerate(header):
        positions.setdefault(_normalise(name), i)

    def first(names: tuple[str, ...]) -> int | None:
        return next((positions[n] for n in names if n in positions), None)

    columns = _Columns(
        latitude=first(LATITUDE_NAMES),
        longitude=first(LONGITUDE_NAMES),
        address=first(ADDRESS_NAMES),
        postcode=first(POSTCODE_NAMES),
        city=first(CITY_NAMES),
    )
    if columns.has_coordinates or columns.address is not None:
        return columns
    found = ", ".join(f"« {name} »" for name in header if name.strip()) or _("aucune")
    if (columns.latitude is None) != (columns.longitude is None):
        missing = "longitude" if columns.longitude is None else "latitude"
        raise QPVCheckFileError(
            _(
                "Colonne « %(missing)s » manquante : il faut les deux colonnes « latitude » et "
                "« longitude », ou une colonne « adresse ». Colonnes trouvées : %(found)s."
            )
            % {"missing": missing, "found": found},
            code="missing_columns",
        )
    raise QPVCheckFileError(
        _(
            "Colonnes manquantes : le fichier doit contenir une colonne « adresse » (avec, si "
            "possible, « code_postal » et « commune »), ou deux colonnes « latitude » et "
            "« longitude ». Colonnes trouvées : %(found)s."
        )
        % {"found": found},
        code="missing_columns",
    )


# --- each row ----------------------------------------------------------------------------


def _parse_coordinates(raw_lat: str, raw_lon: str, outcome: _Outcome) -> tuple[float, float] | None:
    values = []
    for label, raw, limit in ((_("Latitude"), raw_lat, 90), (_("Longitude"), raw_lon, 180)):
        text = raw.strip().replace("\u00a0", "").replace(" ", "")
        if not text:
            outcome.status = CheckRowStatus.INVALID_COORDINATES
            outcome.message = _("%(label)s manquante.") % {"label": label}
            return None
        if not _NUMBER.fullmatch(text):
            outcome.status = CheckRowStatus.INVALID_COORDINATES
            outcome.message = _(
                "%(label)s illisible : « %(value)s » n'est pas un nombre décimal "
                "(exemple : 48.8566)."
            ) % {"label": label, "value": raw.strip()}
            return None
        value = float(text.replace(",", "."))
        if not math.isfinite(value) or abs(value) > limit:
            outcome.status = CheckRowStatus.OUT_OF_RANGE
            outcome.message = _(
                "%(label)s hors limites : %(value)s n'est pas entre -%(limit)s et %(limit)s."
            ) % {"label": label, "value": raw.strip(), "limit": limit}
            return None
        values.append(value)
    return values[0], values[1]


def _address_query(row: list[str], columns: _Columns) -> AddressQuery:
    def value(position: int | None) -> str:
        return row[position].strip() if position is not None else ""

    return AddressQuery(
        address=value(columns.address), postcode=value(columns.postcode), city=value(columns.city)
    )


def _accept_geocoding(result: GeocodingResult, outcome: _Outcome) -> bool:
    """True when the row can be located with this result; otherwise fill the outcome."""
    if result.status == GeocodingStatus.OK:
        return True
    if result.status == GeocodingStatus.UNCERTAIN:
        outcome.status = CheckRowStatus.ADDRESS_UNCERTAIN
        outcome.message = _(
            "Adresse incertaine (score %(score)s) : le géocodeur propose « %(label)s ». "
            "Précisez l'adresse (numéro, code postal, commune) ou donnez les coordonnées."
        ) % {"score": _decimal(result.score or 0.0, 2), "label": result.label}
    elif result.status == GeocodingStatus.NOT_FOUND:
        outcome.status = CheckRowStatus.ADDRESS_NOT_FOUND
        outcome.message = _("Adresse introuvable : « %(query)s ».") % {"query": result.query}
    else:
        outcome.status = CheckRowStatus.GEOCODER_UNAVAILABLE
        outcome.message = _(
            "Service de géocodage indisponible : réessayez plus tard, ou donnez la latitude "
            "et la longitude."
        )
    return False


def _locate(lons, lats, outcomes, geocoded, start: int, stop: int) -> None:
    rows = np.arange(start, stop)
    rows = rows[np.isfinite(lons[start:stop]) & np.isfinite(lats[start:stop])]
    if not len(rows):
        return
    located = qpv_locate_points(lons=lons[rows], lats=lats[rows])
    for k, i in enumerate(rows.tolist()):
        match = located.match(k)
        outcome = outcomes[i]
        outcome.status = CheckRowStatus.OK
        if match.inside:
            outcome.code, outcome.name, outcome.distance = match.code, match.name, "0"
            outcome.message = _("Dans le QPV « %(name)s » (%(code)s).") % {
                "name": match.name,
                "code": match.code,
            }
        elif match.nearest_code is not None:
            metres = round(match.distance_m)
            outcome.distance = str(metres)
            outcome.message = _(
                "Hors QPV : le plus proche est « %(name)s » (%(code)s), à %(distance)s."
            ) % {
                "name": match.nearest_name,
                "code": match.nearest_code,
                "distance": _metres(metres),
            }
        else:
            outcome.message = _("Hors QPV (aucun QPV n'est chargé).")
        if i in geocoded:
            result = geocoded[i]
            outcome.message += " " + _("Adresse reconnue : « %(label)s » (score %(score)s).") % {
                "label": result.label,
                "score": _decimal(result.score or 0.0, 2),
            }


# --- writing the result --------------------------------------------------------------


def _result(header, rows, outcomes, *, text_encoding: str, delimiter: str) -> QPVCheckResult:
    positions = {_normalise(name): i for i, name in enumerate(header)}
    added = [name for name in ADDED_COLUMNS if name not in positions]
    buffer = io.StringIO()
    # People open the result in a spreadsheet: an uploaded "=HYPERLINK(…)" must stay text.
    writer = spreadsheet_writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([*header, *added])
    width = len(header)
    counts: Counter = Counter()
    inside = 0
    for row, outcome in zip(rows, outcomes, strict=True):
        values = {
            "qpv_code": outcome.code,
            "qpv_name": outcome.name,
            "distance_m": outcome.distance,
            "status": str(outcome.status),
            "message": outcome.message,
        }
        if len(row) > width:  # keep the overflowing values in the last column
            row = [*row[: width - 1], delimiter.join(row[width - 1 :])]
        out = list(row)
        for name in ADDED_COLUMNS:  # a column of a previous result is overwritten
            if name in positions:
                out[positions[name]] = values[name]
        out.extend(values[name] for name in added)
        writer.writerow(out)
        counts[str(outcome.status)] += 1
        inside += bool(outcome.code)
    return QPVCheckResult(
        content=buffer.getvalue().encode("utf-8-sig"),
        total=len(rows),
        counts=counts,
        inside=inside,
        encoding=text_encoding,
        delimiter=delimiter,
    )


def number_text(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


def _decimal(value: float, digits: int) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def _metres(metres: int) -> str:
    if metres < 10_000:
        return f"{number_text(metres)} m"
    return f"{_decimal(metres / 1000, 1)} km"
