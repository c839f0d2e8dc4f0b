"""Registration to a meeting under load: throughput, latency, and the seat invariant.

Starts the real server (gunicorn, DEBUG off) on the demo data, creates an edition with
SEATS on-site seats and CLIENTS_TOTAL signed-in people, then 50 concurrent clients register
them through the real pages (GET the form for its CSRF token, then POST it), as people do.
Afterwards it checks what must hold: exactly SEATS confirmed, everyone else on the waiting
list in order of arrival (nobody confirmed after someone who waits), one registration each,
no server error. Three runs; prints each and the median.

    .venv/bin/python bench/registrations.py         # a throw-away SQLite database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/q40 .venv/bin/python bench/registrations.py

With DATABASE_URL the given (existing) database is migrated, the demo loaded if missing, and
the bench's edition and people are deleted at the end. E-mails go to Django's dummy backend
(sending is not what we measure); database connections persist 60 s (DATABASE_CONN_MAX_AGE),
as they should in production.

SQLite runs with `transaction_mode=IMMEDIATE` and a 20 s busy timeout: with SQLite's default
deferred transactions, concurrent writers fail with "database is locked" (HTTP 500) instead
of waiting their turn. PostgreSQL needs nothing: the edition's row lock orders the sign-ups.
"""

import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONCURRENCY = 50
CLIENTS_TOTAL = 200
SEATS = 50
RUNS = 3
WORKERS = max(2, 2 * (os.cpu_count() or 1))
BENCH_DOMAIN = "bench.invalid"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


# --- Inside Django (run as subprocesses: `--setup`, `--check`, `--cleanup`) -------------


def _django():
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def setup(people: int, seats: int) -> dict:
    """An approved series' published on-site edition, and `people` signed-in sessions."""
    _django()
    from datetime import timedelta
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils import timezone

    from quartiers40.meetings.enums import EditionFormat, EditionStatus, SeriesKind, SeriesStatus
    from quartiers40.meetings.models import Edition, Series
    from quartiers40.members.models import User

    tag = uuid.uuid4().hex[:8]
    series, _created = Series.objects.get_or_create(
        slug="bench-series",
        defaults={
            "name": "Bench",
            "kind": SeriesKind.NATIONAL,
            "status": SeriesStatus.APPROVED,
        },
    )
    starts = timezone.now() + timedelta(days=30)
    edition = Edition.objects.create(
        series=series,
        slug=f"bench-{tag}",
        title=f"Bench {tag}",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        format=EditionFormat.ON_SITE,
        address="Bench",
        onsite_capacity=seats,
        status=EditionStatus.PUBLISHED,
    )
    store = import_module(settings.SESSION_ENGINE).SessionStore
    backend = settings.AUTHENTICATION_BACKENDS[0]
    users = User.objects.bulk_create(
        [
            User(email=f"{tag}-{index}@{BENCH_DOMAIN}", display_name=f"Bench {index}")
            for index in range(people)
        ]
    )
    sessions = []
    for user in User.objects.filter(pk__in=[user.pk for user in users]).order_by("pk"):
        user.set_unusable_password()
        user.save(update_fields=["password"])
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        sessions.append(session.session_key)
    return {
        "slug": edition.slug,
        "cookie": settings.SESSION_COOKIE_NAME,
        "sessions": sessions,
        "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
    }


def check(slug: str) -> dict:
    _django()
    from django.db.models import Count

    from quartiers40.meetings.models import Edition

    edition = Edition.objects.get(slug=slug)
    rows = list(edition.registrations.order_by("sequence").values_list("status", "sequence"))
    confirmed = [sequence for status, sequence in rows if status == "confirmed"]
    waiting = [sequence for status, sequence in rows if status == "waiting"]
    per_user = edition.registrations.values("user").annotate(n=Count("pk")).filter(n__gt=1)
    return {
        "capacity": edition.onsite_capacity,
        "confirmed": len(confirmed),
        "waiting": len(waiting),
        "other": len(rows) - len(confirmed) - len(waiting),
        # Arrival order: the confirmed are the first arrivals, the waiting list follows.
        "arrival_order_kept": not confirmed
        or not waiting
        or (max(confirmed) < min(waiting) and waiting == sorted(waiting)),
        "sequences_unique": len({sequence for _status, sequence in rows}) == len(rows),
        "duplicates": per_user.count(),
    }


def cleanup(slug: str) -> None:
    _django()
    from quartiers40.meetings.models import Edition, Series
    from quartiers40.members.models import User

    tag = slug.removeprefix("bench-")
    Edition.objects.filter(slug=slug).delete()
    Series.objects.filter(slug="bench-series", editions__isnull=True).delete()
    User.objects.filter(email__startswith=f"{tag}-", email__endswith=f"@{BENCH_DOMAIN}").delete()


