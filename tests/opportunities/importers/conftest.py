"""Fixtures of the importers' tests: the shared reference samples, files written on the fly."""

import json
from pathlib import Path

import pytest

from quartiers40.opportunities.importers.runner import opportunities_import, report_lines
from tests.territories.conftest import http_server  # noqa: F401  (a real local HTTP server)

REPO_ROOT = Path(__file__).resolve().parents[3]
DATA = (REPO_ROOT / ".." / "shared" / "data" / "opportunities").resolve()
DI = DATA / "data-inclusion"
DI_SERVICES = DI / "api-example-services.json"
DI_STRUCTURES = DI / "api-example-structures.json"


@pytest.fixture(autouse=True)
def _no_network_geocoder(settings):
    """Nothing leaves 127.0.0.1: tests that geocode point the adapter at a local server."""
    settings.GEOCODER_ENABLED = False
    settings.GEOCODER_RETRY_BACKOFF = 0


def structure(**values) -> dict:
    return {
        "source": "test",
        "id": "test--s1",
        "nom": "Centre social des Tilleuls",
        "date_maj": "2025-02-14",
        "adresse": "20 rue de la Goutte d'Or",
        "code_postal": "75018",
        "commune": "Paris",
        **values,
    }


def service(**values) -> dict:
    return {
        "source": "test",
        "id": "test--a1",
        "structure_id": "test--s1",
        "nom": "Atelier CV",
        "description": "Un atelier pour écrire son CV. Chaque mardi, sans rendez-vous.",
        "date_maj": "2025-02-14",
        "type": "atelier",
        "frais": "gratuit",
        "modes_accueil": ["en-presentiel"],
        "modes_mobilisation": ["se-presenter"],
        "longitude": 2.354,
        "latitude": 48.886,
        **values,
    }


@pytest.fixture
def write_json(tmp_path):
    def write(name: str, records) -> Path:
        path = tmp_path / name
        path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
        return path

    return write


@pytest.fixture
def write_text(tmp_path):
    def write(name: str, text: str, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return write


def run(format: str, *paths, **options):
    report = opportunities_import(format=format, paths=paths, **options)
    return report, "\n".join(report_lines(report))
