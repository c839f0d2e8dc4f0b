"""Benchmark: `manage.py qpv_check` on a CSV file against a GIS user's geopandas script.

    .venv/bin/python bench/qpv_check_vs_geopandas.py   (pip install -r bench/requirements.txt)

Both are timed as a person runs them: a fresh process, start to finish (interpreter
start-up, imports, reading the layer or the index, reading the CSV, writing the result).

- The file: 50,000 rows `id,latitude,longitude` (fixed seed), half within 50 m of a QPV
  boundary, half spread over mainland France (most of those outside every QPV).
- Ours: `manage.py qpv_check IN OUT --no-progress` on a temporary SQLite database where
  the layer was loaded once beforehand (`migrate` + `import_qpv`), outside the timing.
- Theirs: the script below (pandas `read_csv`, `gpd.points_from_xy`, `gpd.read_file` of
  the layer, `gpd.sjoin(predicate="intersects")`, one row per input row with the smallest
  code where QPVs overlap — our documented rule — and `to_csv`).

One untimed run of each first (the operating system's file cache, our index cache),
then 5 runs each, alternated; the medians of wall-clock time are compared (the CPU
time of each process is printed too: on a machine shared with other work it varies
less). The answers must be identical:
the QPV code of every row. Exit status 1 if they differ or if the command takes longer
than the script (target: ratio ≤ 1).

Layer: QPV_SOURCE, by default ../shared/data/qpv/qpv2024_national_4dp.geojson.
"""

import csv
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import shapely

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SEED = 20250217
ROWS = 50_000
NEAR_BOUNDARY_METRES = 50.0
RUNS = 5
MAINLAND = (-5.2, 41.3, 9.6, 51.1)  # lon/lat bounding box of mainland France and Corsica
TARGET_RATIO = 1.0

GEOPANDAS_SCRIPT = """\
import sys

import geopandas as gpd
import pandas as pd

source, layer, output = sys.argv[1:]
rows = pd.read_csv(source)
points = gpd.GeoDataFrame(
    rows, geometry=gpd.points_from_xy(rows["longitude"], rows["latitude"]), crs="EPSG:4326"
)
qpv = gpd.read_file(layer)[["code_qp", "lib_qp", "geometry"]]
joined = gpd.sjoin(points, qpv, how="left", predicate="intersects")
# Where QPVs overlap, one row per point: the smallest code.
joined = joined.sort_values("code_qp", kind="stable")
joined = joined[~joined.index.duplicated(keep="first")].sort_index()
joined.drop(columns=["geometry", "index_right"]).to_csv(output, index=False)
"""


def layer_path() -> Path:
    return Path(
        os.environ.get("QPV_SOURCE")
        or REPO / ".." / "shared" / "data" / "qpv" / "qpv2024_national_4dp.geojson"
    ).resolve()


def make_points(geometries: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    from quartiers40.territories.geometry import metres_per_degree

    half = ROWS // 2
    spread_lon = rng.uniform(MAINLAND[0], MAINLAND[2], ROWS - half)
    spread_lat = rng.uniform(MAINLAND[1], MAINLAND[3], ROWS - half)
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
    lons = np.concatenate([spread_lon, near_lon])
    lats = np.concatenate([spread_lat, near_lat])
    order = rng.permutation(ROWS)
    return lons[order], lats[order]


def write_points(path: Path, layer: Path) -> None:
    from quartiers40.territories.layer import qpv_layer_read

    geometries = qpv_layer_read(layer).geometries
    lons, lats = make_points(geometries, np.random.default_rng(SEED))
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["id", "latitude", "longitude"])
        for i, (lat, lon) in enumerate(zip(lats.tolist(), lons.tolist(), strict=True)):
            writer.writerow([f"P{i:05d}", f"{lat:.6f}", f"{lon:.6f}"])


