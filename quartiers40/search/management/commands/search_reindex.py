from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from quartiers40.search.enums import DocumentKind
from quartiers40.search.progress import ProgressBar
from quartiers40.search.services import search_index_rebuild, search_index_sync


class Command(BaseCommand):
    help = _(
        "Reconstruit l'index de recherche (ou, avec --sync, le met seulement à jour : "
        "chaque nuit, depuis cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sync",
            action="store_true",
            help=_("Met à jour ce qui a changé au lieu de tout reconstruire."),
        )
        parser.add_argument(
            "--kind",
            action="append",
            choices=DocumentKind.values,
            help=_("Avec --sync : seulement ce type (répétable)."),
        )

    def handle(self, *args, sync: bool, kind: list[str] | None, verbosity: int, **options):
        progress = ProgressBar(self.stderr._out) if verbosity else None
        if sync:
            report = search_index_sync(kinds=kind, progress=progress)
            self.stdout.write(
                _("Index à jour : %(created)s ajoutés, %(updated)s modifiés, %(deleted)s retirés.")
                % {
                    "created": sum(report.created.values()),
                    "updated": sum(report.updated.values()),
                    "deleted": sum(report.deleted.values()),
                }
            )
            return
        report = search_index_rebuild(progress=progress)
        self.stdout.write(
            _("Index reconstruit : %(count)s documents.") % {"count": sum(report.created.values())}
        )
