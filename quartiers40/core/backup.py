"""Backup and restore of the database and the uploaded files, in one archive.

`manage.py backup_create` / `backup_restore FILE` (and `make backup` / `make restore`);
`docs/operations.md` says how to run them. The archive (`.tar.gz`) holds:

- `manifest.json`: when, the database engine, the migrations applied, the media files;
- `database.sqlite3` (SQLite, copied by the online backup API: consistent while the site
  runs) or `database.dump` (PostgreSQL, `pg_dump --format=custom`, restored by `pg_restore`);
- `media/`: every file under MEDIA_ROOT (logos, images, documents, attachments).

A restore goes into an empty database (no table): a backup never overwrites live data.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.dump"
MEDIA_DIR = "media"


class BackupError(Exception):
    """The backup or the restore cannot be done; the message (French) says why."""


@dataclass(frozen=True)
class RestoreReport:
    manifest: dict[str, Any]
    media_files: int
    pending_migrations: int


def _engine() -> str:
    if connection.vendor not in {"sqlite", "postgresql"}:
        raise BackupError(
            _("Base %(vendor)s : seules SQLite et PostgreSQL sont prises en charge.")
            % {"vendor": connection.vendor}
        )
    return connection.vendor


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            _(
                "%(tool)s est introuvable : installez le client PostgreSQL de la même version "
                "que le serveur (paquet postgresql-client) et mettez-le dans le PATH."
            )
            % {"tool": name}
        )
    return path


def _postgres_env() -> dict[str, str]:
    """libpq's variables: the password never appears on a command line."""
    db = connection.settings_dict
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if db.get(key):
            env[variable] = str(db[key])
    return env


def _run(command: list[str]) -> None:
    result = subprocess.run(  # noqa: S603 - a PostgreSQL tool found on PATH, fixed arguments
        command, env=_postgres_env(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(
            _("%(tool)s a échoué : %(error)s")
            % {"tool": Path(command[0]).name, "error": result.stderr.strip()[-2000:]}
        )


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def backup_create(*, output: Path | None = None, now: datetime | None = None) -> Path:
    """Write the archive (default: var/backups/quartiers40-<date>.tar.gz); its path."""
    engine = _engine()
    now = now or datetime.now(tz=UTC)
    if output is None:
        output = (
            Path(settings.BASE_DIR) / "var" / "backups" / f"quartiers40-{now:%Y%m%d-%H%M%S}.tar.gz"
        )
    output.parent.mkdir(parents=True, exist_ok=True)
    media_root = _media_root()
    media_files = (
        sorted(path for path in media_root.rglob("*") if path.is_file())
        if media_root.is_dir()
        else []
    )
    with tempfile.TemporaryDirectory(prefix="q40-backup-") as directory:
        work = Path(directory)
        if engine == "sqlite":
            database = work / SQLITE_FILE
            connection.ensure_connection()
            target = sqlite3.connect(database)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
        else:
            database = work / POSTGRES_FILE
            _run(
                [
                    _tool("pg_dump"),
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--file={database}",
                ]
            )
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": now.isoformat(),
            "engine": engine,
            "database": database.name,
            "migrations": sorted(
                f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
            ),
            "media_files": len(media_files),
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        partial = output.with_name(output.name + ".part")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(work / MANIFEST, arcname=MANIFEST)
            archive.add(database, arcname=database.name)
            for path in media_files:
                archive.add(path, arcname=f"{MEDIA_DIR}/{path.relative_to(media_root)}")
        partial.replace(output)  # a backup cut short never looks complete
    return output


def backup_manifest(archive_path: Path) -> dict[str, Any]:
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            member = archive.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            return json.loads(member.read())
    except FileNotFoundError as error:
        raise BackupError(_("Fichier introuvable : %(path)s") % {"path": archive_path}) from error
    except (tarfile.TarError, KeyError, ValueError, OSError) as error:
        raise BackupError(
            _("%(path)s n'est pas une sauvegarde de Quartiers 4.0 (%(error)s).")
            % {"path": archive_path, "error": error}
        ) from error


def backup_restore(*, archive_path: Path) -> RestoreReport:
    """Restore the archive into the current, empty database and MEDIA_ROOT."""
    manifest = backup_manifest(archive_path)
    engine = _engine()
    if manifest.get("engine") != engine:
        raise BackupError(
            _(
                "Cette sauvegarde vient d'une base %(saved)s ; la base configurée est %(current)s. "
                "Restaurez-la dans une base %(saved)s (DATABASE_URL)."
            )
            % {"saved": manifest.get("engine"), "current": engine}
        )
    tables = connection.introspection.table_names()
    if tables:
        raise BackupError(
            _(
                "La base configurée n'est pas vide (%(count)s tables) : une restauration se fait "
                "dans une base neuve, pour ne rien écraser. Créez-en une (createdb, ou un autre "
                "fichier SQLite) et pointez DATABASE_URL dessus."
            )
            % {"count": len(tables)}
        )
    media_root = _media_root()
    with tempfile.TemporaryDirectory(prefix="q40-restore-") as directory:
        work = Path(directory)
        with tarfile.open(archive_path, "r:gz") as archive:
            archive.extractall(work, filter="data")  # no absolute path, no "..", no device
        database = work / str(manifest["database"])
        if engine == "sqlite":
            source = sqlite3.connect(database)
            try:
                connection.ensure_connection()
                source.backup(connection.connection)
            finally:
                source.close()
        else:
            _run(
                [
                    _tool("pg_restore"),
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    "--single-transaction",
                    f"--dbname={connection.settings_dict['NAME']}",
                    str(database),
                ]
            )
        media_files = 0
        saved_media = work / MEDIA_DIR
        if saved_media.is_dir():
            for path in sorted(saved_media.rglob("*")):
                if path.is_file():
                    target = media_root / path.relative_to(saved_media)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path, target)
                    media_files += 1
    connection.close()  # the next query reads the restored database afresh
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return RestoreReport(
        manifest=manifest, media_files=media_files, pending_migrations=len(pending)
    )
