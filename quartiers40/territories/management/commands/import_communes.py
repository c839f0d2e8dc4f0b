from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from quartiers40.territories.communes import CommunesError, communes_import


class Command(BaseCommand):
    help = _(
        "Importe la liste officielle des communes (paquet npm @etalab/decoupage-administratif) "
        "et relie chaque quartier prioritaire à ses communes. SOURCE : un dossier contenant "
        "communes.json et epci.json, un fichier communes.json ou son URL ; par défaut "
        "COMMUNES_SOURCE, sinon node_modules. Sans risque à relancer."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", nargs="?", help=_("Dossier, fichier ou URL."))

    def handle(self, *args, source=None, **options):
        try:
            report = communes_import(source=source)
        except CommunesError as error:
            raise CommandError(str(error)) from error
        for note in report.notes:
            self.stdout.write(note)
        self.stdout.write(
            _(
                "%(total)s communes lues depuis %(source)s (%(created)s nouvelles, %(removed)s "
                "retirées, %(epci)s avec leur intercommunalité) ; %(qpvs)s quartiers reliés à "
                "leurs communes, en %(seconds)s s."
            )
            % {
                "total": report.total,
                "source": report.source,
                "created": report.created,
                "removed": report.removed,
                "epci": report.with_epci,
                "qpvs": report.linked_qpvs,
                "seconds": f"{report.duration_s:.1f}".replace(".", ","),
            }
        )
        self.stdout.write(self.style.SUCCESS(_("Import terminé.")))
