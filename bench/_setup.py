"""What the benchmarks that run the real site share (bench/pages.py, bench/load.py).

A throw-away database with the demo data (SQLite in a temporary directory, or a PostgreSQL
database of its own on 127.0.0.1:5432, user postgres, dropped at the end), a throw-away
redis-server on a free port, gunicorn, and `manage.py shell -c` scripts that print JSON.
"""

import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANAGE = [sys.executable, "manage.py"]


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
    raise RuntimeError(f"nothing answers on port {port}")


def gunicorn(
    app: str,
    port: int,
    env: dict,
    workers: int,
    chdir: Path,
    *,
    timeout: int = 120,
    extra: tuple[str, ...] = (),
    **popen,
) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            app,
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--timeout",
            str(timeout),
            "--chdir",
            str(chdir),
            *extra,
        ],
        cwd=chdir,
        env=env,
        **popen,
    )


def psql(sql: str) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", sql],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def postgres_database_create(name: str) -> str:
    """A database of its own for the run; its DATABASE_URL. Drop it with
    `postgres_database_drop` (in a `finally`)."""
    psql(f"CREATE DATABASE {name}")
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def postgres_database_drop(name: str) -> None:
    psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def redis_start(directory: Path) -> tuple[subprocess.Popen, str] | None:
    """A throw-away redis-server (no persistence) on a free port, or None when it is not
    installed. Returns the process and its REDIS_URL."""
    if shutil.which("redis-server") is None:
        return None
    port = free_port()
    process = subprocess.Popen(
        [
            *("redis-server", "--port", str(port), "--bind", "127.0.0.1"),
            *("--save", "", "--appendonly", "no", "--dir", str(directory)),
        ],
        stdout=subprocess.DEVNULL,
    )
    wait_for(port)
    return process, f"redis://127.0.0.1:{port}/0"


def demo_load(env: dict) -> None:
    """Migrate, then load the demo (with the national QPV layer when it is on the machine)."""
    subprocess.run([*MANAGE, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    qpv = os.environ.get(
        "QPV_SOURCE", str(ROOT.parent / "shared/data/qpv/qpv2024_national_4dp.geojson")
    )
    demo = [*MANAGE, "load_demo"] + (["--qpv-source", qpv] if Path(qpv).exists() else [])
    subprocess.run(demo, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def shell_json(env: dict, code: str, *, input: str | None = None):
    """Run `code` with `manage.py shell -c`; its last printed line, read as JSON."""
    out = subprocess.run(
        [*MANAGE, "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        input=input,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def machine() -> str:
    """The machine a benchmark ran on: cores, CPU model, load average, Python."""
    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            model = next(
                (line.split(":", 1)[1].strip() for line in info if line.startswith("model name")),
                "",
            )
    except OSError:
        pass
    load = os.getloadavg()
    return (
        f"{os.cpu_count()} cores{f' ({model})' if model else ''}, "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, "
        f"Python {platform.python_version()}"
    )
