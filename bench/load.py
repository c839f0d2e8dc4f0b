"""The platform under load, then under load while a worker dies and PostgreSQL restarts.

Sets up (bench/_setup.py) a PostgreSQL database of its own with the demo data (dropped at
the end), a throw-away Redis (cache, sessions), gunicorn with 4 sync workers and one
`manage.py db_worker`, DEBUG off, rate limits off (every client comes from 127.0.0.1: a
per-address limit would refuse them, which is right but not what is measured). Then 50
clients (threads, httpx) run a weighted mix for BENCH_LOAD_SECONDS per phase:

  anonymous pages (home, lists, a project, a défi, a QPV, search, opportunities near a
  commune), signed-in pages (Mon espace, a list), API reads, « je soutiens » on défis and
  registrations to an edition by signed-in bench members, and a small CSV checked against
  the QPVs (posted to /territoires/fichier/, followed until done).

Every answer is checked (status, and a marker proving it is the right page: its <title>
as read once before the load, a JSON key), so a wrong answer is counted as one.

Phase 1: steady. Phase 2: the same, with one gunicorn worker SIGKILLed at 1/3 and
PostgreSQL restarted once at 2/3 (`pg_ctlcluster 15 main restart`: the machine's server,
shared; once per run). Each failed request is classified: a clean 503 (the site's page or
the API's JSON, with Retry-After), a connection reset by the killed worker (a sync worker
serves one request: its request in flight is lost; unavoidable without a proxy that
retries), anything else is a wrong answer. After each phase, what the clients saw succeed
is compared with the database (supports, registrations, batch checks; no duplicate; seats
never above capacity).

    .venv/bin/python bench/load.py                         # 2 x 10 minutes, 50 connections
    BENCH_LOAD_SECONDS=20 nice -n 19 .venv/bin/python bench/load.py
    BENCH_LOAD_FAULTS=0 ...                                # phase 2 without faults
    BENCH_LOAD_PHASES=1 ...                                # the steady phase only
    BENCH_LOAD_PG_RESTART="sleep 3" ...                    # try the script, PostgreSQL left alone
    BENCH_LOAD_USERS=600                                   # bench members per phase (the default)

Exits 1 when a target is missed.
"""

