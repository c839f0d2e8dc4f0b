"""Benchmark: locating points in QPVs with our index versus geopandas.sjoin.

    .venv/bin/python bench/qpv_lookup.py            (needs: pip install -r bench/requirements.txt)

Layer: the file in QPV_SOURCE, by default ../shared/data/qpv/qpv2024_national_4dp.geojson
(1,584 QPVs), read with the project's own reader and indexed with the same code as the
service (`QPVIndex`); without that file, a synthetic layer of 1,584 polygons (said so
in the output). No database.

Points (fixed seed): 1,000,000, half spread uniformly over mainland France's bounding
box, half within 50 m of a QPV boundary (a boundary point, then a random offset of at
most 50 m).

Measured, median of 3 runs:
- batch: `QPVIndex.locate(..., with_distance=False)` against `geopandas.sjoin(...,
  predicate="intersects")` (same boundary rule: a point on the boundary is inside;
  where two QPVs cover a point, the smallest code), both from the same lon/lat arrays,
  the polygons' spatial indexes built beforehand; the answers must be identical;
- the service's batch with distances (what a CSV check does), once;
- single-point latency of `QPVIndex.locate_point` (with distance) over 10,000 calls.

Targets: batch at least 3x geopandas, single point under 1 ms at p99. Exit status 1
if the answers differ or a target is missed.
"""

import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import shapely

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()  # the layer reader's messages are translated strings

import geopandas as gpd  # noqa: E402

from quartiers40.territories.geometry import metres_per_degree  # noqa: E402
from quartiers40.territories.layer import qpv_layer_read  # noqa: E402
from quartiers40.territories.lookup import QPVIndex  # noqa: E402

SEED = 20240101
POINTS = 1_000_000
NEAR_BOUNDARY_METRES = 50.0
SINGLE_CALLS = 10_000
RUNS = 3
MAINLAND = (-5.2, 41.3, 9.6, 51.1)  # lon/lat bounding box of mainland France and Corsica
TARGET_RATIO = 3.0
TARGET_P99_MS = 1.0


def load_layer() -> tuple[list[str], list[str], np.ndarray, str]:
    source = Path(
        os.environ.get("QPV_SOURCE")
        or REPO / ".." / "shared" / "data" / "qpv" / "qpv2024_national_4dp.geojson"
    )
    if source.is_file():
        layer = qpv_layer_read(source)
        names = [feature.name for feature in layer.features]
        return layer.codes, names, layer.geometries, f"{source.name} ({len(names)} QPVs)"
    codes, geometries = synthetic_layer(np.random.default_rng(SEED))
    return codes, codes, geometries, f"SYNTHETIC layer ({len(codes)} polygons; {source} absent)"


def synthetic_layer(rng: np.random.Generator, count: int = 1584):
    """Irregular star-shaped polygons (some with a hole) in clusters, like urban QPVs."""
    centres = np.column_stack(
        (rng.uniform(MAINLAND[0] + 1, MAINLAND[2] - 1, 60), rng.uniform(43, 50.5, 60))
    )
    geometries = []
    for i in range(count):
        cx, cy = centres[i % len(centres)] + rng.normal(0, 0.08, 2)
        kx, ky = metres_per_degree(cy)
        vertices = rng.integers(30, 200)
        angles = np.sort(rng.uniform(0, 2 * np.pi, vertices))
        radius = rng.uniform(150, 900) * rng.uniform(0.6, 1.0, vertices)
        ring = np.column_stack(
            (cx + radius * np.cos(angles) / kx, cy + radius * np.sin(angles) / ky)
        )
        polygon = shapely.make_valid(shapely.Polygon(ring))
        if i % 10 == 0:
            polygon = polygon.difference(shapely.Point(cx, cy).buffer(60 / ky))
        geometries.append(polygon)
    polygons = np.array(geometries, dtype=object)
    # No overlaps, like the real layer (almost): keep each polygon minus the previous ones.
    tree = shapely.STRtree(polygons)
    for i in range(count):
        for j in tree.query(polygons[i]):
            if j < i and polygons[i].intersects(polygons[j]):
                polygons[i] = polygons[i].difference(polygons[j])
    keep = ~shapely.is_empty(polygons)
    codes = [f"QS{i:06d}" for i in range(count)]
    return [code for code, k in zip(codes, keep, strict=True) if k], polygons[keep]


def make_points(geometries: np.ndarray, rng: np.random.Generator):
    half = POINTS // 2
    uniform_lon = rng.uniform(MAINLAND[0], MAINLAND[2], half)
    uniform_lat = rng.uniform(MAINLAND[1], MAINLAND[3], POINTS - half)

    boundaries = shapely.boundary(geometries)
    lengths = shapely.length(boundaries)
    chosen = rng.choice(len(geometries), half, p=lengths / lengths.sum())
    on_boundary = shapely.get_coordinates(
        shapely.line_interpolate_point(boundaries[chosen], rng.uniform(0, 1, half), normalized=True)
    )
    angle = rng.uniform(0, 2 * np.pi, half)
    offset = NEAR_BOUNDARY_METRES * np.sqrt(rng.uniform(0, 1, half))  # uniform in the disc
    kx, ky = metres_per_degree(on_boundary[:, 1])
    near_lon = on_boundary[:, 0] + offset * np.cos(angle) / kx
    near_lat = on_boundary[:, 1] + offset * np.sin(angle) / ky

    lons = np.concatenate([uniform_lon, near_lon])
    lats = np.concatenate([uniform_lat, near_lat])
    order = rng.permutation(POINTS)
    return lons[order], lats[order]


