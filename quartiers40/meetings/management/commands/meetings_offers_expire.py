from django.core.management.base import BaseCommand
from django.utils import timezone

from quartiers40.meetings.services import registration_offers_expire
from quartiers40.meetings.tasks import registration_offers_expire_task


class Command(BaseCommand):
    help = (
        "Fait passer à la personne suivante de la liste d'attente chaque place proposée dont "
        "le délai de confirmation est dépassé. À lancer toutes les 15 minutes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="Confier le travail au worker de tâches."
        )

    def handle(self, *args, enqueue: bool, **options):
        if enqueue:
            result = registration_offers_expire_task.enqueue()
            self.stdout.write(f"Tâche mise en file : {result.id}")
            return
        expired = registration_offers_expire(now=timezone.now())
        self.stdout.write(self.style.SUCCESS(f"Offres expirées : {expired}."))