import html
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from _setup import (
    MANAGE,
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

SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "600"))
CONNECTIONS = int(os.environ.get("BENCH_LOAD_CONNECTIONS", "50"))
PHASES = int(os.environ.get("BENCH_LOAD_PHASES", "2"))
FAULTS = os.environ.get("BENCH_LOAD_FAULTS", "1") != "0"
USERS_PER_PHASE = int(os.environ.get("BENCH_LOAD_USERS", "600"))
WORKERS = 4
EDITION_CAPACITY = 25
EDITIONS_PER_PHASE = 2
PG_RESTART = os.environ.get("BENCH_LOAD_PG_RESTART", "pg_ctlcluster 15 main restart").split()
# Full recovery: no failed request later than this after a fault ended.
RECOVERY_TARGET_SECONDS = 30.0
# A connection reset counts as the killed worker's only this close to the kill.
KILL_WINDOW_SECONDS = 3.0
BATCH_CSV = "nom,latitude,longitude\n" + "".join(
    f"point {i},{50.69 + i * 0.001:.4f},{3.17 + i * 0.001:.4f}\n" for i in range(20)
)
UNAVAILABLE_TEXT = "Service momentanément indisponible"
SETUP = r"""
import json
from datetime import timedelta
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.utils import timezone
from quartiers40.challenges.enums import ChallengeStatus
from quartiers40.challenges.models import Challenge
from quartiers40.meetings.enums import EditionFormat, EditionStatus, SeriesStatus
from quartiers40.meetings.models import Edition
from quartiers40.members.models import Organisation, User
from quartiers40.projects.enums import ProjectStatus
from quartiers40.projects.models import Project
from quartiers40.territories.models import QPV
PHASES, USERS, EDITIONS, CAPACITY = %d, %d, %d, %d
store = import_module(settings.SESSION_ENGINE).SessionStore
now = timezone.now()
def session_for(user):
    session = store()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key
model = (
    Edition.objects.filter(
        status=EditionStatus.PUBLISHED, series__status=SeriesStatus.APPROVED,
        registration_open=True, ends_at__gt=now + timedelta(days=2),
    ).order_by("starts_at").first()
)
phases = []
for phase in range(1, PHASES + 1):
    users = User.objects.bulk_create(
        User(email=f"charge-{phase}-{i}@bench.quartiers40.fr", display_name=f"Charge {phase}-{i}",
             email_verified_at=now)
        for i in range(USERS)
    )
    editions = []
    for i in range(EDITIONS):
        edition = Edition.objects.get(pk=model.pk)
        edition.pk = None
        edition.slug = f"charge-{phase}-{i}-{model.slug}"[:160]
        edition.format = EditionFormat.ON_SITE
        edition.onsite_capacity, edition.online_capacity = CAPACITY, None
        edition.registration_sequence = 0
        edition.save()
        editions.append(edition.slug)
    phases.append({
        "users": [[user.pk, session_for(user)] for user in users],
        "editions": editions,
    })
supportable = list(
    Challenge.objects.filter(
        status__in=(ChallengeStatus.OPEN, ChallengeStatus.BEING_ADDRESSED), slug__gt=""
    ).visible().values_list("slug", flat=True)
)
member = User.objects.get(email="association@demo.quartiers40.fr")
qpv = QPV.objects.filter(code="QN09350I").first() or QPV.objects.order_by("code").first()
print(json.dumps({
    "phases": phases,
    "supportable": supportable,
    "member_session": session_for(member),
    "project": Project.objects.filter(status=ProjectStatus.PUBLISHED).order_by("pk").first().slug,
    "challenge": supportable[0],
    "organisation": Organisation.objects.order_by("pk").first().slug,
    "edition": model.slug,
    "qpv": qpv.code,
    "commune": qpv.commune_code if hasattr(qpv, "commune_code") else "",
}))
"""
# What the database holds after a phase, for the bench users of that phase.
COUNTS = r"""
import json, sys
from collections import Counter
from django.db.models import Count
from quartiers40.challenges.models import Challenge, ChallengeSupport
from quartiers40.meetings.enums import SEAT_HOLDING_STATUSES
from quartiers40.meetings.models import Edition, Registration
from quartiers40.territories.models import QPVCheckJob
asked = json.loads(sys.stdin.read())
supports = list(ChallengeSupport.objects.filter(user_id__in=asked["users"]).values_list(
    "user_id", "challenge__slug"))
drift = [
    c.slug for c in Challenge.objects.annotate(n=Count("supports")) if c.n != c.supports_count
]
registrations = list(Registration.objects.filter(edition__slug__in=asked["editions"]).values_list(
    "user_id", "edition__slug", "status"))
over = []
for edition in Edition.objects.filter(slug__in=asked["editions"]):
    held = edition.registrations.filter(status__in=SEAT_HOLDING_STATUSES).count()
    if held > (edition.onsite_capacity or 0):
        over.append([edition.slug, held, edition.onsite_capacity])
jobs = list(QPVCheckJob.objects.filter(public_id__in=asked["jobs"]).values_list(
    "public_id", "status", "rows_total"))
created = QPVCheckJob.objects.filter(created_at__gte=asked["since"]).values_list(
    "public_id", "status")
print(json.dumps({
    "supports": supports, "drift": drift, "registrations": registrations, "over": over,
    "jobs": jobs, "created_jobs": list(created),
}))
"""
TITLE = re.compile(r"<title>(.*?)</title>", re.S)
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# An HTML page that is the site's layout (not a bare text or a traceback).
LAYOUT = 'class="site-header"'


class Wrong(Exception):
    """The answer is not the one expected (status, page, content)."""


