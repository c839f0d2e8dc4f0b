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

import contextlib
import csv
import gc
import io
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from quartiers40.core.spreadsheet import FORMULA_STARTS, spreadsheet_safe

from .conf import conf
from .enums import CheckRowStatus
from .lookup import qpv_locate_points

if TYPE_CHECKING:  # the client is imported when a file has addresses (httpx takes 0.1 s)
    from .clients.geocoding import AddressQuery, GeocodingResult

MAX_ROWS = 50_000
ADDED_COLUMNS = ("qpv_code", "qpv_name", "distance_m", "status", "message")

LATITUDE_NAMES = ("latitude", "lat")
LONGITUDE_NAMES = ("longitude", "lon", "lng", "long")
ADDRESS_NAMES = ("adresse", "address", "adresse_postale", "adresse_complete")
POSTCODE_NAMES = ("code_postal", "codepostal", "postcode", "postal_code", "cp")
CITY_NAMES = ("commune", "city", "ville", "nom_commune")

_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")
_NOT_IN_A_NUMBER = re.compile(r"[^0-9.,+\-\n]")  # in a column joined by line breaks
# In a column joined by line breaks, a cell that starts like a formula (a false alarm
# on a line break inside a cell only costs a look at each cell).
_FORMULA_START = re.compile("(?:^|\n)[" + re.escape("".join(FORMULA_STARTS)) + "]")
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


class _Outcomes:
    """The added columns, one list each (a row's status, message, QPV, distance)."""

    def __init__(self, total: int):
        self.status = [""] * total
        self.message = [""] * total
        self.code = [""] * total
        self.name = [""] * total
        self.distance = [""] * total

    def fail(self, i: int, status: str, message: str) -> None:
        self.status[i] = status
        self.message[i] = message


class _Texts:
    """The messages repeated on many rows, translated once per file (not once per row)."""

    def __init__(self) -> None:
        self.inside = _("Dans le QPV « %(name)s » (%(code)s).")
        self.outside = _("Hors QPV : le plus proche est « %(name)s » (%(code)s), à %(distance)s.")
        self.no_qpv = _("Hors QPV (aucun QPV n'est chargé).")
        self.geocoded = _("Adresse reconnue : « %(label)s » (score %(score)s).")
        self.inside_by_code: dict[str, str] = {}


def qpv_csv_check(*, data: bytes, progress: ProgressCallback | None = None) -> QPVCheckResult:
    """Check every row of the CSV `data` against the current QPVs."""
    with _cyclic_gc_paused():
        return _check(data, progress)


