"""Draft the quarterly impact report of the quarter that just ended (cron, the first days
of each quarter); idempotent: a quarter already drafted is left as it is."""

from django.core.management.base import BaseCommand, CommandError

from quartiers40.observatory.quarters import Quarter
from quartiers40.observatory.reports.services import quarter_just_ended, report_draft


class Command(BaseCommand):
    help = "Draft the quarterly report of the quarter just ended (or --quarter 2026-t4)."

    def add_arguments(self, parser):
        parser.add_argument("--quarter", default="", help="A quarter's slug, e.g. 2026-t4.")

    def handle(self, *args, quarter: str = "", **options):
        if quarter:
            chosen = Quarter.from_slug(quarter)
            if chosen is None:
                raise CommandError(f"not a quarter: {quarter!r} (expected e.g. 2026-t4)")
        else:
            chosen = quarter_just_ended()
        if chosen >= Quarter.current():
            raise CommandError(f"{chosen.slug} is not over yet")
        result = report_draft(chosen)
        state = "drafted" if result.created else "already there, left as it is"
        self.stdout.write(f"observatory: report {chosen.slug} {state}")
