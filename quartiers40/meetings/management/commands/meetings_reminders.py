from django.core.management.base import BaseCommand
from django.utils import timezone

from quartiers40.meetings.reminders import meetings_reminders_task, reminders_send


class Command(BaseCommand):
    help = (
        "Envoie les rappels des rencontres : la veille aux personnes inscrites, et chaque "
        "semaine aux responsables des actions en retard. Sans risque de doublon : à lancer "
        "chaque jour."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="Confier l'envoi au worker de tâches."
        )

    def handle(self, *args, enqueue: bool, **options):
        if enqueue:
            result = meetings_reminders_task.enqueue()
            self.stdout.write(f"Tâche mise en file : {result.id}")
            return
        sent = reminders_send(now=timezone.now())
        self.stdout.write(
            self.style.SUCCESS(
                f"Rappels envoyés : {sent['editions']} inscription(s), "
                f"{sent['action_items']} action(s) en retard."
            )
        )
