from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from quartiers40.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = _(
        "Sauvegarde la base de données et les fichiers envoyés (MEDIA_ROOT) dans une archive "
        "(var/backups/ par défaut). SQLite ou PostgreSQL (pg_dump)."
    )
    requires_system_checks: list = []

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help=_("Chemin de l'archive à écrire."))

    def handle(self, *args, output=None, **options):
        try:
            path = backup_create(output=output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        size_mb = path.stat().st_size / (1024 * 1024)
        self.stdout.write(
            self.style.SUCCESS(
                _("Sauvegarde écrite : %(path)s (%(size)s Mo).")
                % {"path": path, "size": f"{size_mb:.1f}".replace(".", ",")}
            )
        )