@dataclass
class Record:
    """What one client saw: timed requests, failures, and what it saw succeed."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    # (seconds into the phase when seen, kind, class, detail)
    failures: list[tuple[float, str, str, str]] = field(default_factory=list)
    supports: set[tuple[int, str]] = field(default_factory=set)
    supports_unknown: set[tuple[int, str]] = field(default_factory=set)
    registrations: set[tuple[int, str]] = field(default_factory=set)
    registrations_unknown: set[tuple[int, str]] = field(default_factory=set)
    jobs: set[str] = field(default_factory=set)
    jobs_unfinished: set[str] = field(default_factory=set)
    requests: Counter = field(default_factory=Counter)  # per kind
    exhausted: int = 0


class Phase:
    def __init__(self, name: str, base: str, found: dict, number: int, faults: bool):
        self.name, self.base, self.found, self.faults = name, base, found, faults
        data = found["phases"][number]
        self.users = data["users"]
        self.editions = data["editions"]
        self.started = 0.0
        self.stop = threading.Event()
        self.events: list[tuple[float, float, str]] = []  # start, end, what
        self.records: list[Record] = []
        self.lock = threading.Lock()
        # Each (user, défi) and (user, edition) is tried once: a pair whose answer was lost
        # is never tried again, so what the database holds can be told apart.
        pairs = [(u, c) for u, _s in self.users for c in found["supportable"]]
        random.Random(number).shuffle(pairs)
        self.support_pairs = iter(pairs)
        regs = [(u, e) for u, _s in self.users for e in self.editions]
        random.Random(number + 10).shuffle(regs)
        self.registration_pairs = iter(regs)
        self.sessions = dict(self.users)

    def next_pair(self, which: str):
        with self.lock:
            return next(self.support_pairs if which == "support" else self.registration_pairs, None)

    def now(self) -> float:
        return time.monotonic() - self.started


class Client:
    """One connection's worth of a person: a thread of requests, each checked."""

    def __init__(self, phase: Phase, index: int, titles: dict[str, str]):
        self.phase, self.titles = phase, titles
        self.record = Record()
        self.random = random.Random(index)
        self.http = httpx.Client(base_url=phase.base, timeout=30, follow_redirects=False)

    # --- one request, timed and classified -------------------------------------------

    def request(
        self,
        kind: str,
        method: str,
        url: str,
        *,
        check,
        session: str = "",
        csrf: httpx.Response | None = None,
        **kw,
    ):
        """Send, time, check; returns the checked answer, or None when it failed (the
        failure is recorded with its class). `csrf`: the answer whose CSRF cookie to send."""
        cookies = {"sessionid": session} if session else {}
        if csrf is not None:
            cookies["csrftoken"] = csrf.cookies.get("csrftoken", "")
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {}
        start = time.monotonic()
        self.record.requests[kind] += 1
        try:
            self.http.cookies.clear()  # each request says who it is, nothing carried over
            response = self.http.request(method, url, headers=headers, **kw)
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as error:
            self._fail(kind, "reset", f"{type(error).__name__} {url}")
            return None
        except httpx.HTTPError as error:
            self._fail(kind, "wrong", f"{type(error).__name__} {url}")
            return None
        self.record.latencies[kind].append(time.monotonic() - start)
        if response.status_code == 503:
            self._fail(kind, self._unavailable_class(response), url)
            return None
        try:
            check(response)
        except Wrong as error:
            self._fail(kind, "wrong", f"{response.status_code} {url}: {error}")
            return None
        return response

    def _unavailable_class(self, response: httpx.Response) -> str:
        if not response.headers.get("Retry-After"):
            return "wrong"
        if response.headers.get("Content-Type", "").startswith("application/json"):
            try:
                code = response.json()["error"]["code"]
            except (ValueError, KeyError, TypeError):
                return "wrong"
            return "clean 503" if code == "service_unavailable" else "wrong"
        text = html.unescape(response.text)
        if UNAVAILABLE_TEXT in text and LAYOUT in text and "Traceback" not in text:
            return "clean 503"
        return "wrong"

    def _fail(self, kind: str, what: str, detail: str) -> None:
        """Recorded at the moment the failure is seen (a reset: when the worker died)."""
        self.record.failures.append((self.phase.now(), kind, what, detail))

    # --- checks -------------------------------------------------------------------------

    def page(self, path: str, *, signed_in: bool):
        def check(response: httpx.Response) -> None:
            if response.status_code != 200:
                raise Wrong("status")
            found = TITLE.search(response.text)
            if not found or found.group(1).strip() != self.titles[path]:
                raise Wrong(f"title {found.group(1).strip()[:60] if found else None!r}")
            if signed_in != ("/deconnexion/" in response.text):
                raise Wrong("signed in?" if signed_in else "someone's page")

        return check

    @staticmethod
    def api(*keys: str):
        def check(response: httpx.Response) -> None:
            if response.status_code != 200:
                raise Wrong("status")
            try:
                body = response.json()
            except ValueError as error:
                raise Wrong("not JSON") from error
            if not isinstance(body, dict) or any(key not in body for key in keys):
                raise Wrong(f"keys {sorted(body)[:5] if isinstance(body, dict) else type(body)}")

        return check

    @staticmethod
    def redirect(pattern: str):
        def check(response: httpx.Response) -> None:
            if response.status_code != 302 or not re.search(
                pattern, response.headers.get("Location", "")
            ):
                raise Wrong(f"redirect to {response.headers.get('Location')!r}")

        return check

    # --- the mix ------------------------------------------------------------------------

    def anonymous_page(self) -> None:
        path = self.random.choice(ANONYMOUS_PAGES)
        self.request("anonymous page", "GET", path, check=self.page(path, signed_in=False))

    def signed_in_page(self) -> None:
        path = self.random.choice(SIGNED_IN_PAGES)
        session = self.random.choice(self.phase.users)[1]
        self.request(
            "signed-in page", "GET", path, session=session, check=self.page(path, signed_in=True)
        )

    def api_read(self) -> None:
        path, keys = self.random.choice(API_READS)
        self.request("API read", "GET", path, check=self.api(*keys))

    def support(self) -> None:
        pair = self.phase.next_pair("support")
        if pair is None:
            self.record.exhausted += 1
            return self.anonymous_page()
        user, slug = pair
        session = self.phase.sessions[user]
        path = f"/defis/{slug}/"
        detail = self.request(
            "support", "GET", path, session=session, check=self.form_page("soutenir/")
        )
        if detail is None:
            return None
        token = TOKEN.search(detail.text).group(1)
        answer = self.request(
            "support",
            "POST",
            f"{path}soutenir/",
            session=session,
            data={"csrfmiddlewaretoken": token},
            csrf=detail,
            check=self.redirect(rf"^{re.escape(path)}(#soutien)?$"),
        )
        if answer is None:
            self.record.supports_unknown.add(pair)
            return None
        self.record.supports.add(pair)
        return None

    def form_page(self, action: str):
        def check(response: httpx.Response) -> None:
            if response.status_code != 200:
                raise Wrong("status")
            if action not in response.text or not TOKEN.search(response.text):
                raise Wrong(f"no form to {action}")

        return check

    def registration(self) -> None:
        pair = self.phase.next_pair("registration")
        if pair is None:
            self.record.exhausted += 1
            return self.anonymous_page()
        user, slug = pair
        session = self.phase.sessions[user]
        path = f"/rencontres/{slug}/inscription/"
        form = self.request(
            "registration", "GET", path, session=session, check=self.form_page('name="attendance"')
        )
        if form is None:
            return None
        answer = self.request(
            "registration",
            "POST",
            path,
            session=session,
            data={
                "csrfmiddlewaretoken": TOKEN.search(form.text).group(1),
                "attendance": "on_site",
            },
            csrf=form,
            check=self.redirect(r"^/rencontres/inscription/[^/]+/$"),
        )
        if answer is None:
            self.record.registrations_unknown.add(pair)
            return None
        self.record.registrations.add(pair)
        return None

    def batch_check(self) -> None:
        path = "/territoires/fichier/"
        form = self.request("batch check", "GET", path, check=self.form_page('name="fichier"'))
        if form is None:
            return None
        answer = self.request(
            "batch check",
            "POST",
            path,
            data={"csrfmiddlewaretoken": TOKEN.search(form.text).group(1)},
            files={"fichier": ("adresses.csv", BATCH_CSV.encode(), "text/csv")},
            csrf=form,
            check=self.redirect(r"^/territoires/fichier/[\w-]+/$"),
        )
        if answer is None:
            return None
        job_path = answer.headers["Location"]
        public_id = job_path.rstrip("/").rsplit("/", 1)[-1]
        self.record.jobs.add(public_id)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            state = self.request(
                "batch poll", "GET", f"{job_path}etat.json", check=self.api("status", "finished")
            )
            if state is not None and state.json()["finished"]:
                if state.json()["status"] != "done":
                    self._fail("batch check", "wrong", f"job {public_id}")
                return None
            time.sleep(1.5)  # as the job page does (territories/batch/job.js)
        self.record.jobs_unfinished.add(public_id)
        return None

    def run(self) -> None:
        actions = [
            (self.anonymous_page, 50),
            (self.signed_in_page, 14),
            (self.api_read, 20),
            (self.support, 8),
            (self.registration, 6),
            (self.batch_check, 1),
        ]
        functions = [a for a, _w in actions]
        weights = [w for _a, w in actions]
        while not self.phase.stop.is_set():
            action = self.random.choices(functions, weights)[0]
            try:
                action()
            except Exception as error:  # an answer the driver could not even read
                self._fail(action.__name__, "wrong", repr(error)[:200])
        self.http.close()


