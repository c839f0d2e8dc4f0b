"""CSV files that people open in a spreadsheet: no cell may run as a formula.

A cell that starts with `=`, `+`, `-`, `@` (or a tab or carriage return) is read as a
formula by Excel and LibreOffice (OWASP "CSV injection"): such a cell gets a leading `'`,
which the spreadsheet shows as text. A plain number ("-2.35", "+33") is data, not a
formula, and stays as it is. Open-data exports (`core/opendata.py`) keep raw values:
programs read them, and a changed value would break their schema.

    writer = spreadsheet_writer(response, delimiter=";")
    writer.writerow(["Nom", registration.name])

    return spreadsheet_response(rows, filename="inscrits.csv")  # a download, whole
"""

import csv
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?(?:[eE][+-]?\d+)?")


def spreadsheet_safe(value: Any) -> Any:
    """The value, with a leading `'` if a spreadsheet would take it for a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return f"'{value}"
    return value


class SpreadsheetWriter:
    """csv.writer whose every cell goes through `spreadsheet_safe`."""

    def __init__(self, stream: Any, **options: Any) -> None:
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([spreadsheet_safe(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class SpreadsheetDictWriter(csv.DictWriter):
    """csv.DictWriter whose every cell goes through `spreadsheet_safe`."""

    def writerow(self, rowdict: Mapping[Any, Any]) -> Any:
        return super().writerow({key: spreadsheet_safe(value) for key, value in rowdict.items()})

    def writerows(self, rowdicts: Iterable[Mapping[Any, Any]]) -> None:
        for row in rowdicts:
            self.writerow(row)


def spreadsheet_writer(stream: Any, **options: Any) -> SpreadsheetWriter:
    return SpreadsheetWriter(stream, **options)


class _Echo:
    """A stream whose `write` gives back what it was given: csv rows as strings."""

    def write(self, value: str) -> str:
        return value


def spreadsheet_response(
    rows: Iterable[Iterable[Any]], *, filename: str, **options: Any
) -> HttpResponse:
    """A CSV download of `rows` for a spreadsheet: neutralised cells, a BOM so that Excel reads
    UTF-8, never stored by a cache (it holds people's contacts)."""
    writer = spreadsheet_writer(_Echo(), **options)
    body = "".join(writer.writerow(row) for row in rows)
    response = HttpResponse("\ufeff" + body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
