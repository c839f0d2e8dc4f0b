"""`manage.py notifications_digest --frequency daily|weekly`: queue every digest now.

Cron: daily at 7:00, weekly on Monday at 7:00 (see docs/notifications.md). A second run
sends nothing new: each person's digest starts where their last one stopped.
"""

from django.core.management.base import BaseCommand

from quartiers40.notifications.digests import PERIODS, digest_run


class Command(BaseCommand):
    help = "Queue the daily or weekly notification digests."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--frequency", choices=[str(f) for f in PERIODS], required=True)
        parser.add_argument("--chunk-size", type=int, default=500)

    def handle(self, *args, frequency: str, chunk_size: int, **options) -> None:
        stats = digest_run(frequency=frequency, chunk_size=chunk_size)
        self.stdout.write(
            f"{stats.messages} digest(s) queued for {stats.people} people ({stats.events} events)."
        )
