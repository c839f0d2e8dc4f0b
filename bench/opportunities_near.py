"""Benchmark: "near me" (`selectors.opportunities_near`) with 100,000 published opportunities.

    .venv/bin/python bench/opportunities_near.py              # SQLite, then PostgreSQL
    .venv/bin/python bench/opportunities_near.py sqlite       # one of them

Data (fixed seed), in a throw-away SQLite file and in a PostgreSQL database created and
dropped here (`BENCH_POSTGRES_URL`, default postgres://postgres@127.0.0.1:5432/postgres, to
create `q40_bench_near_<pid>`; skipped, and said so, when PostgreSQL cannot be reached):
100,000 published opportunities of every kind, cost and eligibility; 85 % have one to three
places spread around the real QPVs (the centroids of the layer in QPV_SOURCE, by default
../shared/data/qpv/qpv2024_national_4dp.geojson: where the QPVs are dense, so are the
places), at a normal distance of 2 km, one in ten up to 15 km; 10 % are remote only and 5 %
both.

Measured: 200 searches around random QPVs (a point within 1 km of the centroid) for each
radius (2, 10, 25, 50 km), without and with filters (free, training or workshop, age 20):
the time of one call returning the first page (20 results) — p50 and p95, wall clock and
this process's CPU time (with SQLite all the work; it hardly moves when the machine is
shared, the wall clock does: the load average is printed) — and the SQL
queries per call (constant whatever the number of results). Target: p95 under 50 ms at
10 km on both databases; exit status 1 if missed, or if the queries vary with the results.
"""

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEED = 20260412
OPPORTUNITIES = int(os.environ.get("BENCH_OPPORTUNITIES", "100000"))
SEARCHES = int(os.environ.get("BENCH_SEARCHES", "200"))
RADII_KM = (2, 10, 25, 50)
TARGET_RADIUS_KM = 10
TARGET_P95_MS = 50.0
PAGE = 20
POSTGRES_ADMIN_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)


def qpv_centroids() -> tuple[list[tuple[float, float]], str]:
    """(lon, lat) of each QPV of the layer; a synthetic set of city centres without it."""
    source = Path(
        os.environ.get("QPV_SOURCE")
        or REPO / ".." / "shared" / "data" / "qpv" / "qpv2024_national_4dp.geojson"
    )
    if source.is_file():
        from quartiers40.territories.layer import qpv_layer_read

        layer = qpv_layer_read(source)
        points = []
        for geometry in layer.geometries:
            centre = geometry.representative_point()
            points.append((centre.x, centre.y))
        return points, f"{source.name} ({len(points)} QPVs)"
    rng = random.Random(SEED)
    points = [(rng.uniform(-1.5, 7.5), rng.uniform(43.3, 50.5)) for _ in range(1584)]
    return points, f"SYNTHETIC centres (1584; {source} absent)"


def _around(rng: random.Random, lon: float, lat: float, sigma_m: float) -> tuple[float, float]:
    import math

    k_lon = 111_320 * math.cos(math.radians(lat))
    return lon + rng.gauss(0, sigma_m) / k_lon, lat + rng.gauss(0, sigma_m) / 111_132


def populate(centres: list[tuple[float, float]]) -> None:
    from django.utils import timezone

    from quartiers40.members.models import Organisation
    from quartiers40.opportunities.enums import (
        THEME_CODES,
        Cost,
        GeocodingState,
        HowToGo,
        Level,
        OpportunityKind,
        OpportunityStatus,
        Situation,
    )
    from quartiers40.opportunities.models import Opportunity, OpportunityPlace

    rng = random.Random(SEED)
    now = timezone.now()
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Organisation {i}", slug=f"organisation-{i}", kind="association")
        for i in range(300)
    )
    themes = sorted(THEME_CODES)
    kinds, costs = list(OpportunityKind.values), list(Cost.values)
    situations, levels = list(Situation.values), list(Level.values)
    batch = 5000
    for start in range(0, OPPORTUNITIES, batch):
        rows, remote_kind = [], []
        for i in range(start, min(start + batch, OPPORTUNITIES)):
            draw = rng.random()
            where = "remote" if draw < 0.10 else "both" if draw < 0.15 else "place"
            remote_kind.append(where)
            young = rng.random() < 0.2
            rows.append(
                Opportunity(
                    kind=rng.choice(kinds),
                    title=f"Opportunité {i}",
                    slug=f"opportunite-{i}",
                    summary="Un résumé court et simple.",
                    description="Une description.",
                    themes=rng.sample(themes, rng.randint(1, 3)),
                    status=OpportunityStatus.PUBLISHED,
                    organisation=rng.choice(organisations),
                    is_remote=where != "place",
                    cost=rng.choice(costs),
                    how_to_go=[HowToGo.COME],
                    age_min=16 if young else None,
                    age_max=25 if young else None,
                    situations=rng.sample(situations, rng.randint(0, 2)),
                    level_required=rng.choice(levels),
                    last_updated_at=now,
                    published_at=now,
                )
            )
        Opportunity.objects.bulk_create(rows)
        places = []
        for opportunity, where in zip(rows, remote_kind, strict=True):
            if where == "remote":
                continue
            for _ in range(rng.choice((1, 1, 1, 2, 3))):
                lon, lat = rng.choice(centres)
                sigma = 15_000 if rng.random() < 0.1 else 2_000
                lon, lat = _around(rng, lon, lat, sigma)
                places.append(
                    OpportunityPlace(
                        opportunity=opportunity,
                        name="Lieu",
                        longitude=lon,
                        latitude=lat,
                        geocoding=GeocodingState.GIVEN,
                    )
                )
        OpportunityPlace.objects.bulk_create(places)