ANONYMOUS_PAGES: list[str] = []
SIGNED_IN_PAGES: list[str] = []
API_READS: list[tuple[str, tuple[str, ...]]] = []


def mix_set(found: dict) -> None:
    ANONYMOUS_PAGES[:] = [
        "/",
        "/projets/",
        "/defis/",
        "/organisations/",
        "/rencontres/",
        "/territoires/",
        f"/projets/{found['project']}/",
        f"/defis/{found['challenge']}/",
        f"/organisations/{found['organisation']}/",
        f"/rencontres/{found['edition']}/",
        f"/territoires/qpv/{found['qpv']}/",
        "/recherche/?q=num%C3%A9rique",
        "/opportunites/?lieu=Roubaix&commune=59512",
    ]
    SIGNED_IN_PAGES[:] = ["/compte/", "/projets/", "/defis/", "/rencontres/mes-inscriptions/"]
    API_READS[:] = [
        ("/api/v1/projects/", ("count", "items")),
        ("/api/v1/challenges/", ("count", "items")),
        ("/api/v1/organisations/", ("count", "items")),
        ("/api/v1/meetings/editions/", ("count", "items")),
        (f"/api/v1/challenges/{found['challenge']}/", ("slug",)),
    ]


def titles_read(base: str, found: dict) -> dict[str, str]:
    """Each page's <title>, read once before the load: the marker of the right page."""
    titles = {}
    with httpx.Client(base_url=base, timeout=60) as http:
        paths = [(path, "") for path in ANONYMOUS_PAGES]
        paths += [(p, found["member_session"]) for p in SIGNED_IN_PAGES if p not in ANONYMOUS_PAGES]
        for path, session in paths:  # a list both ways has one title
            headers = {"Cookie": f"sessionid={session}"} if session else {}
            http.cookies.clear()
            response = http.get(path, headers=headers)
            title = TITLE.search(response.text)
            if response.status_code != 200 or title is None:
                raise RuntimeError(f"{path}: {response.status_code} before the load")
            titles[path] = title.group(1).strip()
        for path, _keys in API_READS:
            response = http.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"{path}: {response.status_code} before the load")
    return titles


