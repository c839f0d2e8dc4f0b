"""Rate limits hold across processes: two real processes share one budget."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

# Runs in a child process: `create` makes the counters' table in an empty SQLite file;
# `hit START N` waits for START (so both children hit together) then counts one sign-in
# attempt N times and prints how many got through.
CHILD = """
import os, sys, time
import django
django.setup()
from django.conf import settings
from django.db import connection
settings.RATE_LIMITS = {**settings.RATE_LIMITS, "shared_test": (5, 86400)}
if sys.argv[1] == "create":
    from quartiers40.core.models import RateLimitCounter
    with connection.schema_editor() as editor:
        editor.create_model(RateLimitCounter)
    sys.exit(0)
from quartiers40.core.ratelimit import rate_limit_hit
start, count = float(sys.argv[2]), int(sys.argv[3])
while time.time() < start:
    time.sleep(0.005)
print(sum(not rate_limit_hit("shared_test", "awa@exemple.fr").limited for _ in range(count)))
"""


def _env(database_url: str, store: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=database_url,
        RATE_LIMIT_STORE=store,
        PYTHONPATH=str(ROOT),
    )
    env.pop("REDIS_URL", None)
    return env


def _database_url(tmp_path) -> str:
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        user = settings_dict["USER"]
        password = f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
        host, port = settings_dict["HOST"] or "127.0.0.1", settings_dict["PORT"] or 5432
        return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", CHILD, "create"],
        cwd=ROOT,
        env=_env(url, "database"),
        check=True,
        timeout=120,
    )
    return url


def _two_processes(url: str, store: str, hits: int = 20) -> int:
    start = str(time.time() + 4)  # both have started Django by then
    children = [
        subprocess.Popen(  # noqa: S603
            [sys.executable, "-c", CHILD, "hit", start, str(hits)],
            cwd=ROOT,
            env=_env(url, store),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    passed = 0
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        passed += int(out.strip())
    return passed


@pytest.mark.django_db(transaction=True)
def test_the_database_store_holds_the_limit_across_two_processes(tmp_path):
    assert _two_processes(_database_url(tmp_path), "database") == 5


@pytest.mark.django_db(transaction=True)
def test_the_per_process_cache_would_not_hold_it(tmp_path):
    """Why the in-process cache is never the store (and `check --deploy` says so)."""
    assert _two_processes(_database_url(tmp_path), "cache") == 10
