from django.core.management.base import BaseCommand
from django.utils import timezone

from quartiers40.projects.services import project_freshness_remind
from quartiers40.projects.tasks import projects_freshness_remind_task


class Command(BaseCommand):
    help = "Relance les porteurs des projets qui n'ont pas été mis à jour depuis six mois."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="Confier l'envoi au worker de tâches."
        )

    def handle(self, *args, enqueue: bool, **options):
        if enqueue:
            result = projects_freshness_remind_task.enqueue()
            self.stdout.write(f"Tâche mise en file : {result.id}")
            return
        sent = project_freshness_remind(now=timezone.now())
        self.stdout.write(self.style.SUCCESS(f"Relances envoyées : {sent}."))
