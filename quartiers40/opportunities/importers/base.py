"""What every importer shares: files read within bounds, rows, errors, and small parsers.

An importer reads a file into `Unit`s (a group of rows written in one transaction), each
row giving an `ImportedItem` or a `RowError` that says, in French, what is wrong and where.
"""

import codecs
import csv
import html
import math
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from ..models import SUMMARY_MAX_LENGTH
from ..records import ImportedItem
from .lambert93 import lambert93_to_wgs84, looks_like_lambert93

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
CSV_FIELD_LIMIT = 1024 * 1024  # one cell: a long description, never a whole file


class ImportFileError(Exception):
    """The file cannot be read at all: nothing of it is imported."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RowError:
    where: str  # "ligne 12", "élément 3", "action 2"
    message: str
    source_id: str = ""  # when the row's id could be read: it is not withdrawn

    def __str__(self) -> str:
        return f"{self.where} : {self.message}"


@dataclass(frozen=True)
class Row:
    where: str
    item: ImportedItem | None = None
    error: RowError | None = None
    notes: tuple[str, ...] = ()


@dataclass
class Unit:
    """Rows written in one transaction: all the valid ones, or none when the file is bad."""

    name: str
    total: int
    rows: Callable[[], Iterator[Row]]
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Refused:
    """A file of several that cannot be read: nothing of it is imported, the others are."""

    name: str
    message: str


def per_file(paths, read) -> list:
    """`read(path)` for each path, a `Refused` for each that fails."""
    result: list = []
    for path in paths:
        try:
            result.extend(read(path))
        except ImportFileError as error:
            result.append(Refused(Path(path).name, error.message))
    return result


def max_bytes() -> int:
    return int(getattr(settings, "OPPORTUNITIES_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".", ",")


def file_check(path: Path) -> int:
    """The file's size, or ImportFileError when it is missing or over the limit."""
    try:
        size = path.stat().st_size
    except OSError:
        raise ImportFileError(_("Fichier introuvable : %(path)s") % {"path": path}) from None
    if not path.is_file():
        raise ImportFileError(_("Ce n'est pas un fichier : %(path)s") % {"path": path})
    limit = max_bytes()
    if size > limit:
        raise ImportFileError(
            _(
                "Le fichier %(name)s fait %(size)s Mo : la limite est de %(limit)s Mo "
                "(OPPORTUNITIES_IMPORT_MAX_BYTES). Découpez-le en plusieurs fichiers."
            )
            % {"name": path.name, "size": megabytes(size), "limit": megabytes(limit)}
        )
    if size == 0:
        raise ImportFileError(_("Le fichier %(name)s est vide.") % {"name": path.name})
    return size


def read_bytes(path: Path) -> bytes:
    file_check(path)
    return path.read_bytes()


# --- CSV, streamed --------------------------------------------------------------------


def text_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM), else Windows-1252; read in chunks, never whole."""
    with path.open("rb") as handle:
        head = handle.read(4)
        if head.startswith(b"PK\x03\x04"):
            raise ImportFileError(
                _(
                    "Le fichier %(name)s est un classeur (Excel, LibreOffice) ou une archive : "
                    "enregistrez-le au format « CSV UTF-8 » depuis votre tableur."
                )
                % {"name": path.name}
            )
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise ImportFileError(
                _("Le fichier %(name)s est en UTF-16 : enregistrez-le en « CSV UTF-8 ».")
                % {"name": path.name}
            )
        if head.startswith(b"\xef\xbb\xbf"):
            return "utf-8-sig"
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := handle.read(1024 * 1024):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8"


def csv_delimiter(header_line: str, *, candidates: str = ";,") -> str:
    counts = {delimiter: header_line.count(delimiter) for delimiter in candidates}
    return max(counts, key=lambda delimiter: counts[delimiter])


@dataclass
class CSVFile:
    path: Path
    encoding: str
    delimiter: str
    header: list[str]
    total: int

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        """(line number, {column: value}) for each non-empty row, streamed."""
        previous = csv.field_size_limit(CSV_FIELD_LIMIT)
        try:
            yield from self._rows()
        finally:
            csv.field_size_limit(previous)

    def _rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        with self.path.open(encoding=self.encoding, errors="replace", newline="") as handle:
            reader = csv.reader(handle, delimiter=self.delimiter)
            next(reader, None)
            line = reader.line_num
            try:
                for values in reader:
                    number, line = line + 1, reader.line_num
                    if not any(value.strip() for value in values):
                        continue
                    yield number, dict(zip(self.header, (v.strip() for v in values), strict=False))
            except csv.Error as error:
                raise ImportFileError(
                    _("Le fichier CSV est mal formé (ligne %(line)s) : %(error)s")
                    % {"line": reader.line_num, "error": error}
                ) from error


def csv_open(path: Path, *, delimiters: str = ";,") -> CSVFile:
    """Check the file, detect its encoding and separator, read its header, count its rows."""
    file_check(path)
    encoding = text_encoding(path)
    previous = csv.field_size_limit(CSV_FIELD_LIMIT)
    try:
        return _csv_open(path, encoding, delimiters)
    finally:
        csv.field_size_limit(previous)


def _csv_open(path: Path, encoding: str, delimiters: str) -> CSVFile:
    with path.open(encoding=encoding, errors="replace", newline="") as handle:
        first = handle.readline()
        delimiter = csv_delimiter(first, candidates=delimiters)
        handle.seek(0)
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            header = [name.strip().lstrip("\ufeff") for name in next(reader, [])]
            total = sum(1 for values in reader if any(value.strip() for value in values))
        except csv.Error as error:
            raise ImportFileError(
                _("Le fichier CSV est mal formé (ligne %(line)s) : %(error)s")
                % {"line": reader.line_num, "error": error}
            ) from error
    if not any(header):
        raise ImportFileError(_("Le fichier %(name)s est vide.") % {"name": path.name})
    return CSVFile(path, encoding, delimiter, header, total)


def normalise_name(name: str) -> str:
    """A column name compared without accents, case, spaces or punctuation."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")