def run(command: list[str], env: dict[str, str], cpu: list[float] | None = None) -> float:
    """Wall-clock seconds of the command; its CPU seconds (user + system) go to `cpu`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    completed = subprocess.run(command, env=env, cwd=REPO, capture_output=True, check=False)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout.decode() + completed.stderr.decode())
        raise SystemExit(f"failed: {' '.join(command)}")
    if cpu is not None:
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return seconds


def codes_of(path: Path, column: str, *, encoding: str) -> list[str]:
    with path.open(newline="", encoding=encoding) as file:
        return [row[column] for row in csv.DictReader(file)]


def main() -> int:
    layer = layer_path()
    if not layer.is_file():
        print(f"SKIPPED: the layer {layer} is absent")
        return 0
    python = sys.executable
    print(f"qpv_check against geopandas — {os.cpu_count()} CPU(s), seed {SEED}, layer {layer.name}")
    with tempfile.TemporaryDirectory(prefix="qpv-check-bench-") as tmp:
        work = Path(tmp)
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
            "MEDIA_ROOT": str(work / "media"),
            "PYTHONPATH": str(REPO),
        }
        env.pop("DJANGO_SETTINGS_MODULE", None)  # manage.py's own default, as a person runs it
        manage = [python, str(REPO / "manage.py")]
        seconds = run([*manage, "migrate", "-v0"], env) + run(
            [*manage, "import_qpv", str(layer), "--no-progress"], env
        )
        print(f"Database set up (migrate + import_qpv) in {seconds:.1f} s, not timed")

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
        import django

        django.setup()  # the layer reader's messages are translated strings
        source = work / "points.csv"
        started = time.perf_counter()
        write_points(source, layer)
        print(
            f"{ROWS:,} rows written in {time.perf_counter() - started:.1f} s "
            f"(half within {NEAR_BOUNDARY_METRES:.0f} m of a boundary)"
        )
        script = work / "gis_user.py"
        script.write_text(GEOPANDAS_SCRIPT, encoding="utf-8")
        ours_out, theirs_out = work / "ours.csv", work / "theirs.csv"
        ours_command = [*manage, "qpv_check", str(source), str(ours_out), "--no-progress"]
        theirs_command = [python, str(script), str(source), str(layer), str(theirs_out)]

        first_ours, first_theirs = run(ours_command, env), run(theirs_command, env)
        print(f"First (untimed) runs: qpv_check {first_ours:.2f} s, geopandas {first_theirs:.2f} s")
        ours, theirs, ours_cpu, theirs_cpu = [], [], [], []
        for _run in range(RUNS):
            ours.append(run(ours_command, env, ours_cpu))
            theirs.append(run(theirs_command, env, theirs_cpu))

        our_codes = codes_of(ours_out, "qpv_code", encoding="utf-8-sig")
        their_codes = codes_of(theirs_out, "code_qp", encoding="utf-8")
    differences = sum(a != b for a, b in zip(our_codes, their_codes, strict=True))
    inside = sum(bool(code) for code in our_codes)

    our_median, their_median = statistics.median(ours), statistics.median(theirs)
    ratio = our_median / their_median
    print(f"Rows inside a QPV: {inside:,} of {len(our_codes):,}; answers differing: {differences}")
    print(f"manage.py qpv_check: median {our_median:.2f} s  runs {_runs(ours)}")
    print(f"geopandas script:    median {their_median:.2f} s  runs {_runs(theirs)}")
    print(f"Ratio qpv_check / geopandas: {ratio:.2f} (target <= {TARGET_RATIO:.2f})")
    our_cpu, their_cpu = statistics.median(ours_cpu), statistics.median(theirs_cpu)
    print(
        f"CPU time (user + system, less sensitive to other loads on the machine): "
        f"qpv_check {our_cpu:.2f} s, geopandas {their_cpu:.2f} s, ratio {our_cpu / their_cpu:.2f}"
    )

    failures = []
    if differences or len(our_codes) != ROWS:
        failures.append(f"{differences} answers differ from geopandas")
    if ratio > TARGET_RATIO:
        failures.append(f"ratio {ratio:.2f} over {TARGET_RATIO:.2f}")
    print("RESULT: " + ("OK" if not failures else "FAILED — " + "; ".join(failures)))
    return 1 if failures else 0


def _runs(seconds: list[float]) -> str:
    return ", ".join(f"{s:.2f} s" for s in seconds)


if __name__ == "__main__":
    sys.exit(main())
