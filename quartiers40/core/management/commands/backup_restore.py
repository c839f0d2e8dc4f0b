from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from quartiers40.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = _(
        "Restaure une sauvegarde (manage.py backup_create) dans une base de données vide et "
        "dans MEDIA_ROOT."
    )
    requires_system_checks: list = []

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help=_("L'archive .tar.gz à restaurer."))

    def handle(self, *args, archive, **options):
        try:
            report = backup_restore(archive_path=archive)
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest = report.manifest
        self.stdout.write(
            _(
                "Sauvegarde du %(date)s restaurée (%(engine)s, %(migrations)s migrations) ; "
                "%(files)s fichiers remis dans MEDIA_ROOT."
            )
            % {
                "date": manifest.get("created_at", "?"),
                "engine": manifest.get("engine"),
                "migrations": len(manifest.get("migrations", [])),
                "files": report.media_files,
            }
        )
        if report.pending_migrations:
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "Le code a %(count)s migrations de plus que la sauvegarde : lancez "
                        "manage.py migrate."
                    )
                    % {"count": report.pending_migrations}
                )
            )
        self.stdout.write(self.style.SUCCESS(_("Restauration terminée.")))
