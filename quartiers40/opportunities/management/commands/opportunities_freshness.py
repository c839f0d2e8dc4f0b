from django.core.management.base import BaseCommand
from django.utils import timezone

from quartiers40.opportunities.lifecycle_tasks import opportunities_freshness_remind_task
from quartiers40.opportunities.services import opportunity_freshness_remind


class Command(BaseCommand):
    help = (
        "Relance les organisations dont une opportunité n'a pas été mise à jour depuis six "
        "mois (une fois, jusqu'à sa prochaine mise à jour ; chaque jour, depuis cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="Confier l'envoi au worker de tâches."
        )

    def handle(self, *args, enqueue: bool, **options):
        if enqueue:
            result = opportunities_freshness_remind_task.enqueue()
            self.stdout.write(f"Tâche mise en file : {result.id}")
            return
        sent = opportunity_freshness_remind(now=timezone.now())
        self.stdout.write(self.style.SUCCESS(f"Relances envoyées : {sent}."))
