"""Import of 10,000 data·inclusion v1 services (and their 1,000 structures): time and memory.

Generates the two JSON files in a temporary folder, then imports them with the real
command path (`opportunities_import`: validation with the pinned schema, mapping, one
transaction, QPV links of each place) into a throw-away SQLite database holding the
national QPV layer. Each run imports into a new source, so every run creates 10,000
opportunities; the figure is the median of RUNS runs, then one re-import (all unchanged)
and one more run under tracemalloc for the peak of Python memory. Points are given (as
the API gives them): the geocoder is off.

    .venv/bin/python bench/opportunities_import.py
    .venv/bin/python bench/opportunities_import.py --postgres   # DATABASE_URL, else q40_bench
"""

import argparse
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVICES = int(os.environ.get("BENCH_SERVICES", "10000"))
STRUCTURES = 1_000
RUNS = 3
QPV_FILE = ROOT / ".." / "shared" / "data" / "qpv" / "qpv2024_national_4dp.geojson"
THEMES = [
    "numerique--acceder-a-des-services-en-ligne",
    "numerique--maitriser-les-fondamentaux-du-numerique",
    "trouver-un-emploi--repondre-a-des-offres-demploi",
    "preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation",
    "se-former--trouver-sa-formation",
]
PUBLICS = ["jeunes", "demandeurs-emploi", "residents-qpv-frr", "seniors", "femmes"]


def generate(folder: Path) -> tuple[Path, Path]:
    rng = random.Random(12)
    structures = [
        {
            "source": "bench",
            "id": f"bench--s{n}",
            "nom": f"Centre social numéro {n}",
            "date_maj": "2025-02-14",
            "siret": f"{13003013300000 + n:014d}",
            "adresse": f"{n} rue de la République",
            "code_postal": "93270",
            "commune": "Sevran",
            "code_insee": "93071",
            "longitude": 2.52 + rng.uniform(-0.05, 0.05),
            "latitude": 48.94 + rng.uniform(-0.05, 0.05),
            "horaires_accueil": "Mo-Fr 09:00-12:00,14:00-17:00",
        }
        for n in range(STRUCTURES)
    ]
    services = [
        {
            "source": "bench",
            "id": f"bench--a{n}",
            "structure_id": f"bench--s{n % STRUCTURES}",
            "nom": f"Atelier numérique {n}",
            "description": (
                "## Un atelier\n\nUn atelier pour apprendre à utiliser un ordinateur, "
                "en petit groupe, avec une personne qui aide. " * 3
            ),
            "date_maj": "2025-02-14",
            "type": rng.choice(["atelier", "formation", "accompagnement"]),
            "thematiques": rng.sample(THEMES, 2),
            "frais": rng.choice(["gratuit", "payant"]),
            "publics": rng.sample(PUBLICS, 2),
            "modes_accueil": ["en-presentiel"],
            "modes_mobilisation": ["se-presenter", "telephoner"],
            "zone_eligibilite": ["93"],
            "adresse": f"{n} avenue Salvador Allende",
            "code_postal": "93270",
            "commune": "Sevran",
            "code_insee": "93071",
            "longitude": 2.2 + rng.uniform(0, 0.6),
            "latitude": 48.7 + rng.uniform(0, 0.4),
            "telephone": "0123456789",
        }
        for n in range(SERVICES)
    ]
    services_path, structures_path = folder / "services.json", folder / "structures.json"
    services_path.write_text(json.dumps({"items": services}, ensure_ascii=False))
    structures_path.write_text(json.dumps(structures, ensure_ascii=False))
    return services_path, structures_path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="q40-bench-import-"))
    if args.postgres:
        os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/q40_bench")
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.update(DJANGO_SETTINGS_MODULE="config.settings.dev", DEBUG="false")
    os.environ["GEOCODER_ENABLED"] = "false"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from quartiers40.opportunities.importers.runner import opportunities_import
    from quartiers40.opportunities.models import Opportunity
    from quartiers40.territories.models import QPV

    call_command("migrate", verbosity=0)
    if not QPV.objects.exists() and QPV_FILE.is_file():
        call_command("import_qpv", str(QPV_FILE), verbosity=0)
    services, structures = generate(tmp)
    print(
        f"{connection.vendor}: {SERVICES:,} services, {STRUCTURES:,} structures, "
        f"{QPV.objects.count():,} QPVs; files {services.stat().st_size / 1e6:.1f} MB"
    )

    def once(source: str) -> tuple[float, dict]:
        started = time.perf_counter()
        report = opportunities_import(
            format="data-inclusion", paths=[services, structures], source=source
        )
        return time.perf_counter() - started, dict(report.counts)

    times = []
    for run in range(args.runs):
        seconds, counts = once(f"bench-{os.getpid()}-{run}")
        times.append(seconds)
        print(f"  run {run + 1}: {seconds:.1f} s, {SERVICES / seconds:,.0f} rows/s, {counts}")
    median = statistics.median(times)
    print(f"created: median {median:.1f} s, {SERVICES / median:,.0f} rows/s")
    seconds, counts = once(f"bench-{os.getpid()}-0")
    print(f"re-import (unchanged): {seconds:.1f} s, {SERVICES / seconds:,.0f} rows/s, {counts}")
    tracemalloc.start()
    once(f"bench-{os.getpid()}-traced")
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"peak Python memory during one import: {peak / 1e6:.0f} MB; process max RSS {rss:.0f} MB"
    )
    if args.postgres:
        Opportunity.objects.filter(source__startswith=f"bench-{os.getpid()}").delete()
    return 0


if __name__ == "__main__":
    sys.exit(main())
