"""The QPV lookup index: which QPV contains a point, how far the nearest one is, which QPVs
lie within a distance. Vectorised for batches; no Django model (bench/ uses it bare).

Rules (see docs/territories.md):

- **Boundary:** a point on a QPV's boundary, outer ring or hole, counts as inside
  (`intersects` semantics, i.e. the polygon *covers* the point).
- **Overlaps:** where several QPVs cover a point (60 slight overlaps in Guyane), the
  smallest code wins, so the answer never depends on the order of the rows.
- **Distance:** 0 inside; outside, the distance in metres to the nearest QPV on the
  WGS84 ellipsoid (local projection, error < 0.05 % up to 100 km; see `geometry`).

How it is fast: a sparse grid of 0.002° cells (≈ 150 m × 220 m in mainland France)
covers every QPV's bounding box. At build time each cell is classified as lying wholly
inside one QPV, or crossed by a boundary (then it keeps its candidate QPVs). A point
in a "whole" cell is answered by array arithmetic; a point in a crossed cell is tested
exactly (GEOS, prepared geometries) against its few candidates only; a point in no
cell is outside every QPV. The nearest QPV comes from an STRtree.
"""

import functools
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from django.utils.translation import gettext as _

from .geometry import distance_m, metres_per_degree

logger = logging.getLogger(__name__)

GRID_CELL_DEGREES = 0.002
# Cells are tested slightly enlarged, so that a point whose cell number is off by a
# rounding error still gets a right answer.
_CELL_MARGIN_DEGREES = 1e-9
# Outlines simplified to about 100 m for the first guess of the nearest QPV.
_GUESS_TOLERANCE_DEGREES = 0.001
_GRID_COLUMNS = math.ceil(360 / GRID_CELL_DEGREES) + 2
_MIXED = -1  # cell state: crossed by a boundary (or covered by several QPVs)
_NONE = -1  # position: no QPV


@dataclass(frozen=True, slots=True)
class QPVMatch:
    """The answer for one point."""

    code: str | None  # the QPV covering the point, None when outside every QPV
    name: str | None
    nearest_code: str | None  # the nearest QPV (the covering one when inside)
    nearest_name: str | None
    distance_m: float | None  # 0 inside; None when not computed or when there is no QPV

    @property
    def inside(self) -> bool:
        return self.code is not None


@dataclass(frozen=True)
class QPVLocations:
    """The answers for a batch of points, as arrays aligned with the input."""

    index: "QPVIndex"
    positions: np.ndarray  # int32: position of the covering QPV in `index.codes`, -1 if none
    nearest: np.ndarray  # int32: position of the nearest QPV, -1 if not computed
    distance_m: np.ndarray  # float64: 0 inside, metres outside, NaN if not computed
    valid: np.ndarray  # bool: the coordinates were finite and within range

    def __len__(self) -> int:
        return len(self.positions)

    @property
    def codes(self) -> list[str | None]:
        return self.index.codes_at(self.positions)

    def match(self, i: int) -> QPVMatch:
        return self.index.match_at(
            int(self.positions[i]), int(self.nearest[i]), float(self.distance_m[i])
        )


