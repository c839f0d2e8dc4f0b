"""Importers of opportunities from the French inclusion ecosystem's formats.

`FORMATS[name](paths, source=..., is_fictional=...)` reads files into `Unit`s;
`runner.opportunities_import` writes them. docs/opportunities-import.md says it all.
"""

import re
from collections.abc import Callable, Sequence
from pathlib import Path

from . import data_inclusion
from .base import ImportFileError, RowError, Unit

FORMATS: dict[str, Callable[..., list]] = {
    "data-inclusion": data_inclusion.units,
}


def default_source(format: str, paths: Sequence[Path]) -> str:
    """The source an import writes to when none is given (see the docs on withdrawals)."""
    if format == "csv" and paths:
        stem = re.sub(r"[^a-z0-9]+", "-", paths[0].stem.lower()).strip("-")
        return f"csv-{stem}"[:100]
    return format


__all__ = ["FORMATS", "ImportFileError", "RowError", "Unit", "default_source"]
