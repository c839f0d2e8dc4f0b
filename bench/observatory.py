"""Benchmark: the observatory at 100,000 objects.

    .venv/bin/python bench/observatory.py              # SQLite, then PostgreSQL if reachable
    .venv/bin/python bench/observatory.py sqlite       # one of them (or: postgresql)

Data (fixed seed, bulk_create, no signal): 1,584 QPVs in 96 departments, then
BENCH_OBSERVATORY_OBJECTS objects (default 100,000) of the apps the figures read:
organisations 10 % (1 to 3 QPVs each), projects 15 %, défis 20 %, opportunities 15 % (one
place linked to 2 QPVs), interests 15 %, editions 1 %, registrations 14 %, action items 3 %,
suggestions 7 %. In a throw-away SQLite file, and in a PostgreSQL database created and
dropped here (BENCH_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres;
skipped, and said so, when it cannot be reached).

Measured: the full recomputation (`observatory_recompute`), then the national dashboard and
one department's through the Django test Client with the page cache off (charts cached by
the figures' version, as in production): the first answer (charts drawn) and p50/p95 of
BENCH_OBSERVATORY_REPEAT more (default 30).

Then the quarterly report of the quarter just ended: its drafting (the snapshot of the
figures and the apps' rows) and one build of its PDF (WeasyPrint, charts included).

Targets: recomputation under 60 s, p95 of each dashboard under 100 ms, the report's PDF
built in under 30 s and under 2 MB. Exit 1 if missed.
"""

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
from _setup import machine  # noqa: E402

SEED = 20261207
OBJECTS = int(os.environ.get("BENCH_OBSERVATORY_OBJECTS", "100000"))
REPEAT = int(os.environ.get("BENCH_OBSERVATORY_REPEAT", "30"))
TARGET_RECOMPUTE_S = 60.0
TARGET_P95_MS = 100.0
TARGET_PDF_S = 30.0
TARGET_PDF_BYTES = 2 * 1024 * 1024
POSTGRES_ADMIN_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)
SHARES = {
    "organisation": 0.10,
    "project": 0.15,
    "challenge": 0.20,
    "opportunity": 0.15,
    "interest": 0.15,
    "edition": 0.01,
    "registration": 0.14,
    "action": 0.03,
    "match": 0.07,
}


