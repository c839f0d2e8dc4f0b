from django.core.management.base import BaseCommand
from django.utils import timezone

from quartiers40.opportunities.lifecycle_tasks import opportunities_expire_task
from quartiers40.opportunities.services import opportunities_expire


class Command(BaseCommand):
    help = (
        "Passe en « terminée » les opportunités publiées dont la date limite ou la dernière "
        "session est passée (chaque jour, depuis cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="Confier le travail au worker de tâches."
        )

    def handle(self, *args, enqueue: bool, **options):
        if enqueue:
            result = opportunities_expire_task.enqueue()
            self.stdout.write(f"Tâche mise en file : {result.id}")
            return
        expired = opportunities_expire(now=timezone.now())
        self.stdout.write(self.style.SUCCESS(f"Opportunités terminées : {expired}."))
