"""Throughput and latency of the public pages, as a share of the framework's own speed.

Sets up a throw-away database with the demo data (SQLite, or PostgreSQL with `--postgres`:
a database of its own on 127.0.0.1:5432, user postgres, dropped at the end), a throw-away
Redis when `redis-server` is installed (the production cache, which the public page cache
needs), starts gunicorn (2 sync workers, DEBUG off) on 127.0.0.1 for the site and for a bare
one-view Django app (`bench/bare/wsgi.py`), and drives each page with wrk (Debian package
`wrk`): anonymous and signed in (a demo member's session cookie), at 16 connections for the
throughput and at 50 for the latency. Each figure is the median of a few short runs; the bare
view is measured in the same run (before and after the pages), so the shares hold on a busy
machine even when the absolute figures do not.

    .venv/bin/python bench/pages.py                 # every page, SQLite
    .venv/bin/python bench/pages.py --postgres      # the same on PostgreSQL
    .venv/bin/python bench/pages.py / /projets      # the home page and the pages under /projets
    .venv/bin/python bench/pages.py --runs 1 --duration 2s

Targets (issue 17): every public page at >= 25 % of the bare view for anonymous visitors,
>= 5 % signed in, and p99 under 100 ms at 50 connections. Also prints the SQL queries per
page (anonymous, the second visit: 0 when served from the page cache).
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from _setup import (
    ROOT,
    demo_load,
    free_port,
    gunicorn,
    postgres_database_create,
    postgres_database_drop,
    redis_start,
    shell_json,
    wait_for,
)

# {project}, {organisation}, {challenge}, {edition}: a published one of the demo, found at
# start (the demo's editions are dated from the day it is loaded).
PAGES = [
    "/",
    "/organisations/",
    "/organisations/?department=93",
    "/organisations/{organisation}/",
    "/territoires/",
    "/territoires/qpv/QN09350I/",
    "/projets/",
    "/projets/?theme=digital_inclusion&q=num",
    "/projets/{project}/",
    "/projets/carte/",
    "/projets/carte/points.json",
    "/defis/",
    "/defis/{challenge}/",
    "/defis/carte/",
    "/rencontres/",
    "/rencontres/{edition}/",
]
MEMBER_EMAIL = "association@demo.quartiers40.fr"
TARGET_ANONYMOUS = 25.0
TARGET_SIGNED_IN = 5.0
TARGET_P99_MS = 100.0
SETUP = """
import json
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from quartiers40.challenges.models import Challenge
from quartiers40.meetings.models import Edition
from quartiers40.members.models import Organisation, User
from quartiers40.projects.enums import ProjectStatus
from quartiers40.projects.models import Project
user = User.objects.get(email=%r)
session = import_module(settings.SESSION_ENGINE).SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
project = Project.objects.filter(status=ProjectStatus.PUBLISHED).order_by("pk").first()
challenge = Challenge.objects.filter(slug__gt="").order_by("pk").first()
organisation = Organisation.objects.order_by("pk").first()
edition = Edition.objects.visible().order_by("starts_at", "pk").first()
print(json.dumps({
    "session": session.session_key,
    "project": project.slug,
    "challenge": challenge.slug,
    "organisation": organisation.slug,
    "edition": edition.slug,
}))
"""
QUERIES = """
import json, sys
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client(HTTP_HOST="127.0.0.1")
counts = {}
for page in json.loads(sys.stdin.read()):
    client.get(page)
    with CaptureQueriesContext(connection) as queries:
        client.get(page)
    counts[page] = len(queries)