def _generate(rng: random.Random) -> dict[str, int]:
    from django.db.models import F
    from django.utils import timezone

    from quartiers40.challenges.enums import ChallengeStatus
    from quartiers40.challenges.models import Challenge
    from quartiers40.matches.enums import MatchContext, MatchStep, SuggestionKind
    from quartiers40.matches.models import Match
    from quartiers40.meetings.enums import (
        ActionItemStatus,
        Attendance,
        EditionFormat,
        EditionStatus,
        RegistrationStatus,
        SeriesKind,
        SeriesStatus,
    )
    from quartiers40.meetings.models import ActionItem, Edition, Registration, Series
    from quartiers40.members.enums import OrganisationKind, OrganisationStatus
    from quartiers40.members.models import Organisation, User
    from quartiers40.opportunities.enums import InterestStatus, OpportunityKind, OpportunityStatus
    from quartiers40.opportunities.models import (
        Opportunity,
        OpportunityInterest,
        OpportunityPlace,
        OpportunityPlaceQPV,
    )
    from quartiers40.projects.enums import AICategory, ProjectStatus, Stage, Theme
    from quartiers40.projects.models import Project
    from quartiers40.territories.models import QPV
    from quartiers40.territories.reference import DEPARTMENTS, region_of

    counts = {kind: int(OBJECTS * share) for kind, share in SHARES.items()}
    now = timezone.now()
    departments = [code for code in DEPARTMENTS if region_of(code)[0] not in ("", "COM")][:96]

    def moment():
        return now - timedelta(days=rng.uniform(0, 3 * 365))

    qpvs = QPV.objects.bulk_create(
        QPV(
            code=f"QN{index:05d}B",
            name=f"Quartier {index}",
            department_code=departments[index % len(departments)],
            region_code=region_of(departments[index % len(departments)])[0],
            commune_code=f"{departments[index % len(departments)][:2]}{index % 97:03d}",
            centroid_lon=2 + rng.uniform(-2, 2),
            centroid_lat=46 + rng.uniform(-3, 3),
        )
        for index in range(1584)
    )
    del qpvs
    qpv_ids = list(QPV.objects.values_list("pk", flat=True))
    users = User.objects.bulk_create(
        User(email=f"bench{index}@exemple.fr", display_name="Bench") for index in range(1000)
    )
    kinds = list(OrganisationKind.values)
    organisations = Organisation.objects.bulk_create(
        Organisation(
            name=f"Organisation {index}",
            slug=f"organisation-{index}",
            kind=rng.choice(kinds),
            status=OrganisationStatus.MEMBER
            if rng.random() < 0.8
            else OrganisationStatus.CANDIDATE,
            joined_at=moment(),
            department_code=rng.choice(departments),
            commune_code="",
        )
        for index in range(counts["organisation"])
    )
    through = Organisation.qpvs.through
    through.objects.bulk_create(
        through(organisation_id=organisation.pk, qpv_id=qpv_id)
        for organisation in organisations
        for qpv_id in rng.sample(qpv_ids, rng.randint(1, 3))
    )
    org_ids = [organisation.pk for organisation in organisations]
    themes = list(Theme.values)
    projects = Project.objects.bulk_create(
        Project(
            title=f"Projet {index}",
            slug=f"projet-{index}",
            summary="Un projet.",
            stage=rng.choice(Stage.values),
            ai_category=rng.choice([*AICategory.values, ""]),
            themes=rng.sample(themes, rng.randint(1, 2)),
            departments=[rng.choice(departments)] if rng.random() < 0.1 else [],
            carrier_id=rng.choice(org_ids),
            status=ProjectStatus.PUBLISHED if rng.random() < 0.8 else ProjectStatus.DRAFT,
            last_updated_at=now,
            published_at=moment(),
        )
        for index in range(counts["project"])
    )
    through = Project.qpvs.through
    through.objects.bulk_create(
        through(project_id=project.pk, qpv_id=qpv_id)
        for project in projects
        if not project.departments
        for qpv_id in rng.sample(qpv_ids, rng.randint(1, 2))
    )
    challenges = []
    for index in range(counts["challenge"]):
        posted = moment()
        status = rng.choice(ChallengeStatus.values)
        challenges.append(
            Challenge(
                title=f"Défi {index}",
                slug=f"defi-{index}",
                situation="Une situation.",
                themes=rng.sample(themes, 1),
                department=rng.choice(departments),
                author_id=rng.choice(users).pk,
                status=status,
                created_at=posted,
                status_changed_at=posted + timedelta(days=rng.uniform(1, 200)),
            )
        )
    challenges = Challenge.objects.bulk_create(challenges)
    through = Challenge.qpvs.through
    through.objects.bulk_create(
        through(challenge_id=challenge.pk, qpv_id=rng.choice(qpv_ids)) for challenge in challenges
    )
    # created_at is set by the database on insert: posted some weeks before the change.
    Challenge.objects.update(created_at=F("status_changed_at") - timedelta(days=45))
    opportunities = Opportunity.objects.bulk_create(
        Opportunity(
            kind=rng.choice(OpportunityKind.values),
            title=f"Opportunité {index}",
            slug=f"opportunite-{index}",
            summary="Une opportunité.",
            organisation_id=rng.choice(org_ids),
            status=OpportunityStatus.PUBLISHED,
            last_updated_at=now,
            published_at=moment(),
        )
        for index in range(counts["opportunity"])
    )
    places = OpportunityPlace.objects.bulk_create(
        OpportunityPlace(opportunity_id=opportunity.pk, latitude=46.0, longitude=2.0)
        for opportunity in opportunities
    )
    OpportunityPlaceQPV.objects.bulk_create(
        OpportunityPlaceQPV(place_id=place.pk, qpv_id=qpv_id, distance_m=rng.randint(0, 2000))
        for place in places
        for qpv_id in rng.sample(qpv_ids, 2)
    )
    opportunity_ids = [opportunity.pk for opportunity in opportunities]
    OpportunityInterest.objects.bulk_create(
        OpportunityInterest(
            opportunity_id=rng.choice(opportunity_ids),
            reference=f"B{index:09d}",
            name="Awa",
            email=f"interet{index}@exemple.fr",
            status=rng.choice(InterestStatus.values),
        )
        for index in range(counts["interest"])
    )
    national = Series.objects.create(
        name="Petit déj", slug="petit-dej", kind=SeriesKind.NATIONAL, status=SeriesStatus.APPROVED
    )
    local = Series.objects.bulk_create(
        Series(
            name=f"Locale {index}",
            slug=f"locale-{index}",
            kind=SeriesKind.LOCAL,
            status=SeriesStatus.APPROVED,
            organisation_id=rng.choice(org_ids),
        )
        for index in range(50)
    )
    editions = []
    for index in range(counts["edition"]):
        starts = moment()
        editions.append(
            Edition(
                series=national if index % 10 == 0 else rng.choice(local),
                slug=f"edition-{index}",
                title=f"Édition {index}",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                format=rng.choice(EditionFormat.values),
                status=EditionStatus.PUBLISHED,
            )
        )
    edition_ids = [edition.pk for edition in Edition.objects.bulk_create(editions)]
    Registration.objects.bulk_create(
        Registration(
            edition_id=edition_ids[index % len(edition_ids)],
            token=f"bench-token-{index}",
            name="Habitante",
            email=f"inscrit{index}@exemple.fr",
            attendance=rng.choice(Attendance.values),
            status=RegistrationStatus.CONFIRMED,
            sequence=index,
            checked_in_at=now if rng.random() < 0.6 else None,
        )
        for index in range(counts["registration"])
    )
    ActionItem.objects.bulk_create(
        ActionItem(
            edition_id=rng.choice(edition_ids),
            title=f"Action {index}",
            status=rng.choice(ActionItemStatus.values),
            due_date=(now + timedelta(days=rng.uniform(-300, 300))).date(),
        )
        for index in range(counts["action"])
    )
    challenge_ids = [challenge.pk for challenge in challenges]
    Match.objects.bulk_create(
        Match(
            context=MatchContext.CHALLENGE,
            kind=SuggestionKind.PROJECT,
            subject_key=f"challenge:{index}",
            suggested_key=f"project:{index}",
            subject_challenge_id=rng.choice(challenge_ids),
            step=rng.choice([MatchStep.NONE, MatchStep.OPENED, MatchStep.CONTACTED]),
        )
        for index in range(counts["match"])
    )
    return counts


