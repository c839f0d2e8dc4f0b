"""Run the real django-tasks database worker inside a test, as `db_worker --batch` does."""

import io
import logging
import signal
from unittest import mock

from django.core.management import call_command


def run_worker() -> None:
    """Run every task that is ready (its `run_after` passed) with the real worker.

    The command installs signal handlers and sets its loggers' levels: both are put back.
    It also closes the database connection when it sees it inside a transaction, which the
    test's own transaction is: that check is turned off here.
    """
    signals = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
    handlers = {number: signal.getsignal(number) for number in signals}
    loggers = [logging.getLogger(name) for name in ("django_tasks", "django_tasks_db")]
    levels = [logger.level for logger in loggers]
    try:
        with mock.patch(
            "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
        ):
            call_command(
                "db_worker",
                "--batch",
                "--no-startup-delay",
                "--no-reload",
                verbosity=0,
                stdout=io.StringIO(),
            )
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