def geopandas_positions(polygons: gpd.GeoDataFrame, lons, lats) -> tuple[np.ndarray, float]:
    """geopandas' answer per point, as a position in `polygons` (-1: none), and the
    seconds spent in sjoin alone. `polygons` is sorted by code, so the smallest
    covering position is the smallest code (our overlap rule)."""
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lons, lats), crs="EPSG:4326")
    started = time.perf_counter()
    joined = gpd.sjoin(points, polygons, how="left", predicate="intersects")
    sjoin_seconds = time.perf_counter() - started
    matched = joined["index_right"].to_numpy()
    hit = ~np.isnan(matched)
    positions = np.full(len(lons), len(polygons), dtype=np.int64)
    np.minimum.at(positions, joined.index.to_numpy()[hit], matched[hit].astype(np.int64))
    positions[positions == len(polygons)] = -1
    return positions, sjoin_seconds


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


def main() -> int:
    print(f"QPV lookup benchmark — {os.cpu_count()} CPU(s), seed {SEED}")
    seconds, (codes, names, geometries, label) = timed(load_layer)
    print(f"Layer: {label}, read in {seconds:.2f} s")
    seconds, index = timed(QPVIndex, codes, names, geometries)
    print(f"Index built in {seconds:.2f} s")
    rng = np.random.default_rng(SEED)
    seconds, (lons, lats) = timed(make_points, index.geometries, rng)
    print(f"{POINTS:,} points generated in {seconds:.1f} s (half within 50 m of a boundary)")

    polygons = gpd.GeoDataFrame(
        {"code": index.codes}, geometry=list(index.geometries), crs="EPSG:4326"
    )
    polygons.sindex  # noqa: B018 — build geopandas' spatial index before timing, as ours

    ours, theirs, sjoin_only = [], [], []
    for _run in range(RUNS):
        seconds, located = timed(index.locate, lons, lats, with_distance=False)
        ours.append(seconds)
        seconds, (reference, sjoin_seconds) = timed(geopandas_positions, polygons, lons, lats)
        theirs.append(seconds)
        sjoin_only.append(sjoin_seconds)
    our_codes = np.array(located.codes, dtype=object)
    their_codes = np.array(index.codes_at(reference), dtype=object)
    differences = int(np.sum(our_codes != their_codes))
    inside = int(np.sum(located.positions >= 0))

    our_rate = POINTS / statistics.median(ours)
    their_rate = POINTS / statistics.median(theirs)
    sjoin_rate = POINTS / statistics.median(sjoin_only)
    ratio = our_rate / their_rate
    print(f"Points inside a QPV: {inside:,}; answers differing from geopandas: {differences}")
    print(f"Service batch (QPVIndex.locate):  {our_rate:11,.0f} points/s  runs {_runs(ours)}")
    print(f"geopandas (points + sjoin + min): {their_rate:11,.0f} points/s  runs {_runs(theirs)}")
    sjoin_runs = _runs(sjoin_only)
    print(f"  of which gpd.sjoin alone:       {sjoin_rate:11,.0f} points/s  runs {sjoin_runs}")
    print(
        f"Ratio: {ratio:.1f}x from the same lon/lat arrays (target >= {TARGET_RATIO:.0f}x); "
        f"{our_rate / sjoin_rate:.1f}x against sjoin alone"
    )

    seconds, with_distance = timed(index.locate, lons, lats)
    outside = with_distance.distance_m[with_distance.positions < 0]
    print(
        f"Service batch with distances to the nearest QPV: {POINTS / seconds:,.0f} points/s "
        f"({seconds:.1f} s; median distance when outside {np.median(outside):,.0f} m)"
    )

    p50s, p99s = [], []
    for _run in range(RUNS):
        for i in range(1000):  # warm-up
            index.locate_point(lons[i], lats[i])
        latencies = np.empty(SINGLE_CALLS)
        for i in range(SINGLE_CALLS):
            started = time.perf_counter()
            index.locate_point(lons[i], lats[i])
            latencies[i] = time.perf_counter() - started
        p50s.append(np.percentile(latencies, 50) * 1000)
        p99s.append(np.percentile(latencies, 99) * 1000)
    p50, p99 = statistics.median(p50s), statistics.median(p99s)
    print(
        f"Single point (with distance), {SINGLE_CALLS:,} calls: p50 {p50:.3f} ms, "
        f"p99 {p99:.3f} ms (target p99 < {TARGET_P99_MS:.0f} ms)"
    )

    failures = []
    if differences:
        failures.append(f"{differences} answers differ from geopandas")
    if ratio < TARGET_RATIO:
        failures.append(f"ratio {ratio:.1f}x under {TARGET_RATIO:.0f}x")
    if p99 >= TARGET_P99_MS:
        failures.append(f"p99 {p99:.3f} ms over {TARGET_P99_MS:.0f} ms")
    print("RESULT: " + ("OK" if not failures else "FAILED — " + "; ".join(failures)))
    return 1 if failures else 0


def _runs(seconds: list[float]) -> str:
    return ", ".join(f"{s:.2f} s" for s in seconds)


if __name__ == "__main__":
    sys.exit(main())
