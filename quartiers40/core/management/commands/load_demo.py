"""Load the fictional demo dataset: QPV reference data first, then each domain's demo data."""

import random
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from quartiers40.challenges import demo as challenges_demo
from quartiers40.meetings import demo as meetings_demo
from quartiers40.members import demo as members_demo
from quartiers40.members.models import User
from quartiers40.projects import demo as projects_demo
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
        demo_marker = User.objects.filter(email=members_demo.DEMO_ACCOUNTS[0][0])
        if demo_marker.exists() and not reset:
            self.stdout.write("Données de démonstration déjà chargées (--reset pour recharger).")
            return
        with transaction.atomic():
            if reset:
                self._reset()
            rng = random.Random(SEED)  # noqa: S311 - the same dataset on every machine
            counts = members_demo.load(rng=rng)
            projects = projects_demo.load(rng=rng)["projects"]
            challenges = challenges_demo.load(rng=rng)["challenges"]
            meetings = meetings_demo.load(rng=rng)
        self.stdout.write(
            self.style.SUCCESS(
                f"Démonstration chargée : {counts['organisations']} organisations, "
                f"{counts['people']} personnes, {projects} projets d'IA, "
                f"{challenges} défis, {meetings['editions']} rencontres (fictifs)."
            )
        )

    def _reset(self) -> None:
        from quartiers40.challenges.models import Challenge
        from quartiers40.members.models import Organisation
        from quartiers40.projects.models import Project

        meetings_demo.reset()  # first: series and editions protect organisations
        Challenge.objects.all().delete()
        Project.objects.all().delete()
        Organisation.objects.all().delete()
        User.objects.filter(email__endswith=f"@{members_demo.DEMO_DOMAIN}").delete()