@contextlib.contextmanager
def _cyclic_gc_paused():
    """The cyclic garbage collector off while a file is checked, back on after.

    A check makes hundreds of thousands of objects that hold no reference cycle (rows,
    cells, geometries): each allocation burst triggered a full collection that walked
    the whole heap again, a fifth of the check's time on 50,000 rows. Reference
    counting still frees everything; collection resumes at the end.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _check(data: bytes, progress: ProgressCallback | None) -> QPVCheckResult:
    text, encoding = _decode(data)
    delimiter = _detect_delimiter(text)
    header, rows = _read_rows(text, delimiter)
    columns = _find_columns(header)
    total = len(rows)
    if progress:
        progress(0, total)

    outcomes = _Outcomes(total)
    lons = np.full(total, np.nan)
    lats = np.full(total, np.nan)
    geocoded: dict[int, GeocodingResult] = {}
    to_geocode: list[int] = []
    width = len(header)
    with_coordinates: list[int] = []
    for i, row in enumerate(rows):
        if len(row) > width:
            outcomes.fail(
                i,
                CheckRowStatus.MALFORMED_ROW,
                _(
                    "Ligne mal formée : %(count)s valeurs pour %(width)s colonnes (un « %(sep)s » "
                    "dans une valeur non entourée de guillemets ?)."
                )
                % {"count": len(row), "width": width, "sep": delimiter},
            )
            continue
        if len(row) < width:
            row.extend([""] * (width - len(row)))
        if columns.has_coordinates and (
            row[columns.latitude].strip() or row[columns.longitude].strip()
        ):
            with_coordinates.append(i)
        elif columns.address is not None and row[columns.address].strip():
            to_geocode.append(i)
        elif columns.address is not None:
            outcomes.fail(
                i,
                CheckRowStatus.EMPTY_ADDRESS,
                _("Adresse vide : indiquez l'adresse, ou la latitude et la longitude.")
                if columns.has_coordinates
                else _("Adresse vide : indiquez l'adresse."),
            )
        else:
            outcomes.fail(i, CheckRowStatus.MISSING_LOCATION, _("Latitude et longitude vides."))
    if with_coordinates:
        _parse_coordinates_of(rows, with_coordinates, columns, lats, lons, outcomes)

    # Geocode and locate in chunks, so that progress moves on a large file.
    texts = _Texts()
    chunk_size = conf.GEOCODER_BATCH_SIZE
    for start in range(0, total, chunk_size):
        stop = min(start + chunk_size, total)
        chunk_addresses = [i for i in to_geocode if start <= i < stop]
        if chunk_addresses:
            from .clients.geocoding import geocode_many

            queries = [_address_query(rows[i], columns) for i in chunk_addresses]
            for i, result in zip(chunk_addresses, geocode_many(queries), strict=True):
                geocoded[i] = result
                if _accept_geocoding(result, outcomes, i):
                    lons[i], lats[i] = result.lon, result.lat
        _locate(lons, lats, outcomes, geocoded, start, stop, texts)
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
        rows = [row for row in reader if "".join(row).strip()]  # blank lines skipped
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


def _parse_coordinates_of(rows, positions, columns, lats, lons, outcomes: _Outcomes) -> None:
    """Read the coordinates of the rows at `positions` into `lats` and `lons`.

    A whole column at once when every value is a plain number in range; the rows that
    are not (empty, unreadable, out of range) are read again one by one, for their
    message.
    """
    where = np.array(positions)
    raw_lats = [rows[i][columns.latitude] for i in positions]
    raw_lons = [rows[i][columns.longitude] for i in positions]
    column_lats, good_lats = _parse_column(raw_lats, 90)
    column_lons, good_lons = _parse_column(raw_lons, 180)
    good = good_lats & good_lons
    lats[where[good]] = column_lats[good]
    lons[where[good]] = column_lons[good]
    for k in np.flatnonzero(~good).tolist():
        coordinates = _parse_coordinates(raw_lats[k], raw_lons[k], outcomes, positions[k])
        if coordinates:  # never, unless the column reading and this one disagree
            lats[positions[k]], lons[positions[k]] = coordinates


def _parse_column(values: list[str], limit: float) -> tuple[np.ndarray, np.ndarray]:
    """(numbers, readable and within ±limit) for the raw values of a coordinate column."""
    joined = "\n".join(values).replace("\u00a0", "").replace(" ", "")
    texts = None
    # Only ASCII digits, signs and separators: then `float` reads exactly what `_NUMBER`
    # accepts, and refuses the rest ("1.2.3", "-", ""), which are then read one by one.
    if not _NOT_IN_A_NUMBER.search(joined):
        texts = joined.replace(",", ".").split("\n")
        if len(texts) != len(values):  # a value holding a line break
            texts = None
    try:
        numbers = np.array(texts, dtype=np.float64) if texts is not None else None
    except ValueError:
        numbers = None
    if numbers is None:
        numbers = np.array(_number_texts(values), dtype=np.float64)
    with np.errstate(invalid="ignore"):
        return numbers, np.isfinite(numbers) & (np.abs(numbers) <= limit)


def _number_texts(values: list[str]) -> list[str]:
    """Each value as `_parse_coordinates` reads it, or "nan" when it is not a number."""
    texts = []
    for value in values:
        text = value.strip().replace("\u00a0", "").replace(" ", "")
        texts.append(text.replace(",", ".") if _NUMBER.fullmatch(text) else "nan")
    return texts


def _parse_coordinates(
    raw_lat: str, raw_lon: str, outcomes: _Outcomes, i: int
) -> tuple[float, float] | None:
    values = []
    for label, raw, limit in ((_("Latitude"), raw_lat, 90), (_("Longitude"), raw_lon, 180)):
        text = raw.strip().replace("\u00a0", "").replace(" ", "")
        if not text:
            outcomes.fail(
                i, CheckRowStatus.INVALID_COORDINATES, _("%(label)s manquante.") % {"label": label}
            )
            return None
        if not _NUMBER.fullmatch(text):
            outcomes.fail(
                i,
                CheckRowStatus.INVALID_COORDINATES,
                _(
                    "%(label)s illisible : « %(value)s » n'est pas un nombre décimal "
                    "(exemple : 48.8566)."
                )
                % {"label": label, "value": raw.strip()},
            )
            return None
        value = float(text.replace(",", "."))
        if not math.isfinite(value) or abs(value) > limit:
            outcomes.fail(
                i,
                CheckRowStatus.OUT_OF_RANGE,
                _("%(label)s hors limites : %(value)s n'est pas entre -%(limit)s et %(limit)s.")
                % {"label": label, "value": raw.strip(), "limit": limit},
            )
            return None
        values.append(value)
    return values[0], values[1]


def _address_query(row: list[str], columns: _Columns) -> "AddressQuery":
    from .clients.geocoding import AddressQuery

    def value(position: int | None) -> str:
        return row[position].strip() if position is not None else ""

    return AddressQuery(
        address=value(columns.address), postcode=value(columns.postcode), city=value(columns.city)
    )


def _accept_geocoding(result: "GeocodingResult", outcomes: _Outcomes, i: int) -> bool:
    """True when the row can be located with this result; otherwise fill its outcome."""
    from .clients.geocoding import GeocodingStatus

    if result.status == GeocodingStatus.OK:
        return True
    if result.status == GeocodingStatus.UNCERTAIN:
        outcomes.fail(
            i,
            CheckRowStatus.ADDRESS_UNCERTAIN,
            _(
                "Adresse incertaine (score %(score)s) : le géocodeur propose « %(label)s ». "
                "Précisez l'adresse (numéro, code postal, commune) ou donnez les coordonnées."
            )
            % {"score": _decimal(result.score or 0.0, 2), "label": result.label},
        )
    elif result.status == GeocodingStatus.NOT_FOUND:
        outcomes.fail(
            i,
            CheckRowStatus.ADDRESS_NOT_FOUND,
            _("Adresse introuvable : « %(query)s ».") % {"query": result.query},
        )
    else:
        outcomes.fail(
            i,
            CheckRowStatus.GEOCODER_UNAVAILABLE,
            _(
                "Service de géocodage indisponible : réessayez plus tard, ou donnez la "
                "latitude et la longitude."
            ),
        )
    return False


def _locate(lons, lats, outcomes: _Outcomes, geocoded, start: int, stop: int, texts) -> None:
    rows = np.arange(start, stop)
    rows = rows[np.isfinite(lons[start:stop]) & np.isfinite(lats[start:stop])]
    if not len(rows):
        return
    located = qpv_locate_points(lons=lons[rows], lats=lats[rows])
    codes, names = located.index.codes, located.index.names
    inside_messages = texts.inside_by_code
    for i, position, nearest, distance in zip(
        rows.tolist(),
        located.positions.tolist(),
        located.nearest.tolist(),
        located.distance_m.tolist(),
        strict=True,
    ):
        outcomes.status[i] = CheckRowStatus.OK
        if position >= 0:
            code, name = codes[position], names[position]
            outcomes.code[i], outcomes.name[i], outcomes.distance[i] = code, name, "0"
            message = inside_messages.get(code)
            if message is None:
                message = inside_messages[code] = texts.inside % {"name": name, "code": code}
        elif nearest >= 0:
            metres = round(distance)
            outcomes.distance[i] = str(metres)
            message = texts.outside % {
                "name": names[nearest],
                "code": codes[nearest],
                "distance": _metres(metres),
            }
        else:
            message = texts.no_qpv
        if i in geocoded:
            result = geocoded[i]
            message += " " + texts.geocoded % {
                "label": result.label,
                "score": _decimal(result.score or 0.0, 2),
            }
        outcomes.message[i] = message


# --- writing the result --------------------------------------------------------------


def _result(
    header, rows, outcomes: _Outcomes, *, text_encoding: str, delimiter: str
) -> QPVCheckResult:
    positions = {_normalise(name): i for i, name in enumerate(header)}
    added = [name for name in ADDED_COLUMNS if name not in positions]
    width = len(header)
    for k, row in enumerate(rows):
        if len(row) > width:  # keep the overflowing values in the last column
            rows[k] = [*row[: width - 1], delimiter.join(row[width - 1 :])]
    values = {
        "qpv_code": outcomes.code,
        "qpv_name": outcomes.name,
        "distance_m": outcomes.distance,
        "status": outcomes.status,
        "message": outcomes.message,
    }
    # Column by column: a column of a previous result is overwritten, the others added.
    table = [
        values[name] if name in values and positions.get(name) == j else [row[j] for row in rows]
        for j, name in enumerate(_normalise(name) for name in header)
    ]
    table.extend(values[name] for name in added)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    # People open the result in a spreadsheet: an uploaded "=HYPERLINK(…)" must stay text.
    writer.writerow([spreadsheet_safe(name) for name in [*header, *added]])
    # Our own columns (digits, status codes, messages starting with our words) need no
    # look; a message quotes what was typed only after its first words.
    ours = (outcomes.distance, outcomes.status, outcomes.message)
    columns = (
        column if any(column is own for own in ours) else _spreadsheet_column(column)
        for column in table
    )
    writer.writerows(zip(*columns, strict=True))
    statuses = [str(status) for status in outcomes.status]
    return QPVCheckResult(
        content=buffer.getvalue().encode("utf-8-sig"),
        total=len(rows),
        counts=Counter(statuses),
        inside=sum(map(bool, outcomes.code)),
        encoding=text_encoding,
        delimiter=delimiter,
    )


def _spreadsheet_column(column: list[str]) -> list[str]:
    """`spreadsheet_safe` on the cells that may need it: those starting like a formula."""
    if not _FORMULA_START.search("\n".join(column)):  # the whole column at once
        return column
    return [spreadsheet_safe(cell) if cell.startswith(FORMULA_STARTS) else cell for cell in column]


def number_text(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


def _decimal(value: float, digits: int) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def _metres(metres: int) -> str:
    if metres < 10_000:
        return f"{number_text(metres)} m"
    return f"{_decimal(metres / 1000, 1)} km"