# --- Outside: the server and the clients --------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def inside(env: dict, *args: str) -> dict | None:
    out = subprocess.run(
        [sys.executable, __file__, *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out) if out.strip() else None


def fire(base_url: str, plan: dict) -> dict:
    """CONCURRENCY threads, each a client registering the next signed-in person in turn."""
    import httpx

    sessions = list(plan["sessions"])
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: list[int] = []
    errors: list[str] = []
    form_url = f"{base_url}/rencontres/{plan['slug']}/inscription/"

    def next_session() -> str | None:
        with lock:
            return sessions.pop(0) if sessions else None

    def client_loop() -> None:
        # One HTTP client per simulated browser; its cookies are reset for each person.
        with httpx.Client(timeout=60, follow_redirects=False) as client:
            while (session_key := next_session()) is not None:
                client.cookies.clear()
                client.cookies.set(plan["cookie"], session_key)
                try:
                    form = client.get(form_url)
                    match = CSRF_INPUT.search(form.text)
                    if form.status_code != 200 or match is None:
                        raise RuntimeError(f"form: HTTP {form.status_code}")
                    started = time.perf_counter()
                    response = client.post(
                        form_url,
                        data={"csrfmiddlewaretoken": match.group(1), "attendance": "on_site"},
                        headers={"Referer": form_url},
                    )
                    elapsed = time.perf_counter() - started
                except (httpx.HTTPError, RuntimeError) as error:
                    with lock:
                        errors.append(str(error))
                    continue
                with lock:
                    latencies.append(elapsed * 1000)
                    statuses.append(response.status_code)

    threads = [threading.Thread(target=client_loop) for _ in range(CONCURRENCY)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return {
        "throughput": len(latencies) / wall,
        "p50": percentile(latencies, 0.50) if latencies else 0.0,
        "p95": percentile(latencies, 0.95) if latencies else 0.0,
        "p99": percentile(latencies, 0.99) if latencies else 0.0,
        "redirects": sum(1 for status in statuses if status == 302),
        "server_errors": sum(1 for status in statuses if status >= 500),
        "other_statuses": sorted({status for status in statuses if status not in (302,)}),
        "client_errors": errors,
    }


def main() -> int:
    given_database = os.environ.get("DATABASE_URL", "")
    tmp = Path(tempfile.mkdtemp(prefix="q40-bench-registrations-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DEBUG": "false",
        "DATABASE_URL": given_database
        or f"sqlite:///{tmp / 'bench.sqlite3'}?timeout=20&transaction_mode=IMMEDIATE",
        "RATE_LIMITS_ENABLED": "false",
        # Persistent connections, as in production (a new PostgreSQL backend per request
        # would dominate the figures).
        "DATABASE_CONN_MAX_AGE": os.environ.get("DATABASE_CONN_MAX_AGE", "60"),
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "load_demo"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=env,
    )
    failures = 0
    results = []
    try:
        wait_for(port)
        database = "PostgreSQL" if given_database.startswith("postgres") else "SQLite"
        print(
            f"machine: {os.cpu_count()} cores; {database}; gunicorn {WORKERS} sync workers; "
            f"{CONCURRENCY} concurrent clients register {CLIENTS_TOTAL} signed-in people for "
            f"{SEATS} seats (GET form + POST); {RUNS} runs"
        )
        print(
            f"{'run':<6}{'reg/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
            f"{'confirmed':>11}{'waiting':>9}{'5xx':>5}  invariant"
        )
        for run in range(1, RUNS + 1):
            plan = inside(env, "--setup", str(CLIENTS_TOTAL), str(SEATS))
            try:
                result = fire(f"http://127.0.0.1:{port}", plan)
                state = inside(env, "--check", plan["slug"])
            finally:
                inside(env, "--cleanup", plan["slug"])
            holds = (
                state["confirmed"] == SEATS
                and state["waiting"] == CLIENTS_TOTAL - SEATS
                and state["other"] == 0
                and state["arrival_order_kept"]
                and state["sequences_unique"]
                and state["duplicates"] == 0
                and result["server_errors"] == 0
                and not result["client_errors"]
                and result["redirects"] == CLIENTS_TOTAL
            )
            failures += not holds
            results.append(result)
            print(
                f"{run:<6}{result['throughput']:>8.1f}{result['p50']:>9.0f}{result['p95']:>9.0f}"
                f"{result['p99']:>9.0f}{state['confirmed']:>11}{state['waiting']:>9}"
                f"{result['server_errors']:>5}  {'ok' if holds else 'BROKEN'}"
            )
            if not holds:
                print(
                    f"      state={state} statuses={result['other_statuses']} "
                    f"client_errors={result['client_errors'][:3]}"
                )
        medians = {
            key: statistics.median(result[key] for result in results)
            for key in ("throughput", "p50", "p95", "p99")
        }
        print(
            f"{'median':<6}{medians['throughput']:>8.1f}{medians['p50']:>9.0f}"
            f"{medians['p95']:>9.0f}{medians['p99']:>9.0f}"
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--setup":
        print(json.dumps(setup(int(sys.argv[2]), int(sys.argv[3]))))
    elif len(sys.argv) > 1 and sys.argv[1] == "--check":
        print(json.dumps(check(sys.argv[2])))
    elif len(sys.argv) > 1 and sys.argv[1] == "--cleanup":
        cleanup(sys.argv[2])
    else:
        sys.exit(main())