class QPVIndex:
    """An immutable lookup index over QPV polygons (WGS84 lon/lat)."""

    def __init__(self, codes: Sequence[str], names: Sequence[str], geometries: Sequence):
        order = sorted(range(len(codes)), key=lambda i: codes[i])
        self.codes: list[str] = [codes[i] for i in order]
        self.names: list[str] = [names[i] for i in order]
        self.geometries = np.array([geometries[i] for i in order], dtype=object)
        if len(set(self.codes)) != len(self.codes):
            raise ValueError("QPV codes must be unique in a lookup index")
        shapely.prepare(self.geometries)
        self._build_grid()
        self._build_metric_frames()
        # Vertices, for a quick first guess of the nearest QPV (an upper bound). Any
        # vertex of a QPV is a point of it, so a simplified outline's (a subset of the
        # vertices, 10 times fewer) gives a valid bound; the exact search follows.
        outlines = shapely.simplify(
            self.geometries, _GUESS_TOLERANCE_DEGREES, preserve_topology=False
        )
        self._vertices, owners = shapely.get_coordinates(outlines, return_index=True)
        self._vertex_owners = owners.astype(np.int32)  # the QPV of each vertex
        self._build_trees()

    def _build_trees(self) -> None:
        self._tree = shapely.STRtree(self.geometries)
        self._vertex_tree = shapely.STRtree(shapely.points(self._vertices))

    @classmethod
    def from_wkb(cls, codes: Sequence[str], names: Sequence[str], wkbs: Sequence[bytes]):
        return cls(codes, names, shapely.from_wkb(np.array(wkbs, dtype=object)))

    def __len__(self) -> int:
        return len(self.codes)

    # --- saving and restoring (the cache file) ---------------------------------------

    _SAVED_ARRAYS = (
        "_cell_keys",
        "_cell_state",
        "_cell_ptr",
        "_cell_candidates",
        "_frame",
        "_bounds",
        "_vertices",
        "_vertex_owners",
    )

    def save(self, path: Path) -> None:
        """Write the prepared index to `path` (numpy arrays only: nothing is unpickled)."""
        arrays = {name.lstrip("_"): getattr(self, name) for name in self._SAVED_ARRAYS}
        for name, geometries in (("geometries", self.geometries), ("metric", self._metric)):
            wkbs = shapely.to_wkb(geometries) if len(geometries) else np.empty(0, dtype=object)
            arrays[f"{name}_wkb"] = np.frombuffer(b"".join(wkbs), dtype=np.uint8)
            arrays[f"{name}_ends"] = np.cumsum([len(wkb) for wkb in wkbs], dtype=np.int64)
        arrays["codes"] = np.array(self.codes, dtype=str)
        arrays["names"] = np.array(self.names, dtype=str)
        with path.open("wb") as file:
            np.savez(file, **arrays)

    @classmethod
    def load(cls, path: Path) -> "QPVIndex":
        """The index saved by `save`. Raises OSError or ValueError on a bad file."""
        with np.load(path, allow_pickle=False) as saved:
            arrays = {name: saved[name] for name in saved.files}
        index = cls.__new__(cls)
        index.codes = arrays["codes"].tolist()
        index.names = arrays["names"].tolist()
        for name in cls._SAVED_ARRAYS:
            setattr(index, name, arrays[name.lstrip("_")])
        for name, attribute in (("geometries", "geometries"), ("metric", "_metric")):
            blob, ends = arrays[f"{name}_wkb"].tobytes(), arrays[f"{name}_ends"].tolist()
            starts = [0, *ends[:-1]]
            wkbs = np.array([blob[a:b] for a, b in zip(starts, ends, strict=True)], dtype=object)
            geometries = shapely.from_wkb(wkbs) if len(wkbs) else np.empty(0, dtype=object)
            setattr(index, attribute, np.asarray(geometries, dtype=object))
        if not (len(index.codes) == len(index.names) == len(index.geometries)):
            raise ValueError("inconsistent QPV index file")
        shapely.prepare(index.geometries)
        shapely.prepare(index._metric)
        index._build_trees()
        return index

    # --- building ------------------------------------------------------------------

    def _build_grid(self) -> None:
        size = GRID_CELL_DEGREES
        count = len(self.geometries)
        if count == 0:
            self._cell_keys = np.empty(0, dtype=np.int64)
            self._cell_state = np.empty(0, dtype=np.int32)
            self._cell_ptr = np.zeros(1, dtype=np.int64)
            self._cell_candidates = np.empty(0, dtype=np.int32)
            return
        # Cells are laid over each polygon part, not over a whole multipolygon: a QPV
        # made of distant islands must not cover the sea between them with cells.
        parts, owners = shapely.get_parts(self.geometries, return_index=True)
        bounds = shapely.bounds(parts)
        col0 = np.floor((bounds[:, 0] + 180) / size).astype(np.int64)
        col1 = np.floor((bounds[:, 2] + 180) / size).astype(np.int64)
        row0 = np.floor((bounds[:, 1] + 90) / size).astype(np.int64)
        row1 = np.floor((bounds[:, 3] + 90) / size).astype(np.int64)
        widths = col1 - col0 + 1
        cells_per_part = widths * (row1 - row0 + 1)

        # One (cell, part) pair for every cell of every part's bounding box.
        part = np.repeat(np.arange(len(parts)), cells_per_part)
        first_pair = np.repeat(np.cumsum(cells_per_part) - cells_per_part, cells_per_part)
        local = np.arange(len(part)) - first_pair
        col = col0[part] + local % widths[part]
        row = row0[part] + local // widths[part]
        west = col * size - 180
        south = row * size - 90
        margin = _CELL_MARGIN_DEGREES
        boxes = shapely.box(
            west - margin, south - margin, west + size + margin, south + size + margin
        )

        boundaries = shapely.boundary(parts)
        shapely.prepare(boundaries)
        shapely.prepare(parts)
        crossed = shapely.intersects(boundaries[part], boxes)
        inside = np.zeros(len(part), dtype=bool)
        whole = ~crossed
        # Not crossed by the boundary: the cell is wholly inside or wholly outside.
        inside[whole] = shapely.intersects_xy(
            parts[part[whole]], west[whole] + size / 2, south[whole] + size / 2
        )

        keep = crossed | inside
        keys = (row * _GRID_COLUMNS + col)[keep]
        polygon = owners[part[keep]].astype(np.int32)
        crossed = crossed[keep]
        # One entry per (cell, QPV): crossed if any of its parts crosses the cell.
        order = np.lexsort((~crossed, polygon, keys))  # by cell, then code, crossed first
        keys, polygon, crossed = keys[order], polygon[order], crossed[order]
        distinct = np.ones(len(keys), dtype=bool)
        distinct[1:] = (keys[1:] != keys[:-1]) | (polygon[1:] != polygon[:-1])
        keys, polygon, crossed = keys[distinct], polygon[distinct], crossed[distinct]
        cell_keys, starts, counts = np.unique(keys, return_index=True, return_counts=True)
        crossings = np.add.reduceat(crossed.astype(np.int64), starts) if len(starts) else starts
        whole_cell = (counts == 1) & (crossings == 0)

        self._cell_keys = cell_keys
        self._cell_state = np.where(whole_cell, polygon[starts], _MIXED).astype(np.int32)
        self._cell_ptr = np.append(starts, len(keys)).astype(np.int64)
        self._cell_candidates = polygon

    @functools.cached_property
    def _cells(self) -> tuple[dict[int, int], list[int], list[int], list[int]]:
        """Plain Python copies of the grid for the single-point path (no numpy overhead):
        (cell of each key, state, pointer and candidates lists). Built at first use."""
        lookup = {key: i for i, key in enumerate(self._cell_keys.tolist())}
        return (
            lookup,
            self._cell_state.tolist(),
            self._cell_ptr.tolist(),
            self._cell_candidates.tolist(),
        )

    def _build_metric_frames(self) -> None:
        """Each QPV in its own local metric frame (metres around its bounding-box centre)."""
        if len(self.geometries) == 0:
            self._frame = np.empty((0, 4))
            self._bounds = np.empty((0, 4))
            self._metric = np.empty(0, dtype=object)
            return
        bounds = shapely.bounds(self.geometries)
        lon0 = (bounds[:, 0] + bounds[:, 2]) / 2
        lat0 = (bounds[:, 1] + bounds[:, 3]) / 2
        kx, ky = metres_per_degree(lat0)
        self._frame = np.column_stack((lon0, lat0, kx, ky))
        self._bounds = bounds
        metric = []
        for geometry, (x0, y0, sx, sy) in zip(self.geometries, self._frame, strict=True):
            metric.append(
                shapely.transform(
                    geometry,
                    lambda c, x0=x0, y0=y0, sx=sx, sy=sy: np.column_stack(
                        ((c[:, 0] - x0) * sx, (c[:, 1] - y0) * sy)
                    ),
                )
            )
        self._metric = np.array(metric, dtype=object)
        shapely.prepare(self._metric)

    # --- answers -------------------------------------------------------------------

    def codes_at(self, positions: np.ndarray) -> list[str | None]:
        codes = self.codes
        return [codes[p] if p >= 0 else None for p in positions.tolist()]

    def match_at(self, position: int, nearest: int, distance: float) -> QPVMatch:
        inside = position >= 0
        return QPVMatch(
            code=self.codes[position] if inside else None,
            name=self.names[position] if inside else None,
            nearest_code=self.codes[nearest] if nearest >= 0 else None,
            nearest_name=self.names[nearest] if nearest >= 0 else None,
            distance_m=None if math.isnan(distance) else distance,
        )

    def locate(self, lons, lats, *, with_distance: bool = True) -> QPVLocations:
        """The QPV covering each point (lon/lat arrays), and the distance to the nearest one."""
        lons = np.asarray(lons, dtype=np.float64).ravel()
        lats = np.asarray(lats, dtype=np.float64).ravel()
        if lons.shape != lats.shape:
            raise ValueError("lons and lats must have the same length")
        valid = np.isfinite(lons) & np.isfinite(lats) & (np.abs(lons) <= 180) & (np.abs(lats) <= 90)
        positions = np.full(len(lons), _NONE, dtype=np.int32)
        nearest = np.full(len(lons), _NONE, dtype=np.int32)
        distances = np.full(len(lons), np.nan)
        todo = np.flatnonzero(valid)
        if len(todo) and len(self.codes):
            positions[todo] = self._covering(lons[todo], lats[todo])
            inside = positions >= 0
            nearest[inside] = positions[inside]
            distances[inside] = 0.0
            if with_distance:
                outside = np.flatnonzero(valid & ~inside)
                if len(outside):
                    nearest[outside], distances[outside] = self._nearest(
                        lons[outside], lats[outside]
                    )
        return QPVLocations(
            index=self, positions=positions, nearest=nearest, distance_m=distances, valid=valid
        )

    def locate_point(self, lon: float, lat: float, *, with_distance: bool = True) -> QPVMatch:
        """One point, without numpy overhead when the answer is "inside"."""
        lon, lat = float(lon), float(lat)
        if not (math.isfinite(lon) and math.isfinite(lat) and abs(lon) <= 180 and abs(lat) <= 90):
            raise ValueError(
                _("Coordonnées invalides : longitude %(lon)s, latitude %(lat)s.")
                % {"lon": lon, "lat": lat}
            )
        position = self._covering_one(lon, lat)
        if position >= 0:
            return self.match_at(position, position, 0.0)
        if not with_distance or not self.codes:
            return self.match_at(_NONE, _NONE, math.nan)
        nearest, distances = self._nearest(np.array([lon]), np.array([lat]))
        return self.match_at(_NONE, int(nearest[0]), float(distances[0]))

    def _covering_one(self, lon: float, lat: float) -> int:
        size = GRID_CELL_DEGREES
        key = math.floor((lat + 90) / size) * _GRID_COLUMNS + math.floor((lon + 180) / size)
        cell_lookup, states, pointers, candidates = self._cells
        cell = cell_lookup.get(key)
        if cell is None:
            return _NONE
        state = states[cell]
        if state != _MIXED:
            return state
        geometries = self.geometries
        for i in range(pointers[cell], pointers[cell + 1]):
            candidate = candidates[i]  # ascending code: the first hit wins
            if shapely.intersects_xy(geometries[candidate], lon, lat):
                return candidate
        return _NONE

    def _covering(self, lons: np.ndarray, lats: np.ndarray) -> np.ndarray:
        size = GRID_CELL_DEGREES
        keys = np.floor((lats + 90) / size).astype(np.int64) * _GRID_COLUMNS + np.floor(
            (lons + 180) / size
        ).astype(np.int64)
        result = np.full(len(lons), _NONE, dtype=np.int32)
        if not len(self._cell_keys):
            return result
        cells = np.searchsorted(self._cell_keys, keys)
        cells[cells == len(self._cell_keys)] = 0
        in_grid = np.flatnonzero(self._cell_keys[cells] == keys)
        cells = cells[in_grid]
        state = self._cell_state[cells]
        whole = state != _MIXED
        result[in_grid[whole]] = state[whole]

        # Points in crossed cells: one exact test per (point, candidate QPV) pair.
        points = in_grid[~whole]
        cells = cells[~whole]
        starts = self._cell_ptr[cells]
        counts = self._cell_ptr[cells + 1] - starts
        pair_point = np.repeat(points, counts)
        pair_offset = np.repeat(starts - (np.cumsum(counts) - counts), counts)
        pair_polygon = self._cell_candidates[pair_offset + np.arange(len(pair_point))]
        hit = shapely.intersects_xy(
            self.geometries[pair_polygon], lons[pair_point], lats[pair_point]
        )
        # Pairs are sorted by point, then by code: the first hit of a point wins.
        hit_point, first = np.unique(pair_point[hit], return_index=True)
        result[hit_point] = pair_polygon[hit][first]
        return result

    def _nearest(self, lons: np.ndarray, lats: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(position of the nearest QPV, distance in metres) for points outside every QPV.

        1. The nearest vertex of the simplified outlines (in degrees, STRtree) names a
           first QPV, its own; that QPV is measured (step 3). The smaller of that
           distance and the vertex's is an upper bound U in metres.
        2. Any nearer QPV has its bounding box within U metres: a search rectangle of
           U metres (longitude scaled at the highest latitude reached) and a lower bound
           from each box keep only the few other QPVs worth measuring.
        3. Each is measured on the ellipsoid; the nearest wins (then the smallest code).

        Measuring the first QPV before searching makes U the distance itself rather
        than the vertex's (often 100 m farther): a smaller rectangle, fewer survivors.
        A QPV it leaves out has a lower bound above U, so it could not have won: the
        answers are those of the search from the vertex's bound alone.
        """
        count = len(lons)
        points = shapely.points(lons, lats)
        point, vertex = self._vertex_tree.query_nearest(points, all_matches=False)
        upper = np.full(count, np.inf)
        upper[point] = distance_m(
            lons[point], lats[point], self._vertices[vertex, 0], self._vertices[vertex, 1]
        )
        first = np.full(count, _NONE, dtype=np.int32)
        first[point] = self._vertex_owners[vertex]
        first_point = point
        first_distances = self._distances(lons[point], lats[point], first[point])
        upper[point] = np.minimum(upper[point], first_distances)

        # Search rectangles, a little larger than U (ellipsoid radii, great-circle bulge).
        reach = upper * 1.001 + 1.0
        _kx, ky = metres_per_degree(np.zeros(count))  # metres per degree of latitude: least at 0°
        half_height = reach / ky
        far_lat = np.minimum(np.abs(lats) + half_height * 1.01, 89.9)
        kx_far, _ky = metres_per_degree(far_lat)
        half_width = np.minimum(reach / kx_far, 180.0)
        rectangles = shapely.box(
            lons - half_width, lats - half_height, lons + half_width, lats + half_height
        )
        point, polygon = self._tree.query(rectangles)

        # Lower bound of the distance to each candidate, from its bounding box.
        min_lon, min_lat, max_lon, max_lat = (self._bounds[polygon, k] for k in range(4))
        plon, plat = lons[point], lats[point]
        dx = np.maximum(np.maximum(min_lon - plon, plon - max_lon), 0.0)
        dy = np.maximum(np.maximum(min_lat - plat, plat - max_lat), 0.0)
        lower = np.hypot(dx * kx_far[point], dy * ky[point]) * 0.999
        keep = (lower <= upper[point]) & (polygon != first[point])
        point, polygon = point[keep], polygon[keep]

        distances = self._distances(lons[point], lats[point], polygon)
        point = np.concatenate([first_point, point])
        polygon = np.concatenate([first[first_point], polygon])
        distances = np.concatenate([first_distances, distances])
        order = np.lexsort((polygon, distances, point))
        best_point, best = np.unique(point[order], return_index=True)
        nearest = np.full(count, _NONE, dtype=np.int32)
        result = np.full(count, np.nan)
        nearest[best_point] = polygon[order][best]
        result[best_point] = distances[order][best]
        return nearest, result

    def _distances(self, lons: np.ndarray, lats: np.ndarray, polygons: np.ndarray) -> np.ndarray:
        """Metres from each point to the matching QPV (pairs), on the ellipsoid.

        The nearest point of the QPV is found in the QPV's own metric frame, then the
        distance to it is measured with the mid-latitude formula of `geometry`. The
        metric geometries are prepared: GEOS then finds the nearest point through an
        index of the outline's segments (the same point, a quarter faster).
        """
        if not len(polygons):
            return np.empty(0)
        lon0, lat0, kx, ky = (self._frame[polygons, k] for k in range(4))
        local = shapely.points((lons - lon0) * kx, (lats - lat0) * ky)
        lines = shapely.shortest_line(self._metric[polygons], local)
        on_polygon = shapely.get_coordinates(lines)[0::2]
        return distance_m(lons, lats, on_polygon[:, 0] / kx + lon0, on_polygon[:, 1] / ky + lat0)

    def within(self, lon: float, lat: float, metres: float) -> list[tuple[str, float]]:
        """(code, metres) of every QPV within `metres` of the point, nearest first (0 inside)."""
        if not len(self.codes):
            return []
        lons, lats = np.array([float(lon)]), np.array([float(lat)])
        _kx, ky = metres_per_degree(np.zeros(1))
        half_height = metres * 1.01 / ky[0]
        kx_far, _ky = metres_per_degree(np.array([min(abs(lat) + half_height, 89.9)]))
        half_width = min(metres * 1.01 / kx_far[0], 180.0)
        rectangle = shapely.box(
            lon - half_width, lat - half_height, lon + half_width, lat + half_height
        )
        candidates = self._tree.query(rectangle)
        if not len(candidates):
            return []
        covering = shapely.covers(self.geometries[candidates], shapely.Point(lon, lat))
        distances = self._distances(
            np.repeat(lons, len(candidates)), np.repeat(lats, len(candidates)), candidates
        )
        distances[covering] = 0.0
        found = [
            (self.codes[position], float(distance))
            for position, distance in zip(candidates.tolist(), distances.tolist(), strict=True)
            if distance <= metres
        ]
        return sorted(found, key=lambda item: (item[1], item[0]))
