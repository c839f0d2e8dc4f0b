"""Weekly digests at scale: compose and queue every one for 100,000 people on PostgreSQL.

A database of its own on 127.0.0.1:5432 (user postgres, `q40_bench_digests_<pid>`, dropped
at the end) gets `--people` people (100,000 by default) with a realistic spread of follows
(a fifth follow nothing; most follow one to three QPVs, half a commune, some an
organisation; a few chose daily, never or "at once"), 1,362 QPVs, their communes, 2,000
organisations, and a week of events: new projects, défis, opportunities and meetings placed
on one or two QPVs (with their commune and organisation), and news of people's own items.

Then, in a fresh process, `digest_run(frequency="weekly")` composes every digest (text and
HTML, in each person's language) and queues each as core's delivery task on the database
queue, as the cron does. Printed: time, messages, peak memory of the process (RSS), and SQL
queries per digest; twice, at a tenth of the size and at the full size, to show that memory
and queries per digest stay flat while the people grow. Last, the rate an SMTP relay needs
to send them within an hour.

    .venv/bin/python bench/digests.py                 # 10,000 then 100,000 people
    .venv/bin/python bench/digests.py --people 20000  # 2,000 then 20,000
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
from _setup import machine, postgres_database_create, postgres_database_drop  # noqa: E402

SEED = 16
QPVS = 1362
ORGANISATIONS = 2000
EVENTS_PLACED = 2000  # new projects, défis, opportunities, meetings in a week
EVENTS_OWN = 5000  # news of people's own items in a week
BATCH = 5000


def _django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.conf import settings

    settings.EMAIL_TASK_BACKEND = "default"  # the database queue, as in production


def populate(people: int) -> dict:
    """The data, in bulk (no services: we measure the digest, not the writes)."""
    from datetime import timedelta

    from django.contrib.auth.hashers import make_password
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from quartiers40.members.models import Organisation, User
    from quartiers40.notifications.enums import Category, Frequency
    from quartiers40.notifications.models import (
        Event,
        EventRecipient,
        EventTarget,
        Follow,
        NotificationPreference,
        Recipient,
    )
    from quartiers40.territories.models import QPV, Commune, QPVCommune

    rng = random.Random(SEED)
    call_command("migrate", verbosity=0)
    began = time.perf_counter()
    communes = [
        Commune(
            code=f"{10000 + index}",
            name=f"Commune {index}",
            department_code=f"{index % 95 + 1:02d}",
            search_name=f"commune {index}",
            search_postcodes="",
        )
        for index in range(QPVS // 3 + 1)
    ]
    Commune.objects.bulk_create(communes)
    qpvs = QPV.objects.bulk_create(
        QPV(
            code=f"QN{index:06d}B",
            name=f"Quartier {index}",
            department_code=f"{index % 95 + 1:02d}",
            commune_code=communes[index // 3].code,
            commune_codes=[communes[index // 3].code],
        )
        for index in range(QPVS)
    )
    QPVCommune.objects.bulk_create(
        QPVCommune(qpv=qpv, commune=communes[index // 3]) for index, qpv in enumerate(qpvs)
    )
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Organisation {i}", slug=f"bench-org-{i}", kind="association")
        for i in range(ORGANISATIONS)
    )
    ct_qpv, ct_commune, ct_org = (
        ContentType.objects.get_for_model(model) for model in (QPV, Commune, Organisation)
    )

    # Some places are far busier than others (Zipf-like: the n-th is followed 1/n^0.8 as
    # often as the first).
    def zipf(items):
        weights, total = [], 0.0
        for rank in range(len(items)):
            total += 1 / (rank + 1) ** 0.8
            weights.append(total)
        return lambda: rng.choices(items, cum_weights=weights)[0]

    popular_qpv, popular_commune = zipf(qpvs), zipf(communes)

    unusable = make_password(None)  # no hashing: nobody signs in here
    counts = {"follows": 0}
    user_ids: list[int] = []
    for start in range(0, people, BATCH):
        users = User.objects.bulk_create(
            User(
                email=f"bench{index}@bench.invalid",
                display_name=f"Personne {index}",
                password=unusable,
            )
            for index in range(start, min(people, start + BATCH))
        )
        follows, preferences, recipients = [], [], []
        for user in users:
            user_ids.append(user.pk)
            if rng.random() < 0.2:
                continue  # follows nothing
            chosen = {(ct_qpv.pk, str(popular_qpv().pk)) for _ in range(rng.randint(1, 3))}
            if rng.random() < 0.5:
                chosen.add((ct_commune.pk, popular_commune().code))
            if rng.random() < 0.2:
                chosen.add((ct_org.pk, str(rng.choice(organisations).pk)))
            follows += [Follow(user=user, content_type_id=ct, object_id=oid) for ct, oid in chosen]
            draw = rng.random()
            frequency = (
                Frequency.DAILY
                if draw < 0.05
                else Frequency.NEVER
                if draw < 0.08
                else Frequency.IMMEDIATE
                if draw < 0.09
                else None
            )
            if frequency:
                preferences.append(
                    NotificationPreference(
                        user=user, category=Category.FOLLOWS, frequency=frequency
                    )
                )
            if rng.random() < 0.1:
                recipients.append(Recipient(user=user, language="en"))
        Follow.objects.bulk_create(follows)
        NotificationPreference.objects.bulk_create(preferences)
        Recipient.objects.bulk_create(recipients)
        counts["follows"] += len(follows)

    now = timezone.now()
    kinds = ("project_new", "challenge_new", "opportunity_new", "meeting_new")
    events, targets, named = [], [], []
    for index in range(EVENTS_PLACED + EVENTS_OWN):
        created = now - timedelta(seconds=rng.randrange(7 * 24 * 3600))
        organisation = rng.choice(organisations)
        placed = index < EVENTS_PLACED
        kind = kinds[index % 4] if placed else "own_item"
        events.append(
            Event(
                kind=kind,
                category="meetings"
                if kind == "meeting_new"
                else "follows"
                if placed
                else "own_items",
                item_type=ct_org,
                item_id=str(organisation.pk),
                title=f"Nouveauté {index} : un atelier pour découvrir l'IA",
                summary="Apprendre pas à pas, en petit groupe, près de chez soi.",
                path=f"/opportunites/bench-{index}/",
                created_at=created,
            )
        )
    events = Event.objects.bulk_create(events)
    for index, event in enumerate(events):
        if index < EVENTS_PLACED:
            keys = {(ct_org.pk, event.item_id)}
            for _ in range(rng.randint(1, 2)):
                qpv_index = rng.randrange(QPVS)
                keys.add((ct_qpv.pk, str(qpvs[qpv_index].pk)))
                keys.add((ct_commune.pk, communes[qpv_index // 3].code))
            targets += [
                EventTarget(
                    event=event, content_type_id=ct, object_id=oid, created_at=event.created_at
                )
                for ct, oid in keys
            ]
        else:
            named.append(
                EventRecipient(
                    event=event, user_id=rng.choice(user_ids), created_at=event.created_at
                )
            )
    EventTarget.objects.bulk_create(targets, batch_size=BATCH)
    EventRecipient.objects.bulk_create(named, batch_size=BATCH)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    counts.update(
        people=people,
        events=len(events),
        event_targets=len(targets),
        seconds=round(time.perf_counter() - began, 1),
    )
    return counts


def measure() -> dict:
    """One weekly run, in this (fresh) process: time, messages, peak RSS, queries."""
    from django.db import connection

    from quartiers40.notifications.digests import digest_run

    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    began = time.perf_counter()
    with connection.execute_wrapper(count):
        if os.environ.get("BENCH_DIGESTS_PROFILE"):  # where the time goes, on stderr
            import cProfile
            import pstats

            profile = cProfile.Profile()
            stats = profile.runcall(digest_run, frequency="weekly")
            pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(40)
        else:
            stats = digest_run(frequency="weekly")
    seconds = time.perf_counter() - began
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queued = queries - stats.messages  # one INSERT of a task per message
    return {
        "seconds": round(seconds, 1),
        "people": stats.people,
        "messages": stats.messages,
        "events_in_messages": stats.events,
        "chunks": stats.chunks,
        "queries": queries,
        "queries_per_digest": round(queries / max(1, stats.messages), 3),
        "queries_per_chunk_besides_queueing": round(queued / max(1, stats.chunks), 1),
        "per_message_ms": round(1000 * seconds / max(1, stats.messages), 2),
        "rss_peak_mb": round(rss_peak / 1024, 1),
        "rss_growth_mb": round((rss_peak - rss_before) / 1024, 1),
    }


def child(mode: str, database_url: str, people: int) -> None:
    _django(database_url)
    result = populate(people) if mode == "populate" else measure()
    print(json.dumps(result))


def _run(mode: str, url: str, people: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--url", url, "--people", str(people)],
        cwd=REPO,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--child", choices=["populate", "measure"])
    parser.add_argument("--url")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.url, args.people)
        return 0
    print(f"machine: {machine()}")
    results = []
    for people in (args.people // 10, args.people):
        name = f"q40_bench_digests_{os.getpid()}_{people}"
        url = postgres_database_create(name)
        try:
            data = _run("populate", url, people)
            print(f"[{people:,} people] data: {data}", flush=True)
            result = _run("measure", url, people)
        finally:
            postgres_database_drop(name)
        results.append(result)
        print(f"[{people:,} people] weekly digests: {result}", flush=True)
    small, large = results
    print(
        f"peak RSS {small['rss_peak_mb']} MB at {small['people']:,} people, "
        f"{large['rss_peak_mb']} MB at {large['people']:,}; "
        f"queries per digest {small['queries_per_digest']} and {large['queries_per_digest']}"
    )
    per_second = large["messages"] / max(0.001, large["seconds"])
    print(
        f"{large['messages']:,} weekly digests composed and queued in {large['seconds']} s "
        f"({per_second:.0f} per second); sending them within an hour needs an SMTP relay "
        f"accepting {large['messages'] / 3600:.0f} messages per second "
        f"({large['messages'] / 60:.0f} per minute)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
