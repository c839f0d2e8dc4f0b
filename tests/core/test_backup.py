"""A backup restored into an empty database finds everything: rows and uploaded files."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from quartiers40.core.backup import backup_manifest
from tests.challenges.factories import ChallengeFactory
from tests.members.factories import MembershipFactory
from tests.projects.factories import PublishedProjectFactory

ROOT = Path(__file__).resolve().parents[2]

# Run in a child process against the restored database: every table's row count.
COUNTS = """
import json, django
django.setup()
from django.db import connection
tables = sorted(connection.introspection.table_names())
with connection.cursor() as cursor:
    counts = {}
    for table in tables:
        cursor.execute("SELECT COUNT(*) FROM " + connection.ops.quote_name(table))
        counts[table] = cursor.fetchone()[0]
print(json.dumps(counts))
"""


def _counts_here() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            cursor.execute("SELECT COUNT(*) FROM " + connection.ops.quote_name(table))  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def _child(args: list[str], database_url: str, media: Path) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(media),
        PYTHONPATH=str(ROOT),
    )
    return subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def empty_database(tmp_path):
    """The URL of a new, empty database of the same engine as the tests'."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    import psycopg

    db = connection.settings_dict
    name = f"{db['NAME']}_restore"
    params = {
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
        "user": db["USER"],
        "password": db["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    yield f"postgres://{db['USER']}{password}@{params['host']}:{params['port']}/{name}"
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_into_an_empty_database_finds_everything(
    tmp_path, settings, empty_database
):
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    logo = media / "organisations" / "logos" / "clic.png"
    logo.parent.mkdir(parents=True)
    logo.write_bytes(b"\x89PNG fake logo bytes")
    membership = MembershipFactory(organisation__name="Clic Solidaire Sevran")
    membership.organisation.logo.name = "organisations/logos/clic.png"
    membership.organisation.save()
    PublishedProjectFactory.create_batch(3)
    ChallengeFactory.create_batch(2)
    before = _counts_here()

    archive = tmp_path / "sauvegarde.tar.gz"
    call_command("backup_create", output=archive, stdout=open(os.devnull, "w"))  # noqa: SIM115
    manifest = backup_manifest(archive)
    assert manifest["engine"] == connection.vendor
    assert "core.0001_initial" in manifest["migrations"] and manifest["media_files"] == 1

    restored_media = tmp_path / "restored-media"
    result = _child(["manage.py", "backup_restore", str(archive)], empty_database, restored_media)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Restauration terminée." in result.stdout
    assert "1 fichiers remis" in result.stdout

    result = _child(["-c", COUNTS], empty_database, restored_media)
    assert result.returncode == 0, result.stderr
    after = json.loads(result.stdout)
    assert after == before
    assert after["members_organisation"] >= 1 and after["projects_project"] == 3
    assert (restored_media / "organisations/logos/clic.png").read_bytes() == logo.read_bytes()

    # A second restore would overwrite live data: refused.
    result = _child(["manage.py", "backup_restore", str(archive)], empty_database, restored_media)
    assert result.returncode != 0 and "n'est pas vide" in result.stderr


def test_a_file_that_is_not_a_backup_is_refused(tmp_path):
    other = tmp_path / "autre.tar.gz"
    other.write_bytes(b"not an archive")
    with pytest.raises(CommandError) as error:
        call_command("backup_restore", str(other))
    assert "n'est pas une sauvegarde" in str(error.value)
    with pytest.raises(CommandError) as error:
        call_command("backup_restore", str(tmp_path / "absente.tar.gz"))
    assert "Fichier introuvable" in str(error.value)


@pytest.mark.django_db
def test_without_pg_dump_the_message_says_what_to_install(monkeypatch):
    from quartiers40.core import backup

    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    with pytest.raises(backup.BackupError) as error:
        backup._tool("pg_dump")
    assert "pg_dump est introuvable" in str(error.value)
    assert "postgresql-client" in str(error.value)
