"""Throughput and latency of the main public pages, served as in production.

Sets up a throw-away SQLite database with the demo data, starts gunicorn (2 workers,
DEBUG off) on 127.0.0.1, and drives each page with wrk (Debian package `wrk`) for a few
seconds, three times; prints the median requests per second and latency percentiles.
Also prints the number of SQL queries per page (it must not grow with list length).

    .venv/bin/python bench/pages.py
"""

import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    "/",
    "/organisations/",
    "/organisations/?department=93",
    "/connexion/",
    "/territoires/",
    "/territoires/qpv/QN09350I/",
    "/territoires/verifier/?latitude=48.886&longitude=2.354",
    "/projets/",
    "/projets/?theme=digital_inclusion&q=num",
    "/projets/carte/",
    "/projets/carte/points.json",
    "/defis/",
    "/defis/carte/",
    "/rencontres/",
    "/rencontres/petit-dej-ia-2026-12-roubaix/",
]
RUNS = 3
DURATION = "5s"
CONNECTIONS = 16


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


def parse_wrk(output: str) -> tuple[float, float, float]:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))

    def ms(label: str) -> float:
        value, unit = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", output).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    return rps, ms("50"), ms("99")


def main() -> int:
    if shutil.which("wrk") is None:
        print("wrk is missing: apt-get install wrk")
        return 1
    tmp = Path(tempfile.mkdtemp(prefix="q40-bench-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DEBUG": "false",
        "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
        "RATE_LIMITS_ENABLED": "false",
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    qpv = os.environ.get(
        "QPV_SOURCE", str(ROOT.parent / "shared/data/qpv/qpv2024_national_4dp.geojson")
    )
    demo = [*manage, "load_demo"] + (["--qpv-source", qpv] if Path(qpv).exists() else [])
    subprocess.run(demo, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_for(port)
        print(
            f"machine: {os.cpu_count()} cores; gunicorn 2 workers; wrk {CONNECTIONS} connections, "
            f"{DURATION} x {RUNS} runs per page (median)"
        )
        print(f"{'page':<42}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}")
        # `python bench/pages.py / /projets`: only the home page and the pages under /projets.
        prefixes = sys.argv[1:]
        pages = [
            page
            for page in PAGES
            if not prefixes
            or page in prefixes
            or page.startswith(tuple(prefix for prefix in prefixes if prefix != "/"))
        ]
        for page in pages:
            results = []
            for _ in range(RUNS):
                out = subprocess.run(
                    [
                        "wrk",
                        "-t2",
                        f"-c{CONNECTIONS}",
                        f"-d{DURATION}",
                        "--latency",
                        f"http://127.0.0.1:{port}{page}",
                    ],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
                results.append(parse_wrk(out))
            rps, p50, p99 = (statistics.median(values) for values in zip(*results, strict=True))
            print(f"{page:<42}{rps:>10.0f}{p50:>10.1f}{p99:>10.1f}")
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