def _timed(client, path: str) -> float:
    began = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - began) * 1000
    assert response.status_code == 200, (path, response.status_code)
    return elapsed


def run_one(database_url: str, label: str) -> bool:
    """In this process: Django on `database_url`, data, measures. True when targets met."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # the dashboards answered from the figures
    settings.ALLOWED_HOSTS = ["*"]
    settings.OBSERVATORY_FOLLOWS_WRITES = False
    call_command("migrate", verbosity=0)
    began = time.perf_counter()
    counts = _generate(random.Random(SEED))
    print(
        f"[{label}] generated {sum(counts.values()):,} objects "
        f"in {time.perf_counter() - began:.1f} s"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    from quartiers40.observatory.services import observatory_recompute

    report = observatory_recompute()
    print(f"[{label}] full recomputation: {report.seconds:.2f} s, {report.rows:,} figures")
    from quartiers40.territories.models import QPV

    department = QPV.objects.values_list("department_code", flat=True).first()
    client = Client()
    ok = report.seconds < TARGET_RECOMPUTE_S
    for name, path in (
        ("national", "/observatoire/"),
        (f"department {department}", f"/observatoire/departement/{department}/"),
    ):
        first = _timed(client, path)
        times = sorted(_timed(client, path) for _ in range(REPEAT))
        p95 = times[max(0, round(0.95 * len(times)) - 1)]
        size = len(client.get(path).content)
        print(
            f"[{label}] {name}: first {first:.0f} ms (charts drawn), then p50 "
            f"{statistics.median(times):.1f} ms, p95 {p95:.1f} ms over {REPEAT}; "
            f"{size / 1024:.0f} KB"
        )
        ok = ok and p95 < TARGET_P95_MS
    return _report(label) and ok


def _report(label: str) -> bool:
    """The quarterly report of the quarter just ended: drafted, then its PDF built once."""
    from django.conf import settings

    from quartiers40.observatory.reports.pdf import report_pdf_build
    from quartiers40.observatory.reports.services import quarter_just_ended, report_draft

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="q40-bench-media-")
    quarter = quarter_just_ended()
    began = time.perf_counter()
    report = report_draft(quarter).report
    drafted = time.perf_counter() - began
    snapshot = report.snapshot
    began = time.perf_counter()
    content = report_pdf_build(report)
    built = time.perf_counter() - began
    print(
        f"[{label}] report {quarter.slug}: drafted in {drafted:.2f} s "
        f"({len(snapshot['petit_dej'])} petit déj, {len(snapshot['challenges_solved'])} défis "
        f"solved, {len(snapshot['projects'])} projects); PDF built in {built:.2f} s, "
        f"{len(content) / 1024:.0f} KB"
    )
    return built < TARGET_PDF_S and len(content) < TARGET_PDF_BYTES


def _postgres_database() -> str | None:
    try:
        import psycopg
    except ImportError:
        return None
    name = f"q40_bench_observatory_{os.getpid()}"
    try:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=3) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
    except Exception as error:
        print(f"[postgresql] skipped: {error}".splitlines()[0])
        return None
    return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def _postgres_drop(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> int:
    if os.environ.get("BENCH_OBSERVATORY_CHILD"):
        return 0 if run_one(os.environ["BENCH_OBSERVATORY_CHILD"], sys.argv[1]) else 1
    wanted = sys.argv[1:] or ["sqlite", "postgresql"]
    print(f"machine: {machine()}")
    print(
        f"targets: recomputation < {TARGET_RECOMPUTE_S:.0f} s, "
        f"dashboards p95 < {TARGET_P95_MS:.0f} ms, report PDF < {TARGET_PDF_S:.0f} s "
        f"and < {TARGET_PDF_BYTES // (1024 * 1024)} MB"
    )
    status = 0
    for label in wanted:
        cleanup = None
        if label == "sqlite":
            folder = tempfile.mkdtemp(prefix="q40-bench-observatory-")
            url = f"sqlite:///{folder}/bench.sqlite3"
        else:
            url = _postgres_database()
            if url is None:
                continue
            cleanup = url
        env = {**os.environ, "BENCH_OBSERVATORY_CHILD": url}
        try:
            result = subprocess.run([sys.executable, __file__, label], env=env, check=False)
        finally:
            if cleanup:
                _postgres_drop(cleanup)
        status = status or result.returncode
    print("all targets met" if status == 0 else "a target was missed")
    return status


if __name__ == "__main__":
    sys.exit(main())
