"""Benchmark: does the matchmaking suggest, on a défi, who really answered it?

    .venv/bin/python bench/matches_top5.py

On the demo dataset (migrated and loaded into a throw-away SQLite file: `load_demo` with
the QPV layer in QPV_SOURCE, by default ../shared/data/qpv/qpv2024_national_4dp.geojson,
the sample layer if it is missing), for every solved défi with an accepted offer: the
défi's offers and its outcome project are hidden (deleted inside a transaction rolled back
afterwards, so that nothing of who answered can be read), its suggestions computed, and
the organisation whose offer was accepted looked for among the suggested organisations,
the project of that offer (or the défi's outcome project) among the suggested projects.

Printed: hit@1, hit@5 and the mean reciprocal rank (MRR, over the top 5) for each, "either"
(the organisation or its project in its top 5), a baseline (five organisations drawn at
random among the member organisations of the défi's department: the chance of a hit), and
"findable" (the organisation that answered shares a theme, through its projects, or a QPV
with the défi: what any suggestion reading the défi could find at best; the demo draws its
helpers among the organisations of the département, not by theme), and the time per défi.
No target: the figure is reported as it is. Exit status 0.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TOP = 5


def qpv_source() -> Path | None:
    configured = os.environ.get("QPV_SOURCE")
    candidates = [Path(configured)] if configured else []
    shared = REPO / ".." / "shared" / "data" / "qpv"
    candidates += [shared / "qpv2024_national_4dp.geojson", shared / "qpv2024_sample.geojson"]
    return next((path for path in candidates if path.is_file()), None)


def rank_of(keys: list[str], wanted: str) -> int | None:
    return keys.index(wanted) + 1 if wanted in keys else None


def summary(name: str, ranks: list[int | None]) -> str:
    if not ranks:
        return f"{name:<14} no défi to measure"
    n = len(ranks)
    hit1 = sum(1 for r in ranks if r == 1) / n
    hit5 = sum(1 for r in ranks if r is not None and r <= TOP) / n
    mrr = sum(1 / r for r in ranks if r is not None and r <= TOP) / n
    return f"{name:<14} n={n:<4} hit@1 {hit1:6.1%}   hit@5 {hit5:6.1%}   MRR@5 {mrr:.3f}"


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="q40-bench-matches-"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DEBUG="false",
        DATABASE_URL=f"sqlite:///{tmp / 'bench.sqlite3'}",
        AIDES_TERRITOIRES_KEY="",  # the défi's suggestions do not use it; never the network
        SEARCH_EMBEDDINGS_URL="",
        SEARCH_TASK_BACKEND="immediate",
    )
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import transaction

    from quartiers40.challenges.enums import ChallengeStatus, OfferState
    from quartiers40.challenges.models import Challenge, ChallengeOffer
    from quartiers40.matches.suggest import organisations_for_challenge, projects_for_challenge
    from quartiers40.members.models import Organisation

    settings.TASKS = {
        **settings.TASKS,
        "immediate": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    }
    source = qpv_source()
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    arguments = ["--qpv-source", str(source)] if source else []
    call_command("load_demo", *arguments, verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    print(f"demo dataset loaded in {time.perf_counter() - started:.0f} s (QPVs: {source})")
    try:
        from quartiers40.search.models import SearchDocument

        print(f"search index: {SearchDocument.objects.count()} documents")
    except ImportError:
        print("search index: none (the search app is not here): words signal off")

    solved = list(
        Challenge.objects.visible()
        .filter(status=ChallengeStatus.SOLVED, offers__state=OfferState.ACCEPTED)
        .distinct()
        .order_by("pk")
    )
    organisation_ranks: list[int | None] = []
    project_ranks: list[int | None] = []
    either: list[bool] = []
    findable: list[bool] = []
    baseline: list[float] = []
    seconds: list[float] = []
    for challenge in solved:
        accepted = challenge.offers.filter(state=OfferState.ACCEPTED).order_by("pk").first()
        truth_organisation = accepted.organisation_id
        truth_project = accepted.project_id or challenge.outcome_project_id
        with transaction.atomic():
            # Hide who answered: no offer, no outcome project left to read.
            ChallengeOffer.objects.filter(challenge=challenge).delete()
            Challenge.objects.filter(pk=challenge.pk).update(outcome_project=None)
            challenge.refresh_from_db()
            cache.clear()
            tick = time.perf_counter()
            organisations = [s.key for s in organisations_for_challenge(challenge)]
            projects = [s.key for s in projects_for_challenge(challenge)]
            seconds.append(time.perf_counter() - tick)
            transaction.set_rollback(True)
        organisation_rank = rank_of(organisations, f"organisation:{truth_organisation}")
        organisation_ranks.append(organisation_rank)
        project_rank = None
        if truth_project:
            project_rank = rank_of(projects, f"project:{truth_project}")
            project_ranks.append(project_rank)
        either.append(organisation_rank is not None or project_rank is not None)
        # Could anything read from the défi find it? It shares a theme (through its
        # projects) or a QPV with the défi: the ceiling of a content-based suggestion.
        helper = Organisation.objects.get(pk=truth_organisation)
        helper_themes = {
            code
            for project in helper.projects.filter(status="published")
            for code in project.themes
        }
        helper_qpvs = set(helper.qpvs.values_list("pk", flat=True))
        findable.append(
            bool(helper_themes & set(challenge.themes))
            or bool(helper_qpvs & set(challenge.qpvs.values_list("pk", flat=True)))
        )
        pool = Organisation.objects.members_of_collective().filter(
            department_code=challenge.department
        )
        pool_size = max(1, pool.exclude(pk=challenge.organisation_id or 0).count())
        baseline.append(min(1.0, TOP / pool_size))

    print(f"solved défis with an accepted offer: {len(solved)}")
    print(summary("organisation", organisation_ranks))
    print(summary("project", project_ranks))
    if either:
        print(f"{'either':<14} n={len(either):<4} in a top 5: {sum(either) / len(either):6.1%}")
        print(
            f"{'findable':<14} the organisation shares a theme or a QPV with the défi: "
            f"{sum(findable) / len(findable):6.1%}"
        )
        print(
            f"{'baseline':<14} five member organisations of the département at random: "
            f"hit@5 {statistics.mean(baseline):6.1%}"
        )
    if seconds:
        print(
            f"time per défi (organisations + projects): median "
            f"{statistics.median(seconds) * 1000:.0f} ms, max {max(seconds) * 1000:.0f} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
