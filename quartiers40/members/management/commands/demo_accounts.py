from django.conf import settings
from django.core.management.base import BaseCommand

from quartiers40.members import demo as members_demo


class Command(BaseCommand):
    help = "Affiche les comptes de démonstration."

    def handle(self, *args, **options):
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Quartiers 4.0 – comptes de démonstration (fictifs)"))
        self.stdout.write(f"  Mot de passe de tous les comptes : {members_demo.DEMO_PASSWORD}")
        for email, name, role in members_demo.DEMO_ACCOUNTS:
            self.stdout.write(f"  {email:<38} {name:<22} {role}")
        self.stdout.write(f"  Site : {settings.SITE_URL}/   Admin : {settings.SITE_URL}/admin/")
        self.stdout.write("")
