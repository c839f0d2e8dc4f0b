"""The process-wide QPV lookup over the database, and the public lookup functions.

The index itself (rules: boundary, overlaps, distance; how it is fast) is `qpv_index.QPVIndex`.

The database-backed index is built once per process and rebuilt when the layer
changes: the import service calls `qpv_index_invalidate()` (this process), and every
`QPV_INDEX_CHECK_SECONDS` a cheap database stamp is compared (other processes). The
built index is saved to a file named after the database and that stamp
(`QPV_INDEX_CACHE_DIR`), which the next process reads instead of building it again.
"""

import contextlib
import hashlib
import logging
import os
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from .conf import conf
from .qpv_index import (  # re-exported: callers ask `lookup` for the index and its answers
    GRID_CELL_DEGREES,
    QPVIndex,
    QPVLocations,
    QPVMatch,
)

__all__ = [
    "GRID_CELL_DEGREES",
    "QPVIndex",
    "QPVLocations",
    "QPVMatch",
    "qpv_index",
    "qpv_index_invalidate",
    "qpv_locate_point",
    "qpv_locate_points",
    "qpvs_within",
]

logger = logging.getLogger(__name__)

# Bump when what `QPVIndex` builds changes: cache files of another format are ignored.
INDEX_FILE_FORMAT = 2  # 2: the QPV of each first-guess vertex


# --- The process-wide index over the database --------------------------------------


@dataclass
class _CachedIndex:
    index: QPVIndex
    version: int
    stamp: tuple
    checked_at: float


_lock = threading.Lock()
_version = 0  # bumped by the import service of this process
_cached: _CachedIndex | None = None


def qpv_index_invalidate() -> None:
    """Make the next lookup of this process rebuild its index (after an import)."""
    global _version
    with _lock:
        _version += 1


def qpv_index() -> QPVIndex:
    """The index of the current QPVs, built once and rebuilt when the layer changes."""
    # Imported here: the index itself (above) works without Django models, e.g. in bench/.
    from .selectors import qpv_index_rows, qpv_layer_stamp

    global _cached
    cached = _cached
    now = time.monotonic()
    if cached is not None and cached.version == _version:
        if now - cached.checked_at < conf.QPV_INDEX_CHECK_SECONDS:
            return cached.index
        if qpv_layer_stamp() == cached.stamp:
            cached.checked_at = now
            return cached.index
    with _lock:
        version = _version
        stamp = qpv_layer_stamp()  # read before the rows: a later change is never missed
        if _cached is not None and _cached.version == version and _cached.stamp == stamp:
            _cached.checked_at = time.monotonic()
            return _cached.index
        index = _index_from_file(stamp)
        if index is None:
            rows = qpv_index_rows()
            index = QPVIndex.from_wkb(rows.codes, rows.names, rows.wkbs)
            _index_to_file(index, stamp)
        _cached = _CachedIndex(index=index, version=version, stamp=stamp, checked_at=now)
        return index


# --- The index saved between processes ---------------------------------------------
#
# Building the index takes about 0.5 s; a command run (`manage.py qpv_check`) or a new
# worker reads it back from a file instead, in a few hundredths of a second. The file
# is named after the database and the layer stamp, so a changed layer (or another
# database) is never answered from an old file; there is one file per database.


def _cache_directory() -> Path | None:
    """`QPV_INDEX_CACHE_DIR`, or a directory of this user's in the temporary directory;
    None when the setting is "" (no file) or the directory is not safely ours."""
    configured = conf.QPV_INDEX_CACHE_DIR
    if configured == "":
        return None
    uid = os.getuid() if hasattr(os, "getuid") else None
    directory = Path(
        configured
        or Path(tempfile.gettempdir()) / f"quartiers40-qpv-index-{'user' if uid is None else uid}"
    )
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        if uid is not None and directory.stat().st_uid != uid:
            return None  # somebody else's directory: its files are not to be trusted
    except OSError:
        return None
    return directory


def _cache_files(stamp: tuple) -> tuple[Path, str] | None:
    """(the file for this database and stamp, the prefix of this database's files)."""
    from django.db import connection

    directory = _cache_directory()
    if directory is None:
        return None
    database = connection.settings_dict
    where = repr(
        (connection.vendor, database.get("NAME"), database.get("HOST"), database.get("PORT"))
    )
    prefix = hashlib.sha256(where.encode()).hexdigest()[:16]
    key = repr((INDEX_FILE_FORMAT, GRID_CELL_DEGREES, conf.QPV_GENERATION, stamp))
    name = f"{prefix}-{hashlib.sha256(key.encode()).hexdigest()[:24]}.npz"
    return directory / name, prefix


def _index_from_file(stamp: tuple) -> "QPVIndex | None":
    files = _cache_files(stamp)
    if files is None or not files[0].is_file():
        return None
    try:
        return QPVIndex.load(files[0])
    except Exception:  # a truncated or foreign file: build the index again
        logger.warning("QPV index file %s unreadable; rebuilding the index", files[0])
        return None


def _index_to_file(index: QPVIndex, stamp: tuple) -> None:
    files = _cache_files(stamp)
    if files is None:
        return
    path, prefix = files
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".npz")
        os.close(handle)
        index.save(Path(temporary))
        os.replace(temporary, path)  # readers see the old file or the whole new one
    except OSError:
        logger.warning("QPV index file %s not written", path, exc_info=True)
        with contextlib.suppress(OSError, UnboundLocalError):
            os.unlink(temporary)
        return
    for old in path.parent.glob(f"{prefix}-*.npz"):  # older layers of this database
        if old != path:
            with contextlib.suppress(OSError):
                old.unlink()


def qpv_locate_point(*, lon: float, lat: float, with_distance: bool = True) -> QPVMatch:
    """The QPV covering (lon, lat), or none and the distance to the nearest QPV."""
    return qpv_index().locate_point(lon, lat, with_distance=with_distance)


def qpv_locate_points(*, lons, lats, with_distance: bool = True) -> QPVLocations:
    """`qpv_locate_point` for arrays of longitudes and latitudes (WGS84)."""
    return qpv_index().locate(lons, lats, with_distance=with_distance)


def qpvs_within(*, lon: float, lat: float, metres: float) -> list[tuple[str, float]]:
    """The QPVs in force within `metres` of a point: [(code, distance in metres)], nearest first.

    A point inside a QPV gets it at distance 0 (boundary counts as inside).
    """
    return qpv_index().within(lon, lat, metres)
