"""Importers of opportunities from the French inclusion ecosystem's formats.

`FORMATS[name](paths, source=..., is_fictional=...)` reads files into `Unit`s;
`runner.opportunities_import` writes them. docs/opportunities-import.md says it all.
"""

from collections.abc import Callable, Sequence
from pathlib import Path

from . import data_inclusion, lamednum, lheo, template_csv
from .base import ImportFileError, RowError, Unit

FORMATS: dict[str, Callable[..., list]] = {
    "data-inclusion": data_inclusion.units,
    "lamednum": lamednum.units,
    "lheo": lheo.units,
    "csv": template_csv.units,
}


def default_source(format: str, paths: Sequence[Path]) -> str:
    """The source an import writes to when none is given: the format's name."""
    return format


__all__ = ["FORMATS", "ImportFileError", "RowError", "Unit", "default_source"]