class Supervisor:
    """gunicorn and db_worker; restarts db_worker when it exits (as systemd would)."""

    def __init__(self, env: dict, port: int, logs: Path):
        self.env, self.port, self.logs = env, port, logs
        self.web = gunicorn(
            "config.wsgi:application",
            port,
            env,
            WORKERS,
            ROOT,
            timeout=30,
            stderr=open(logs / "gunicorn.log", "ab"),  # noqa: SIM115 - the process keeps it
        )
        self.worker = self._worker()
        self.worker_exits: list[tuple[float, int]] = []
        self.watching = True
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    def _worker(self) -> subprocess.Popen:
        return subprocess.Popen(
            [*MANAGE, "db_worker", "--interval", "0.2"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=open(self.logs / "db_worker.log", "ab"),
        )

    def _watch(self) -> None:
        while self.watching:
            code = self.worker.poll()
            if code is not None:
                self.worker_exits.append((time.monotonic(), code))
                time.sleep(1)
                self.worker = self._worker()
            time.sleep(0.2)

    def web_workers(self) -> list[int]:
        path = Path(f"/proc/{self.web.pid}/task/{self.web.pid}/children")
        return [int(pid) for pid in path.read_text().split()]

    def stop(self) -> None:
        self.watching = False
        self.thread.join()
        for process in (self.worker, self.web):
            process.terminate()
            process.wait(timeout=20)


def faults_run(phase: Phase, supervisor: Supervisor) -> None:
    """At 1/3: SIGKILL one gunicorn worker; at 2/3: restart PostgreSQL (once)."""
    if phase.stop.wait(SECONDS / 3):  # the phase never stops before the faults ran
        return
    victim = supervisor.web_workers()[0]
    at = phase.now()
    os.kill(victim, signal.SIGKILL)
    phase.events.append((at, at, f"gunicorn worker {victim} killed (SIGKILL)"))
    if phase.stop.wait(max(0.0, 2 * SECONDS / 3 - phase.now())):
        return
    at = phase.now()
    result = subprocess.run(PG_RESTART, capture_output=True, text=True, check=False)
    what = " ".join(PG_RESTART) + ("" if result.returncode == 0 else f" FAILED: {result.stderr}")
    phase.events.append((at, phase.now(), what))


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def phase_run(phase: Phase, supervisor: Supervisor, titles: dict, env: dict) -> list[str]:
    """Run the phase, print its table and verdicts; returns the missed targets."""
    since = shell_json(
        env,
        "import json; from django.utils import timezone; "
        "print(json.dumps(timezone.now().isoformat()))",
    )
    clients = [Client(phase, i + hash(phase.name) % 1000, titles) for i in range(CONNECTIONS)]
    phase.records = [client.record for client in clients]
    threads = [threading.Thread(target=client.run) for client in clients]
    phase.started = time.monotonic()
    for thread in threads:
        thread.start()
    faults = None
    if phase.faults:
        faults = threading.Thread(target=faults_run, args=(phase, supervisor))
        faults.start()
    phase.stop.wait(SECONDS)
    if faults is not None:
        # Keep the load on long enough after the last fault to see the recovery.
        faults.join()
        if phase.events:
            last_end = max(end for _start, end, _what in phase.events)
            time.sleep(max(0.0, last_end + RECOVERY_TARGET_SECONDS - phase.now()))
    phase.stop.set()
    for thread in threads:
        thread.join()
    if faults is not None:
        faults.join()
    elapsed = phase.now()
    worker_exits = [
        (t - phase.started, code) for t, code in supervisor.worker_exits if t >= phase.started
    ]
    return report(phase, elapsed, env, since, worker_exits)


def report(phase: Phase, elapsed: float, env: dict, since: str, worker_exits) -> list[str]:
    records = phase.records
    latencies: dict[str, list[float]] = defaultdict(list)
    failures = sorted(failure for record in records for failure in record.failures)
    for record in records:
        for kind, values in record.latencies.items():
            latencies[kind].extend(values)
    counted: Counter = Counter()
    for record in records:
        counted.update(record.requests)
    requests = sum(counted.values())
    kills = [start for start, _end, what in phase.events if "killed" in what]

    def failure_class(at: float, what: str) -> str:
        if what == "reset":
            near_kill = any(0 <= at - kill <= KILL_WINDOW_SECONDS for kill in kills)
            return "reset (killed worker)" if near_kill else "wrong"
        return what

    classes = Counter(failure_class(at, what) for at, _kind, what, _d in failures)
    by_kind: dict[str, Counter] = defaultdict(Counter)
    for at, kind, what, _detail in failures:
        by_kind[kind][failure_class(at, what)] += 1

    print(f"\n--- phase {phase.name}: {elapsed:.0f} s, {CONNECTIONS} clients ---")
    for i, (start, end, what) in enumerate(phase.events):
        # Failures from just before the fault to the next fault (or the recovery window).
        upper = phase.events[i + 1][0] - 0.5 if i + 1 < len(phase.events) else float("inf")
        seen = [f for f in failures if start - 1 <= f[0] <= min(upper, end + 60)]
        during = Counter(failure_class(at, how) for at, _kind, how, _d in seen)
        print(
            f"  at {start:6.1f} s (to {end:.1f} s): {what}; "
            + (
                f"{len(seen)} failed requests, seen from {seen[0][0]:.1f} to "
                f"{max(f[0] for f in seen):.1f} s: "
                + ", ".join(f"{n} {c}" for c, n in sorted(during.items()))
                if seen
                else "no failed request"
            )
        )
    for at, code in worker_exits:
        print(f"  at {at:6.1f} s: db_worker exited ({code}); started again 1 s later")
    print(f"{'kind':<16}{'requests':>9}{'p50':>8}{'p95':>8}{'p99':>8}  failed (class)")
    print(" " * 25 + "(ms)")
    for kind in sorted(set(latencies) | set(counted)):
        values = latencies[kind]
        failed = ", ".join(f"{n} {c}" for c, n in sorted(by_kind[kind].items())) or "0"
        count = counted[kind]
        print(
            f"{kind:<16}{count:>9}{percentile(values, 0.5):>8.0f}{percentile(values, 0.95):>8.0f}"
            f"{percentile(values, 0.99):>8.0f}  {failed}"
        )
    print(
        f"{'all':<16}{requests:>9}  {requests / elapsed:.1f} requests/s; failed: "
        + (", ".join(f"{n} {c}" for c, n in sorted(classes.items())) or "none")
    )
    wrong = [f for f in failures if failure_class(f[0], f[2]) == "wrong"]
    for at, kind, _what, detail in wrong[:10]:
        print(f"  wrong at {at:.1f} s ({kind}): {detail[:150]}")

    # Recovery: how long after the last fault ended the last failure was seen.
    recovery = None
    if phase.events:
        first_start = min(start for start, _end, _what in phase.events)
        last_end = max(end for _start, end, _what in phase.events)
        after = [at for at, *_rest in failures if at >= first_start - 1]
        recovery = max(0.0, max(after) - last_end) if after else 0.0

    # Nothing lost: what the clients saw succeed, against the database.
    supports = set().union(*(r.supports for r in records))
    supports_unknown = set().union(*(r.supports_unknown for r in records))
    registrations = set().union(*(r.registrations for r in records))
    registrations_unknown = set().union(*(r.registrations_unknown for r in records))
    jobs = set().union(*(r.jobs for r in records))
    unfinished = set().union(*(r.jobs_unfinished for r in records))
    deadline = time.monotonic() + 120
    while True:  # the queue drains (the last batch checks)
        counts = shell_json(
            env,
            COUNTS,
            input=json.dumps(
                {
                    "users": [u for u, _s in phase.users],
                    "editions": phase.editions,
                    "jobs": sorted(jobs),
                    "since": since,
                }
            ),
        )
        pending = [j for j in counts["created_jobs"] if j[1] not in ("done", "failed")]
        if not pending or time.monotonic() > deadline:
            break
        time.sleep(2)
    db_supports = {tuple(pair) for pair in counts["supports"]}
    db_registrations = Counter((user, slug) for user, slug, _status in counts["registrations"])
    lost_supports = supports - db_supports
    extra_supports = db_supports - supports - supports_unknown
    lost_registrations = registrations - set(db_registrations)
    extra_registrations = set(db_registrations) - registrations - registrations_unknown
    duplicates = [pair for pair, n in db_registrations.items() if n > 1]
    job_states = {public_id: status for public_id, status, _rows in counts["jobs"]}
    jobs_not_done = [j for j in jobs if job_states.get(j) != "done"]
    created_not_done = [j for j, status in counts["created_jobs"] if status != "done"]
    statuses = Counter(status for _u, _s, status in counts["registrations"])

    print(
        f"supports: {len(supports)} seen succeed, {len(db_supports)} in the database "
        f"({len(db_supports & supports_unknown)} of {len(supports_unknown)} whose answer was "
        f"lost were saved); lost {len(lost_supports)}, unexplained {len(extra_supports)}, "
        f"counters off on {len(counts['drift'])} défis"
    )
    print(
        f"registrations: {len(registrations)} seen succeed, {sum(db_registrations.values())} in "
        f"the database ({dict(statuses)}); lost {len(lost_registrations)}, unexplained "
        f"{len(extra_registrations)}, duplicates {len(duplicates)}, over capacity "
        f"{counts['over'] or 'never'} (capacity {EDITION_CAPACITY} x {len(phase.editions)})"
    )
    print(
        f"batch checks: {len(jobs)} sent, {len(jobs) - len(jobs_not_done)} done; "
        f"{len(counts['created_jobs'])} created in the phase, {len(created_not_done)} not done; "
        f"{len(unfinished)} not finished within 120 s of polling"
    )
    exhausted = sum(r.exhausted for r in records)
    if exhausted:
        print(f"  ({exhausted} writes found no (member, défi/edition) pair left: pages instead)")

    missed = []

    def verdict(ok: bool, text: str) -> None:
        print(f"{'ok  ' if ok else 'MISS'} {phase.name}: {text}")
        if not ok:
            missed.append(f"{phase.name}: {text}")

    verdict(not wrong, f"wrong answers: {len(wrong)} (target 0)")
    allowed = {"clean 503", "reset (killed worker)"} if phase.faults else set()
    others = sum(n for c, n in classes.items() if c not in allowed)
    verdict(
        others == 0,
        "every failed request a clean 503 or the killed worker's reset"
        if phase.faults
        else "no failed request",
    )
    if phase.faults:
        verdict(
            len(phase.events) == 2 and not any("FAILED" in what for *_t, what in phase.events),
            "both faults happened (a worker killed, PostgreSQL restarted)",
        )
        print(
            f"     {classes['clean 503']} clean 503, {classes['reset (killed worker)']} connection "
            f"reset(s) of the killed worker's requests in flight (a sync worker serves one "
            "request at a time; without a proxy that retries, these are lost to the client)"
        )
        last_failure = max((f[0] for f in failures), default=None)
        verdict(
            recovery is not None and recovery <= RECOVERY_TARGET_SECONDS,
            f"full recovery: {recovery:.1f} s after the last fault ended, no failure any more "
            f"(target {RECOVERY_TARGET_SECONDS:.0f} s; the last failure at "
            + (f"{last_failure:.1f} s" if last_failure is not None else "none")
            + f"; the load went on to {elapsed:.0f} s)"
            if recovery is not None
            else "full recovery: the faults did not happen",
        )
    verdict(
        not lost_supports and not extra_supports and not counts["drift"],
        "supports: nothing lost, nothing unexplained, counters right",
    )
    verdict(
        not lost_registrations
        and not extra_registrations
        and not duplicates
        and not counts["over"],
        "registrations: nothing lost, no duplicate, never above capacity",
    )
    verdict(
        not jobs_not_done and not created_not_done,
        f"batch checks: every one finished ({len(counts['created_jobs'])})",
    )
    return missed


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="q40-load-"))
    database = f"q40_load_{os.getpid()}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DEBUG": "false",
        "RATE_LIMITS_ENABLED": "false",
        "GEOCODER_ENABLED": "false",
        "MAP_TILES_ENABLED": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        # A new connection per request (the default): a restarted PostgreSQL is found again
        # by the next request. With persistent connections, CONN_HEALTH_CHECKS is needed.
        "DATABASE_CONN_MAX_AGE": os.environ.get("DATABASE_CONN_MAX_AGE", "0"),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    env["DATABASE_URL"] = postgres_database_create(database)
    processes = []
    supervisor = None
    missed: list[str] = []
    try:
        redis = redis_start(tmp)
        if redis is None:
            print("redis-server is missing: apt-get install redis-server")
            return 1
        processes.append(redis[0])
        env["REDIS_URL"] = redis[1]
        demo_load(env)
        found = shell_json(
            env, SETUP % (PHASES, USERS_PER_PHASE, EDITIONS_PER_PHASE, EDITION_CAPACITY)
        )
        mix_set(found)
        port = free_port()
        supervisor = Supervisor(env, port, tmp)
        wait_for(port)
        base = f"http://127.0.0.1:{port}"
        titles = titles_read(base, found)
        print(
            f"machine: {os.cpu_count()} cores; PostgreSQL (database {database}), Redis; "
            f"gunicorn {WORKERS} sync workers + 1 db_worker; DEBUG off; rate limits off; "
            f"DATABASE_CONN_MAX_AGE={env['DATABASE_CONN_MAX_AGE']}; {CONNECTIONS} clients; "
            f"{SECONDS:.0f} s per phase; {len(found['supportable'])} défis to support, "
            f"{USERS_PER_PHASE} bench members per phase"
        )
        names = [("steady", False), ("faults", FAULTS)][:PHASES]
        for number, (name, faults) in enumerate(names):
            phase = Phase(name, base, found, number, faults)
            missed += phase_run(phase, supervisor, titles, env)
        print(
            f"\n{'all targets met' if not missed else f'{len(missed)} target(s) missed'} "
            f"(logs: {tmp})"
        )
    finally:
        if supervisor is not None:
            supervisor.stop()
        for process in reversed(processes):
            process.terminate()
            process.wait(timeout=10)
        postgres_database_drop(database)
        if not missed:
            shutil.rmtree(tmp, ignore_errors=True)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
