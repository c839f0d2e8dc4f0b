from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from quartiers40.territories.layer import QPVLayerError
from quartiers40.territories.management.progress import ProgressBar
from quartiers40.territories.services import qpv_layer_import

_SHOWN_CODES = 20


def _number(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


class Command(BaseCommand):
    help = _(
        "Importe la couche officielle des quartiers prioritaires (QPV). SOURCE : un fichier "
        "GeoJSON ou ZIP, ou une URL ; par défaut QPV_SOURCE, sinon le jeu de données de "
        "l'ANCT sur data.gouv.fr."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", nargs="?", help=_("Chemin ou URL du GeoJSON ou du ZIP."))
        parser.add_argument(
            "--generation", type=int, help=_("Génération (millésime), 2024 par défaut.")
        )
        parser.add_argument(
            "--no-progress", action="store_true", help=_("Sans barre de progression.")
        )

    def handle(self, *args, source=None, generation=None, no_progress=False, **options):
        bar = None if no_progress else ProgressBar(self.stderr, _("Import des QPV"))
        try:
            report = qpv_layer_import(source=source, generation=generation, progress=bar)
        except QPVLayerError as error:
            raise CommandError(str(error)) from error
        finally:
            if bar:
                bar.close()

        origin = report.source + (f" ({report.member})" if report.member else "")
        self.stdout.write(
            _("Couche %(generation)s lue depuis %(source)s : %(total)s quartiers en %(seconds)s s.")
            % {
                "generation": report.generation,
                "source": origin,
                "total": _number(report.total),
                "seconds": f"{report.duration_s:.1f}".replace(".", ","),
            }
        )
        self.stdout.write(
            _(
                "Créés : %(created)s ; mis à jour : %(updated)s ; inchangés : %(unchanged)s ; "
                "retirés (conservés, marqués hors vigueur) : %(deactivated)s ; "
                "géométries réparées : %(repaired)s."
            )
            % {
                "created": _number(len(report.created)),
                "updated": _number(len(report.updated)),
                "unchanged": _number(report.unchanged),
                "deactivated": _number(len(report.deactivated)),
                "repaired": _number(len(report.repaired)),
            }
        )
        for label, codes in (
            (_("Géométries réparées"), report.repaired),
            (_("Retirés de la couche"), report.deactivated),
        ):
            if codes:
                shown = ", ".join(codes[:_SHOWN_CODES])
                more = len(codes) - _SHOWN_CODES
                suffix = _(" et %(count)s autres") % {"count": more} if more > 0 else ""
                self.stdout.write(f"{label} : {shown}{suffix}")
        self.stdout.write(self.style.SUCCESS(_("Import terminé.")))
