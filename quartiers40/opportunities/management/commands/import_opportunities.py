from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from quartiers40.opportunities.importers import FORMATS
from quartiers40.opportunities.importers.runner import opportunities_import, report_lines
from quartiers40.territories.management.progress import ProgressBar


class Command(BaseCommand):
    help = _(
        "Importe des opportunités depuis des fichiers : data-inclusion (structures et services, "
        "JSON ou CSV, dans n'importe quel ordre), lamednum (CSV du standard de la médiation "
        "numérique), lheo (offres de formation XML) ou csv (notre modèle de tableur). Sans risque "
        "à relancer : chaque opportunité est reconnue par sa source et son identifiant. Voir "
        "docs/opportunities-import.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("format", choices=sorted(FORMATS), help=_("Format des fichiers."))
        parser.add_argument("files", nargs="+", help=_("Fichiers à importer."))
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Tout vérifier et compter, sans rien enregistrer."),
        )
        parser.add_argument(
            "--partial",
            action="store_true",
            help=_(
                "Les fichiers ne contiennent qu'une partie de la source : ne retirer aucune "
                "opportunité absente."
            ),
        )
        parser.add_argument(
            "--source",
            default="",
            help=_(
                "Nom de la source (par défaut le nom du format ; pour csv, « csv- » et le nom "
                "du fichier). Les opportunités de cette source absentes des fichiers sont retirées."
            ),
        )
        parser.add_argument(
            "--no-progress", action="store_true", help=_("Sans barre de progression.")
        )

    def handle(self, *args, format, files, dry_run, partial, source, no_progress, **options):
        bar = None if no_progress else ProgressBar(self.stderr, _("Import"))
        try:
            report = opportunities_import(
                format=format,
                paths=files,
                source=source,
                dry_run=dry_run,
                partial=partial,
                progress=bar,
            )
        finally:
            if bar:
                bar.close()
        for line in report_lines(report):
            self.stdout.write(line)
        if report.refused:
            raise CommandError(
                _("%(n)s fichier(s) refusé(s) : rien n'en a été importé.")
                % {"n": len(report.refused)}
            )
        if report.counts["errors"]:
            self.stdout.write(
                self.style.WARNING(_("Import terminé, avec des lignes en erreur (voir ci-dessus)."))
            )
        else:
            self.stdout.write(self.style.SUCCESS(_("Import terminé.")))
