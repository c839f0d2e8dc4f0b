from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from quartiers40.core.forms import error_text
from quartiers40.territories.batch import QPVCheckFileError, qpv_csv_check
from quartiers40.territories.enums import CheckRowStatus
from quartiers40.territories.management.progress import ProgressBar


def _number(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


class Command(BaseCommand):
    help = _(
        "Vérifie un fichier CSV d'adresses ou de coordonnées (latitude, longitude) : pour "
        "chaque ligne, le QPV qui la contient ou la distance au plus proche."
    )
    # The system checks import every URL module and the whole API (about 0.5 s): a file
    # check needs none of it, and `manage.py check` still runs them.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("input", help=_("Fichier CSV à vérifier."))
        parser.add_argument("output", help=_("Fichier CSV de résultat."))
        parser.add_argument(
            "--no-progress", action="store_true", help=_("Sans barre de progression.")
        )

    def handle(self, *args, input, output, no_progress=False, **options):
        source = Path(input)
        if not source.is_file():
            raise CommandError(_("Fichier introuvable : %(path)s") % {"path": source})
        bar = None if no_progress else ProgressBar(self.stderr, _("Vérification"))
        try:
            result = qpv_csv_check(data=source.read_bytes(), progress=bar)
        except QPVCheckFileError as error:
            raise CommandError(error_text(error)) from error
        finally:
            if bar:
                bar.close()
        try:
            Path(output).write_bytes(result.content)
        except OSError as error:
            raise CommandError(
                _("Impossible d'écrire %(path)s : %(error)s") % {"path": output, "error": error}
            ) from error

        self.stdout.write(
            _(
                "%(total)s lignes vérifiées : %(inside)s dans un QPV, %(outside)s hors QPV, "
                "%(errors)s en erreur."
            )
            % {
                "total": _number(result.total),
                "inside": _number(result.inside),
                "outside": _number(result.counts[CheckRowStatus.OK] - result.inside),
                "errors": _number(result.errors),
            }
        )
        for status in CheckRowStatus:
            if status != CheckRowStatus.OK and result.counts[status]:
                self.stdout.write(
                    f"  {status.label} ({status.value}) : {_number(result.counts[status])}"
                )
        self.stdout.write(self.style.SUCCESS(_("Résultat écrit dans %(path)s.") % {"path": output}))
