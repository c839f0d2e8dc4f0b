from django.core.management.base import BaseCommand

from quartiers40.matches.services import match_outcomes_link


class Command(BaseCommand):
    help = (
        "Link the suggestions to what came of them (offers, interests, registrations, "
        "projects). Nightly, from cron; the writes queue it too."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="Hand it to the task worker instead."
        )

    def handle(self, *args, enqueue: bool = False, **options):
        if enqueue:
            from quartiers40.matches.tasks import matches_outcomes_link_task

            matches_outcomes_link_task.enqueue(recent_days=None)
            self.stdout.write("Queued.")
            return
        report = match_outcomes_link()
        self.stdout.write(f"{report.examined} suggestions read, {report.linked} linked.")
