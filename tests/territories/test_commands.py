import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from quartiers40.territories.management.commands import qpv_check
from quartiers40.territories.models import QPV

from .conftest import REPO_ROOT, SAMPLE_FILE, qpv_feature, square

pytestmark = pytest.mark.django_db

GOUTTE_DOR = ("48.8860", "2.3540")


def _import(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_qpv", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_qpv_reports_counts_and_shows_progress():
    out, err = _import(str(SAMPLE_FILE))
    assert "Couche 2024 lue depuis" in out
    assert "5 quartiers" in out
    assert "Créés : 5 ; mis à jour : 0 ; inchangés : 0" in out
    assert "Import terminé." in out
    assert "Import des QPV" in err
    assert "100%" in err
    out, _err = _import(str(SAMPLE_FILE), "--no-progress")
    assert "Créés : 0 ; mis à jour : 0 ; inchangés : 5" in out
    assert QPV.objects.count() == 5


def test_import_qpv_lists_repaired_and_withdrawn_codes(write_layer):
    bowtie = [[[2.30, 48.80], [2.31, 48.81], [2.31, 48.80], [2.30, 48.81], [2.30, 48.80]]]
    first = write_layer(
        [
            qpv_feature("QN07501M", "Noeud", bowtie),
            qpv_feature("QN07502M", "Carré", square(2.4, 48.8, 0.01)),
        ]
    )
    out, _err = _import(str(first), "--no-progress")
    assert "Géométries réparées : QN07501M" in out
    second = write_layer([qpv_feature("QN07501M", "Carré", square(2.3, 48.8, 0.01))], name="2.json")
    out, _err = _import(str(second), "--no-progress", "--allow-retire")
    assert "Retirés de la couche : QN07502M" in out


def _import_error(*args) -> str:
    with pytest.raises(CommandError) as error:
        _import(*args)
    return str(error.value)


def test_import_qpv_errors_are_clear_french_messages(tmp_path, write_layer):
    assert _import_error(str(tmp_path / "absent.geojson")).startswith("Fichier introuvable")

    text = tmp_path / "qpv.csv"
    text.write_text("code_qp;lib_qp\n")
    assert "n'est ni un fichier GeoJSON ni une archive ZIP" in _import_error(str(text))

    lambert = write_layer(
        [qpv_feature("QN07501M", "A", square(652_000, 6_862_000, 100))],
        crs="urn:ogc:def:crs:EPSG::2154",
        name="lambert.geojson",
    )
    assert "seules les coordonnées WGS84" in _import_error(str(lambert))

    feature = qpv_feature("QN07501M", "A", square(2.3, 48.8, 0.01))
    del feature["properties"]["code_qp"]
    assert "Propriétés obligatoires absentes" in _import_error(
        str(write_layer([feature], name="noprops.geojson"))
    )

    assert "est vide" in _import_error(str(write_layer([], name="empty.geojson")))
    assert QPV.objects.count() == 0


def test_qpv_check_writes_the_result(tmp_path):
    call_command("import_qpv", str(SAMPLE_FILE), "--no-progress", stdout=StringIO())
    source = tmp_path / "in.csv"
    source.write_text(
        f"nom;latitude;longitude\nA;{GOUTTE_DOR[0]};{GOUTTE_DOR[1]}\nB;48.88;2.35\nC;abc;2.35\n"
    )
    target = tmp_path / "out.csv"
    out, err = StringIO(), StringIO()
    call_command("qpv_check", str(source), str(target), stdout=out, stderr=err)
    assert "3 lignes vérifiées : 1 dans un QPV, 1 hors QPV, 1 en erreur." in out.getvalue()
    assert "coordonnées illisibles (invalid_coordinates) : 1" in out.getvalue()
    assert "Vérification" in err.getvalue()
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "nom;latitude;longitude;qpv_code;qpv_name;distance_m;status;message"
    assert lines[1].startswith("A;48.8860;2.3540;QN07511M;Goutte D'Or;0;ok;")


def test_qpv_check_errors(tmp_path):
    with pytest.raises(CommandError, match="Fichier introuvable"):
        call_command("qpv_check", str(tmp_path / "absent.csv"), str(tmp_path / "out.csv"))
    source = tmp_path / "in.csv"
    source.write_text("nom;ville\nA;Paris\n")
    with pytest.raises(CommandError, match="Colonnes manquantes"):
        call_command("qpv_check", str(source), str(tmp_path / "out.csv"), "--no-progress")
    assert not (tmp_path / "out.csv").exists()


def test_qpv_check_runs_without_the_system_checks(tmp_path, monkeypatch):
    """They import every URL module and the API: half a second for nothing here."""
    from django.core.management.base import BaseCommand

    def checks(*args, **kwargs):
        raise AssertionError("system checks run")

    monkeypatch.setattr(BaseCommand, "check", checks)
    source = tmp_path / "in.csv"
    source.write_text(f"latitude,longitude\n{GOUTTE_DOR[0]},{GOUTTE_DOR[1]}\n")
    command = qpv_check.Command(stdout=StringIO(), stderr=StringIO())
    options = {"no_progress": True, "force_color": False, "no_color": False, "skip_checks": False}
    command.execute(input=str(source), output=str(tmp_path / "out.csv"), **options)
    assert (tmp_path / "out.csv").is_file()


def test_the_command_path_imports_none_of_what_it_does_not_use():
    """Every fresh `manage.py qpv_check` pays for its imports (issue 17): httpx (0.1 s,
    only addresses to geocode need it), django-ninja with pydantic, `django.test` and
    jinja2 (0.16 s, the API's), data·inclusion's schema (the importers'), the apps' demo
    data and page sections (the search engine behind them)."""
    heavy = (
        "httpx",
        "ninja",
        "pydantic",
        "jinja2",
        "django.test",
        "data_inclusion",
        "snowballstemmer",
        "quartiers40.search.engine",
        "quartiers40.projects.demo",
        "quartiers40.search.demo",
        "quartiers40.matches.sections",
        "quartiers40.opportunities.provider_sections",
    )
    code = (
        "import sys, django; django.setup(); "
        "from quartiers40.territories.management.commands import qpv_check; "
        "from quartiers40.territories import batch, lookup, selectors; "
        f"print(' '.join(name for name in {heavy!r} if name in sys.modules))"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    environment["PYTHONPATH"] = os.pathsep.join([str(REPO_ROOT), environment.get("PYTHONPATH", "")])
    answer = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )
    assert answer.stdout.strip() == ""
