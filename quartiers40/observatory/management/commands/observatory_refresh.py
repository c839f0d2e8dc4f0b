"""Recompute every figure of the observatory (nightly, from cron)."""

from django.core.management.base import BaseCommand

from quartiers40.observatory.services import observatory_recompute


class Command(BaseCommand):
    help = "Recompute every figure of the observatory (dashboards, coverage)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue it for the worker instead."
        )

    def handle(self, *args, enqueue: bool = False, **options):
        if enqueue:
            from quartiers40.observatory.tasks import observatory_refresh_task

            observatory_refresh_task.enqueue()
            self.stdout.write("observatory: refresh queued")
            return
        report = observatory_recompute()
        self.stdout.write(f"observatory: {report.rows} figures in {report.seconds:.1f} s")
