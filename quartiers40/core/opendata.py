"""How the open-data exports are written, whatever the domain (projects, défis…).

Each domain's `exports.py` says which columns it publishes and what goes in them; the
shape of a cell, a timestamp and a CSV file is decided here, once.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

# Lists go in one CSV cell, their items joined by this separator.
LIST_SEPARATOR = "|"
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def codes_pattern(values: Iterable[str]) -> str:
    """A Table Schema pattern: one or more of these codes, joined by LIST_SEPARATOR."""
    codes = "|".join(values)
    return rf"^({codes})(\|({codes}))*$"


def timestamp(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime(TIMESTAMP_FORMAT)


def csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        # A name holding the separator would split in two: it gets a look-alike instead.
        return LIST_SEPARATOR.join(str(item).replace(LIST_SEPARATOR, "¦") for item in value)
    return str(value)


def rows_csv(rows: Iterable[dict], columns: Sequence[str]) -> str:
    """A CSV file (comma, CRLF, one header line) of these rows, in this column order."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(row[name]) for name in columns])
    return buffer.getvalue()