def measure(centres) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from quartiers40.opportunities.enums import OpportunityKind
    from quartiers40.opportunities.selectors import Criteria, opportunities_near

    filtered = Criteria(
        free_only=True, kinds=(OpportunityKind.TRAINING, OpportunityKind.WORKSHOP), age=20
    )
    rng = random.Random(SEED + 1)
    points = [_around(rng, *rng.choice(centres), 600) for _ in range(SEARCHES)]
    figures = {}
    for label, criteria in (("no filter", Criteria()), ("filters", filtered)):
        for radius in RADII_KM:
            times, cpu, queries, totals = [], [], set(), []
            opportunities_near(lat=points[0][1], lon=points[0][0], radius_km=radius)  # warm up
            for lon, lat in points:
                with CaptureQueriesContext(connection) as captured:
                    started, started_cpu = time.perf_counter(), time.process_time()
                    results, total = opportunities_near(
                        lat=lat, lon=lon, radius_km=radius, criteria=criteria, limit=PAGE
                    )
                    for result in results:  # what a page reads of each result
                        _ = (result.opportunity.title, result.place)
                    times.append((time.perf_counter() - started) * 1000)
                    cpu.append((time.process_time() - started_cpu) * 1000)
                queries.add(len(captured))
                totals.append(total)
            times.sort()
            cpu.sort()
            figures[f"{label} {radius} km"] = {
                "p50": statistics.median(times),
                "p95": times[int(len(times) * 0.95) - 1],
                "cpu_p50": statistics.median(cpu),
                "cpu_p95": cpu[int(len(cpu) * 0.95) - 1],
                "queries": sorted(queries),
                "median_total": statistics.median(totals),
                "max_total": max(totals),
            }
    return figures


def child() -> int:
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    centres, layer = qpv_centroids()
    started = time.perf_counter()
    populate(centres)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # both databases: the planner needs the indexes' statistics
    load = time.perf_counter() - started
    figures = measure(centres)
    print(
        json.dumps({"layer": layer, "load_s": load, "figures": figures, "loadavg": os.getloadavg()})
    )
    return 0


def run(database: str) -> dict | None:
    env = {**os.environ, "DEBUG": "false", "RATE_LIMITS_ENABLED": "false"}
    created = None
    tmp = Path(tempfile.mkdtemp(prefix="q40-bench-near-"))
    if database == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{tmp / 'near.sqlite3'}"
    else:
        import psycopg

        name = f"q40_bench_near_{os.getpid()}"
        try:
            with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{name}"')
        except psycopg.OperationalError as error:
            print(f"PostgreSQL skipped: {error}".strip())
            return None
        created = name
        env["DATABASE_URL"] = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        out = subprocess.run(
            [sys.executable, __file__, "--child"],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if out.returncode != 0:
            print(out.stderr[-3000:])
            return None
        return json.loads(out.stdout.strip().splitlines()[-1])
    finally:
        if created:
            import psycopg

            with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{created}"')
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)


def main() -> int:
    if "--child" in sys.argv:
        return child()
    databases = [arg for arg in sys.argv[1:] if arg in ("sqlite", "postgresql")] or [
        "sqlite",
        "postgresql",
    ]
    failed = False
    print(
        f"machine: {os.cpu_count()} cores; {OPPORTUNITIES:,} published opportunities; "
        f"{SEARCHES} searches per line, first page of {PAGE}"
    )
    for database in databases:
        result = run(database)
        if result is None:
            failed = failed or database == "sqlite"
            continue
        print(f"\n{database}: layer {result['layer']}, data loaded in {result['load_s']:.0f} s")
        print(f"machine load average at the end: {result['loadavg'][0]:.1f} (1 min)")
        print(
            f"{'search':<22}{'p50 ms':>9}{'p95 ms':>9}{'cpu p50':>9}{'cpu p95':>9}"
            f"{'queries':>10}{'results (median/max)':>24}"
        )
        for label, figure in result["figures"].items():
            queries = "/".join(str(n) for n in figure["queries"])
            totals = f"{figure['median_total']:.0f} / {figure['max_total']}"
            print(
                f"{label:<22}{figure['p50']:>9.1f}{figure['p95']:>9.1f}{figure['cpu_p50']:>9.1f}"
                f"{figure['cpu_p95']:>9.1f}{queries:>10}{totals:>24}"
            )
            if max(figure["queries"]) > 5:
                print(f"  FAILED: more than 5 queries ({label})")
                failed = True
            if label.endswith(f" {TARGET_RADIUS_KM} km") and figure["p95"] > TARGET_P95_MS:
                print(f"  FAILED: p95 over {TARGET_P95_MS:.0f} ms ({label})")
                failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