# --- Values ---------------------------------------------------------------------------

_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


def decimal(value) -> float | None:
    """A number written with a point or a comma ("2,35"), or None when empty.

    ValueError when it is not a number.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
        if not text:
            return None
        if not _NUMBER.match(text):
            raise ValueError(text)
        number = float(text.replace(",", "."))
    if not math.isfinite(number):
        raise ValueError(str(value))
    return number


@dataclass(frozen=True)
class Point:
    longitude: float | None
    latitude: float | None
    note: str = ""
    error: str = ""


def point_read(raw_longitude, raw_latitude) -> Point:
    """WGS84 degrees, or Lambert-93 metres converted, or no point (and why)."""
    try:
        longitude, latitude = decimal(raw_longitude), decimal(raw_latitude)
    except ValueError as error:
        return Point(
            None,
            None,
            error=_("coordonnée illisible « %(value)s » : ce n'est pas un nombre.")
            % {"value": error},
        )
    if longitude is None or latitude is None:
        return Point(None, None)
    if longitude == 0 and latitude == 0:
        return Point(None, None)  # "null island": no point, in the ecosystem's files
    if abs(longitude) <= 180 and abs(latitude) <= 90:
        return Point(longitude, latitude)
    for x, y in ((longitude, latitude), (latitude, longitude)):
        if looks_like_lambert93(x, y):
            lon, lat = lambert93_to_wgs84(x, y)
            return Point(
                round(lon, 6),
                round(lat, 6),
                note=_(
                    "coordonnées Lambert-93 (%(x)s ; %(y)s) converties en longitude et latitude."
                )
                % {"x": f"{x:.0f}", "y": f"{y:.0f}"},
            )
    return Point(
        None,
        None,
        error=_(
            "coordonnées hors limites (%(lon)s ; %(lat)s) : ni des degrés (WGS84), "
            "ni des mètres en Lambert-93."
        )
        % {"lon": raw_longitude, "lat": raw_latitude},
    )


def date_read(value) -> date | None:
    """A date written 2025-02-14, 2025-02-14T10:00, 14/02/2025 or 20250214; ValueError else."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%Y%m%d"):
        try:
            return datetime.strptime(text[:10] if pattern == "%Y-%m-%d" else text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


# --- Text -----------------------------------------------------------------------------

_TAG = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"</(p|div|li|h\d|ul|ol)>|<br\s*/?>", re.IGNORECASE)
_LIST_ITEM = re.compile(r"<li[^>]*>", re.IGNORECASE)


def html_to_text(value: str) -> str:
    """Plain text with its paragraphs and list items, from the HTML some sources send."""
    if "<" not in value and "&" not in value:
        return value.strip()
    text = html.unescape(value)
    text = _LIST_ITEM.sub("\n- ", text)
    text = _BLOCK_END.sub("\n", text)
    text = _TAG.sub("", text)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    paragraphs, current = [], []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    if current:
        paragraphs.append("\n".join(current))
    return "\n\n".join(paragraphs)


_MD_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARKS = re.compile(r"(\*\*|__|\*|`|~~)")
_MD_LINE_START = re.compile(r"^\s{0,3}(#{1,6}\s*|>\s?|[-+*]\s+|\d+[.)]\s+)", re.MULTILINE)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def plain_text(markdown: str) -> str:
    """Markdown (or HTML) as one line of plain words."""
    text = _MD_COMMENT.sub(" ", html_to_text(markdown or ""))
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_LINE_START.sub("", text)
    text = _MD_MARKS.sub("", text)
    return " ".join(text.split())


def plain_summary(text: str, *, limit: int = SUMMARY_MAX_LENGTH) -> str:
    """The first sentence(s) of a description, plain, within `limit` characters."""
    plain = plain_text(text)
    if len(plain) <= limit:
        return plain
    summary = ""
    for sentence in _SENTENCE_END.split(plain):
        candidate = f"{summary} {sentence}".strip()
        if len(candidate) > limit:
            break
        summary = candidate
    if summary:
        return summary
    cut = plain[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return f"{cut}…"


def quoted(value) -> str:
    return f"« {value} »"


def values_text(values) -> str:
    return ", ".join(str(value) for value in values)


def https(url: str) -> str:
    """A web address with its scheme ("lycee.fr" → "https://lycee.fr")."""
    url = (url or "").strip()
    if not url or url == "-":
        return ""
    if not re.match(r"^[a-z][a-z0-9+.-]*://", url, re.IGNORECASE):
        url = f"https://{url}"
    return url
