"""E-mail leaves the request: cancelling an edition with 200 registrants vs with 2.

The organiser's real page (POST /rencontres/<slug>/organisation/annuler/, signed in,
through Django's test client in-process) on a throw-away SQLite database, with the real
database task queue and a real SMTP server on 127.0.0.1 (aiosmtpd) that takes
SMTP_DELAY_MS per message, as a production relay does. For each size, RUNS fresh editions
are cancelled; the figure is the median request time, and the ratio 200 / 2.

Then the worker (`db_worker --batch`, as in production) delivers what the cancellations
queued: the time it takes and that each registrant got exactly one message, addressed to
them alone. For reference, the same 200 messages sent one by one inside a request, as the
platform did before: what a person would have waited.

    .venv/bin/python bench/emails.py
"""

import asyncio
import logging
import os
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = (2, 200)
RUNS = 5
SMTP_DELAY_MS = 5


class SlowInbox:
    def __init__(self) -> None:
        self.received: list[list[str]] = []

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(SMTP_DELAY_MS / 1000)
        self.received.append(list(envelope.rcpt_tos))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> int:
    from aiosmtpd.controller import Controller

    tmp = Path(tempfile.mkdtemp(prefix="q40-bench-emails-"))
    port = free_port()
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DEBUG="false",
        DATABASE_URL=f"sqlite:///{tmp / 'bench.sqlite3'}",
        RATE_LIMITS_ENABLED="false",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(port),
        EMAIL_TASK_BACKEND="default",
        ALLOWED_HOSTS="testserver,127.0.0.1",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.mail import EmailMessage
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse
    from django_tasks_db.models import DBTaskResult

    from quartiers40.meetings.enums import EditionStatus
    from quartiers40.members.enums import Role
    from tests.meetings.factories import EditionFactory, RegistrationFactory
    from tests.members.factories import MembershipFactory, OrganisationFactory
    from tests.tasks import run_worker

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's chatter
    call_command("migrate", verbosity=0)
    inbox = SlowInbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=port)
    smtp.start()
    try:
        organisation = OrganisationFactory()
        organiser = MembershipFactory(organisation=organisation, role=Role.ADMIN).user
        client = Client()
        client.force_login(organiser)
        timings: dict[int, list[float]] = {size: [] for size in SIZES}
        expected: list[str] = []
        for run in range(RUNS):
            for size in SIZES:
                edition = EditionFactory(
                    series__organisation=organisation,
                    series__kind="local",
                    onsite_capacity=size,
                    slug=f"bench-{size}-{run}",
                )
                for index in range(size):
                    registration = RegistrationFactory(
                        edition=edition, user=None, email=f"p{size}-{run}-{index}@bench.invalid"
                    )
                    expected.append(registration.contact_email)
                url = reverse("meetings:edition_cancel", args=[edition.slug])
                started = time.perf_counter()
                response = client.post(url, {"reason": "Salle indisponible"})
                timings[size].append((time.perf_counter() - started) * 1000)
                edition.refresh_from_db()
                assert response.status_code == 302, response.status_code
                assert edition.status == EditionStatus.CANCELLED, "not cancelled"
        assert inbox.received == [], "an e-mail left inside a request"

        print(
            f"machine: {os.cpu_count()} cores; SQLite; Django test client in-process; "
            f"database task queue; aiosmtpd on 127.0.0.1 with {SMTP_DELAY_MS} ms per message; "
            f"{RUNS} runs per size"
        )
        for size in SIZES:
            values = ", ".join(f"{value:.1f}" for value in timings[size])
            median = statistics.median(timings[size])
            print(f"cancel with {size:>3} registrants: median {median:6.1f} ms  (runs: {values})")
        ratio = statistics.median(timings[SIZES[-1]]) / statistics.median(timings[SIZES[0]])
        print(f"ratio {SIZES[-1]} / {SIZES[0]}: {ratio:.2f}")

        started = time.perf_counter()
        for _ in range(4):  # cancellation task, then fan-out and deliveries as they appear
            run_worker()
        delivery = time.perf_counter() - started
        got = sorted(address for rcpts in inbox.received for address in rcpts)
        one_each = all(len(rcpts) == 1 for rcpts in inbox.received)
        print(
            f"worker: {len(inbox.received)} messages delivered in {delivery:.1f} s "
            f"({len(inbox.received) / delivery:.0f}/s); one recipient each: {one_each}; "
            f"everyone exactly once: {got == sorted(expected)}; "
            f"tasks failed: {DBTaskResult.objects.failed().count()}"
        )

        started = time.perf_counter()
        for index in range(SIZES[-1]):
            EmailMessage("Rencontre annulée", "…", None, [f"ref{index}@bench.invalid"]).send()
        inline = (time.perf_counter() - started) * 1000
        print(
            f"reference: the same {SIZES[-1]} messages sent inside the request, one by one: "
            f"{inline:.0f} ms"
        )
        ok = ratio < 3 and one_each and got == sorted(expected)
        return 0 if ok else 1
    finally:
        smtp.stop()


if __name__ == "__main__":
    sys.exit(main())
