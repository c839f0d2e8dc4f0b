from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from quartiers40.opportunities.importers.api_refresh import opportunities_refresh
from quartiers40.opportunities.importers.runner import report_lines
from quartiers40.opportunities.tasks import opportunities_refresh_task


class Command(BaseCommand):
    help = _(
        "Met à jour les services de l'API data·inclusion autour des quartiers prioritaires "
        "(les communes qui ont un QPV). Sans effet si DATA_INCLUSION_API_ENABLED est faux."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help=_("Mettre la tâche dans la file du travailleur au lieu de la lancer ici."),
        )
        parser.add_argument("--commune", action="append", help=_("Code INSEE (plusieurs fois)."))
        parser.add_argument("--dry-run", action="store_true", help=_("Sans rien enregistrer."))

    def handle(self, *args, enqueue=False, commune=None, dry_run=False, **options):
        if enqueue:
            opportunities_refresh_task.enqueue()
            self.stdout.write(_("Tâche mise dans la file."))
            return
        report = opportunities_refresh(communes=commune, dry_run=dry_run)
        for line in report_lines(report):
            self.stdout.write(line)
