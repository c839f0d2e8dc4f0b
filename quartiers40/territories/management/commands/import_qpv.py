from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from quartiers40.territories.layer import QPVLayerError
from quartiers40.territories.management.progress import ProgressBar
from quartiers40.territories.services import QPVRetireRefused, qpv_layer_import

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
        parser.add_argument(
            "--allow-retire",
            action="store_true",
            help=_(
                "Retirer les quartiers absents de la couche même s'ils sont nombreux "
                "(plus de QPV_IMPORT_MAX_RETIRED_SHARE, 5 %% par défaut, des quartiers en "
                "vigueur)."
            ),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Dire ce qui changerait (créés, mis à jour, retirés, réactivés), sans écrire."),
        )

    def handle(
        self,
        *args,
        source=None,
        generation=None,
        no_progress=False,
        allow_retire=False,
        dry_run=False,
        **options,
    ):
        bar = None if no_progress else ProgressBar(self.stderr, _("Import des QPV"))
        try:
            report = qpv_layer_import(
                source=source,
                generation=generation,
                progress=bar,
                allow_retire=allow_retire,
                dry_run=dry_run,
            )
        except QPVRetireRefused as error:
            self._codes(_("Seraient retirés"), error.report.deactivated)
            raise CommandError(
                _(
                    "%(error)s Vérifiez le fichier ; pour retirer vraiment ces quartiers, "
                    "relancez avec --allow-retire (essayez d'abord --dry-run)."
                )
                % {"error": error}
            ) from error
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
        counts = {
            "created": _number(len(report.created)),
            "updated": _number(len(report.updated)),
            "unchanged": _number(report.unchanged),
            "deactivated": _number(len(report.deactivated)),
            "reactivated": _number(len(report.reactivated)),
            "repaired": _number(len(report.repaired)),
        }
        if dry_run:
            self.stdout.write(
                _(
                    "Essai à blanc, rien n'est écrit. Créés : %(created)s ; mis à jour : "
                    "%(updated)s ; inchangés : %(unchanged)s ; retirés : %(deactivated)s ; "
                    "réactivés : %(reactivated)s ; géométries réparées : %(repaired)s."
                )
                % counts
            )
        else:
            self.stdout.write(
                _(
                    "Créés : %(created)s ; mis à jour : %(updated)s ; inchangés : %(unchanged)s ; "
                    "retirés (conservés, marqués hors vigueur) : %(deactivated)s ; "
                    "réactivés : %(reactivated)s ; géométries réparées : %(repaired)s."
                )
                % counts
            )
        self._codes(_("Géométries réparées"), report.repaired)
        self._codes(_("Retirés de la couche"), report.deactivated)
        self._codes(_("Réactivés (de nouveau dans la couche)"), report.reactivated)
        if dry_run:
            if report.retire_refused and not allow_retire:
                self.stdout.write(
                    self.style.WARNING(
                        _(
                            "L'import serait refusé : %(count)s quartiers retirés sur %(total)s, "
                            "plus que les %(limit)s permis sans --allow-retire."
                        )
                        % {
                            "count": counts["deactivated"],
                            "total": _number(report.active_before),
                            "limit": _number(report.retire_limit),
                        }
                    )
                )
            self.stdout.write(self.style.SUCCESS(_("Essai terminé, rien n'a changé.")))
        else:
            self.stdout.write(self.style.SUCCESS(_("Import terminé.")))

    def _codes(self, label: str, codes: list[str]) -> None:
        if codes:
            shown = ", ".join(codes[:_SHOWN_CODES])
            more = len(codes) - _SHOWN_CODES
            suffix = _(" et %(count)s autres") % {"count": more} if more > 0 else ""
            self.stdout.write(f"{label} : {shown}{suffix}")
