"""The rules every format shares: bounded files, transactions, dry run, withdrawals."""

import pytest
from django.core.management import CommandError, call_command

from quartiers40.opportunities.enums import GeocodingState, OpportunityStatus
from quartiers40.opportunities.models import Opportunity, OpportunityPlace
from tests.territories import fake_geocoder

from .conftest import DI_SERVICES, DI_STRUCTURES, run, service, structure

pytestmark = pytest.mark.django_db


def _files(write_json, services, structures=None):
    return (
        write_json("services.json", services),
        write_json("structures.json", structures or [structure()]),
    )


def test_import_twice_then_dry_run_writes_nothing(write_json):
    files = _files(write_json, [service(), service(id="test--a2", nom="Atelier lettre")])
    dry, text = run("data-inclusion", *files, dry_run=True)
    assert dry.counts["created"] == 2 and "Simulation : rien n'a été enregistré." in text
    assert not Opportunity.objects.exists()
    first, _text = run("data-inclusion", *files)
    assert first.counts["created"] == 2
    second, _text = run("data-inclusion", *files)
    assert second.counts["unchanged"] == 2 and second.counts["created"] == 0
    assert Opportunity.objects.count() == 2


def test_missing_items_are_withdrawn_unless_partial_and_come_back(write_json):
    run("data-inclusion", *_files(write_json, [service(), service(id="test--a2")]))
    partial, _text = run("data-inclusion", *_files(write_json, [service()]), partial=True)
    assert partial.withdrawn == 0
    full, text = run("data-inclusion", *_files(write_json, [service()]))
    assert full.withdrawn == 1 and "1 retirées" in text
    withdrawn = Opportunity.objects.get(source_id="test--a2")
    assert withdrawn.status == OpportunityStatus.WITHDRAWN and withdrawn.withdrawn_from_source
    back, _text = run("data-inclusion", *_files(write_json, [service(), service(id="test--a2")]))
    assert back.counts["restored"] == 1
    assert Opportunity.objects.get(source_id="test--a2").status == OpportunityStatus.PUBLISHED


def test_a_row_in_error_keeps_its_previous_version(write_json):
    run("data-inclusion", *_files(write_json, [service()]))
    report, _text = run("data-inclusion", *_files(write_json, [service(frais="inconnu")]))
    assert report.counts["errors"] == 1 and report.withdrawn == 0
    assert Opportunity.objects.get().status == OpportunityStatus.PUBLISHED


def test_a_file_over_the_limit_is_refused_without_reading_it(tmp_path, settings):
    big = tmp_path / "services.json"
    with big.open("wb") as handle:  # a sparse 50 MB file: nothing is held in memory
        handle.truncate(50 * 1024 * 1024 + 1)
    report, text = run("data-inclusion", big, DI_STRUCTURES)
    assert report.refused
    assert "Le fichier services.json fait 50,0 Mo : la limite est de 50,0 Mo" in text
    assert not Opportunity.objects.exists()
    settings.OPPORTUNITIES_IMPORT_MAX_BYTES = 1000
    report, text = run("data-inclusion", DI_SERVICES, DI_STRUCTURES)
    assert report.refused and "la limite est de 0,0 Mo" in text


def test_a_malformed_csv_imports_nothing_of_it(write_text, monkeypatch):
    monkeypatch.setattr("quartiers40.opportunities.importers.base.CSV_FIELD_LIMIT", 200)
    structures = write_text(
        "structures.csv", "id,source,nom,date_maj\ntest--s1,test,Centre social,2025-02-14\n"
    )
    good = "test--a{n},test,test--s1,Atelier {n},Un atelier pour tous.,2025-02-14\n"
    services = write_text(
        "services.csv",
        "id,source,structure_id,nom,description,date_maj\n"
        + "".join(good.format(n=n) for n in range(3))
        + "test--x,test,test--s1,Atelier,"
        + "long " * 100
        + ",2025-02-14\n",
    )
    report, text = run("data-inclusion", services, structures)
    assert report.refused and "Le fichier CSV est mal formé (ligne 5)" in text
    assert not Opportunity.objects.exists()


def test_addresses_are_geocoded_in_one_batch_or_counted_unplaced(write_json, http_server, settings):
    unplaced = service(longitude=None, latitude=None)
    files = _files(write_json, [unplaced])
    report, text = run("data-inclusion", *files)
    assert report.unplaced == 1 and "1 adresses non localisées" in text
    assert OpportunityPlace.objects.get().geocoding == GeocodingState.UNPLACED

    fake_geocoder.install(http_server, settings)
    settings.GEOCODER_ENABLED = True
    moved = service(id="test--a2", longitude=None, latitude=None)
    report, _text = run("data-inclusion", *_files(write_json, [unplaced, moved]))
    assert report.counts["created"] == 1 and report.unplaced == 1  # the first one: unchanged
    place = Opportunity.objects.get(source_id="test--a2").places.get()
    assert place.geocoding == GeocodingState.GEOCODED
    assert (place.longitude, place.latitude) == (2.3540, 48.8860)
    batch = [r for r in http_server.requests if r.path == "/geocodage/search/csv/"]
    assert len(batch) == 1
    assert not [r for r in http_server.requests if r.path == "/geocodage/search/"]
    # Imported again: the same place is not geocoded again.
    run("data-inclusion", *_files(write_json, [unplaced, moved]))
    assert len([r for r in http_server.requests if r.path == "/geocodage/search/csv/"]) == 1


def test_command_counts_report_and_exit_code(tmp_path, capsys):
    call_command(
        "import_opportunities",
        "data-inclusion",
        str(DI_SERVICES),
        str(DI_STRUCTURES),
        "--no-progress",
    )
    out = capsys.readouterr().out
    assert "5 créées" in out and "élément 2 : « nom » manque" in out
    call_command(
        "import_opportunities",
        "data-inclusion",
        str(DI_SERVICES),
        str(DI_STRUCTURES),
        "--dry-run",
        "--no-progress",
    )
    assert "5 inchangées" in capsys.readouterr().out
    with pytest.raises(CommandError, match="refusé"):
        call_command("import_opportunities", "lheo", str(tmp_path / "absent.xml"), "--no-progress")
