from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from quartiers40.territories.jobs import qpv_check_job_purge, retention_days


class Command(BaseCommand):
    help = _(
        "Supprime les vérifications de fichiers CSV (fichier envoyé et résultat) plus "
        "anciennes que la durée de conservation, et marque en échec celles dont le "
        "traitement a été interrompu. À lancer chaque jour (cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            metavar="JOURS",
            help=_("Âge en jours au-delà duquel supprimer ; QPV_CHECK_RETENTION_DAYS par défaut."),
        )

    def handle(self, *args, older_than=None, **options):
        days = retention_days() if older_than is None else older_than
        if days < 0:
            raise CommandError(_("--older-than attend un nombre de jours positif ou nul."))
        report = qpv_check_job_purge(older_than_days=days)
        self.stdout.write(
            _(
                "%(jobs)s vérifications de plus de %(days)s jours supprimées, %(orphans)s "
                "fichiers orphelins supprimés, %(interrupted)s traitements interrompus."
            )
            % {
                "jobs": report.jobs,
                "days": days,
                "orphans": report.orphan_files,
                "interrupted": report.interrupted,
            }
        )