print(json.dumps(counts))
"""


def parse_wrk(output: str) -> dict[str, float]:
    def ms(label: str) -> float:
        value, unit = re.search(rf"\s{label}%\s+([\d.]+)(us|ms|s)", output).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": ms("50"),
        "p90": ms("90"),
        "p99": ms("99"),
        "errors": float(errors.group(1)) if errors else 0.0,
    }


def wrk(url: str, *, connections: int, duration: str, runs: int, cookie: str = "") -> dict:
    results = []
    for _ in range(runs):
        command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}", "--timeout", "10s"]
        command += ["--latency", url]
        if cookie:
            command[1:1] = ["-H", f"Cookie: {cookie}"]
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        results.append(parse_wrk(out))
    return {key: statistics.median(result[key] for result in results) for key in results[0]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("prefixes", nargs="*", help="only the pages starting with these")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL on 127.0.0.1:5432")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--duration", default="3s", help="length of one wrk run")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--no-redis", action="store_true", help="in-process cache (no Redis)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is missing: apt-get install wrk")
        return 1
    tmp = Path(tempfile.mkdtemp(prefix="q40-bench-"))
    processes: list[subprocess.Popen] = []
    database = f"q40_bench_{os.getpid()}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DEBUG": "false",
        "RATE_LIMITS_ENABLED": "false",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("REDIS_URL", None)
    if args.postgres:
        env["DATABASE_URL"] = postgres_database_create(database)
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    try:
        cache = "in-process (page cache off)"
        redis = None if args.no_redis else redis_start(tmp)
        if redis is not None:
            processes.append(redis[0])
            env["REDIS_URL"] = redis[1]
            cache = "Redis"
        demo_load(env)
        found = shell_json(env, SETUP % MEMBER_EMAIL)
        cookie = f"sessionid={found['session']}"
        pages = [page.format(**found) for page in PAGES]
        if args.prefixes:
            pages = [
                page
                for page in pages
                if page in args.prefixes
                or page.startswith(tuple(prefix for prefix in args.prefixes if prefix != "/"))
            ]
        queries = shell_json(env, QUERIES, input=json.dumps(pages))
        port, bare_port = free_port(), free_port()
        processes.append(gunicorn("config.wsgi:application", port, env, args.workers, ROOT))
        processes.append(
            gunicorn("wsgi:application", bare_port, env, args.workers, ROOT / "bench" / "bare")
        )
        wait_for(port)
        wait_for(bare_port)
        figures = {"runs": args.runs, "duration": args.duration}

        def bare() -> dict:
            return wrk(f"http://127.0.0.1:{bare_port}/", connections=16, **figures)

        # Warm up both (imports, templates, caches), then measure the bare view.
        # Several requests each, so that every worker has served every page once.
        urls = [f"http://127.0.0.1:{bare_port}/", *(f"http://127.0.0.1:{port}{p}" for p in pages)]
        for url in urls:
            for who_cookie in ("", cookie):
                command = ["curl", "-s", "-H", f"Cookie: {who_cookie}"]
                command += ["-o", "/dev/null", url] * 2 * args.workers
                subprocess.run(command, check=False)
        bare_before = bare()
        print(
            f"machine: {os.cpu_count()} cores; {'PostgreSQL' if args.postgres else 'SQLite'}; "
            f"cache {cache}; gunicorn {args.workers} sync workers; wrk 16 connections "
            f"(throughput) and 50 (latency), {args.duration} x {args.runs} runs per figure "
            "(median)"
        )
        print(f"bare Django view: {bare_before['rps']:.0f} req/s, p99 {bare_before['p99']:.1f} ms")
        header = (
            f"{'page':<48}{'who':<7}{'req/s':>7}{'share':>7}{'p50':>7}{'p90':>7}{'p99':>7}"
            f"{'p99@50':>8}{'SQL':>5}  ok"
        )
        print(header)
        print(" " * 69 + "(ms)")
        rows = []
        for page in pages:
            for process in processes:
                if process.poll() is not None:
                    raise RuntimeError(f"{process.args[:4]} stopped: killed from outside?")
            url = f"http://127.0.0.1:{port}{page}"
            for who, who_cookie in (("anon", ""), ("signed", cookie)):
                at16 = wrk(url, connections=16, cookie=who_cookie, **figures)
                at50 = wrk(url, connections=50, cookie=who_cookie, **figures)
                rows.append((page, who, at16, at50))
        bare_after = bare()
        bare_rps = statistics.mean([bare_before["rps"], bare_after["rps"]])
        misses = 0
        for page, who, at16, at50 in rows:
            share = 100 * at16["rps"] / bare_rps
            target = TARGET_ANONYMOUS if who == "anon" else TARGET_SIGNED_IN
            ok = share >= target and at50["p99"] < TARGET_P99_MS and not at16["errors"]
            misses += not ok
            sql = str(queries.get(page, "")) if who == "anon" else ""
            print(
                f"{page[:47]:<48}{who:<7}{at16['rps']:>7.0f}{share:>6.1f}%{at16['p50']:>7.1f}"
                f"{at16['p90']:>7.1f}{at16['p99']:>7.1f}{at50['p99']:>8.1f}{sql:>5}  "
                f"{'yes' if ok else 'NO'}"
                + (f" ({at16['errors']:.0f} errors)" if at16["errors"] else "")
            )
        print(
            f"bare Django view after: {bare_after['rps']:.0f} req/s (shares use the mean, "
            f"{bare_rps:.0f}); targets: {TARGET_ANONYMOUS:.0f} % anonymous, "
            f"{TARGET_SIGNED_IN:.0f} % signed in, p99 < {TARGET_P99_MS:.0f} ms at 50 "
            f"connections; {len(rows) - misses}/{len(rows)} met"
        )
    finally:
        for process in reversed(processes):
            process.terminate()
            process.wait(timeout=10)
        if args.postgres:
            postgres_database_drop(database)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
