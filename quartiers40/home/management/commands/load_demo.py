"""Load the fictional demo dataset: QPV reference data first, then each app's demo data.

Each app registers its own loader (`core/demo.py`); this command knows none of them.
"""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from quartiers40.core.demo import demo_load, demo_reset
from quartiers40.core.pagecache import PUBLIC_TOPICS, cache_version_bump
from quartiers40.members.demo import DEMO_ACCOUNTS
from quartiers40.members.models import User
from quartiers40.territories.models import QPV

SEED = 40


class Command(BaseCommand):
    help = "Charge les quartiers prioritaires et un jeu de démonstration fictif."

    def add_arguments(self, parser):
        parser.add_argument("--qpv-source", default="", help="Fichier ou URL de la couche QPV.")
        parser.add_argument(
            "--reset", action="store_true", help="Efface les données de démonstration et recharge."
        )

    def handle(self, *args, qpv_source: str, reset: bool, **options):
        if qpv_source:
            if "://" not in qpv_source and not Path(qpv_source).exists():
                raise CommandError(f"Fichier QPV introuvable : {qpv_source}")
            if not QPV.objects.exists() or reset:
                call_command("import_qpv", qpv_source, stdout=self.stdout, stderr=self.stderr)
            else:
                self.stdout.write(f"Quartiers prioritaires déjà chargés : {QPV.objects.count()}.")
        if User.objects.filter(email=DEMO_ACCOUNTS[0][0]).exists() and not reset:
            self.stdout.write("Données de démonstration déjà chargées (--reset pour recharger).")
            return
        with transaction.atomic():
            if reset:
                demo_reset()
            pieces = demo_load(seed=SEED)
            # Written around the services: every public page is rendered again.
            cache_version_bump(*PUBLIC_TOPICS)
        self.stdout.write(
            self.style.SUCCESS(f"Démonstration chargée : {', '.join(pieces)} (fictifs).")
        )
