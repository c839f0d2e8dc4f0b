import json
import time
import zipfile

import pytest

from quartiers40.territories.layer import QPVLayerError
from quartiers40.territories.lookup import qpv_locate_point
from quartiers40.territories.models import QPV
from quartiers40.territories.services import qpv_layer_import

from .conftest import NATIONAL_FILE, SAMPLE_FILE, Response, qpv_feature, square
from .factories import QPVFactory

pytestmark = pytest.mark.django_db

ZIP_MEMBER = "GEOJSON/QP2024_France_Hexagonale_Outre_Mer_WGS84.geojson"


@pytest.fixture
def no_default_source(monkeypatch, settings):
    """The Makefile exports QPV_SOURCE; tests of the default source start without it."""
    monkeypatch.delenv("QPV_SOURCE", raising=False)
    settings.QPV_SOURCE = ""


def _snapshot() -> list[tuple]:
    return list(QPV.objects.order_by("code").values_list("code", "name", "is_active", "area_m2"))


def test_importing_the_official_sample_fills_every_field():
    report = qpv_layer_import(source=SAMPLE_FILE)
    assert report.total == 5
    assert sorted(report.created) == [
        "QN01304I",
        "QN07511M",
        "QN07512I",
        "QN07818M",
        "QN09350I",
    ]
    qpv = QPV.objects.get(code="QN07511M")
    assert qpv.name == "Goutte D'Or"
    assert qpv.generation == 2024
    assert (qpv.commune_code, qpv.commune_name) == ("75056", "Paris")
    assert (qpv.commune_codes, qpv.commune_names) == (["75056"], ["Paris"])
    assert (qpv.department_code, qpv.department_name) == ("75", "Paris")
    assert (qpv.region_code, qpv.region_name) == ("11", "Île-de-France")
    assert qpv.epci_siren == "217500016"
    assert qpv.area_hectares == pytest.approx(16.58, abs=0.006)
    assert qpv.geometry.is_valid
    assert qpv.display_geometry.is_valid
    assert qpv.bbox[0] < qpv.centroid_lon < qpv.bbox[2]
    assert qpv.bbox[1] < qpv.centroid_lat < qpv.bbox[3]
    assert qpv.covers_point(2.3540, 48.8860)  # the Goutte d'Or itself


def test_a_second_import_changes_nothing():
    qpv_layer_import(source=SAMPLE_FILE)
    before = list(QPV.objects.order_by("code").values_list("id", "updated_at"))
    report = qpv_layer_import(source=SAMPLE_FILE)
    assert (report.created, report.updated, report.deactivated) == ([], [], [])
    assert report.unchanged == 5
    assert list(QPV.objects.order_by("code").values_list("id", "updated_at")) == before


def test_a_new_layer_updates_deactivates_and_reactivates(write_layer):
    first = write_layer(
        [
            qpv_feature("QN07501M", "Ancien nom", square(2.30, 48.80, 0.01)),
            qpv_feature("QN07502M", "Reste", square(2.40, 48.80, 0.01)),
            qpv_feature("QN07503M", "Retiré", square(2.50, 48.80, 0.01)),
        ]
    )
    qpv_layer_import(source=first)
    ids = dict(QPV.objects.values_list("code", "id"))

    second = write_layer(
        [
            qpv_feature("QN07501M", "Nouveau nom", square(2.30, 48.80, 0.01)),
            qpv_feature("QN07502M", "Reste", square(2.40, 48.80, 0.01)),
            qpv_feature("QN07504M", "Nouveau", square(2.60, 48.80, 0.01)),
        ],
        name="second.geojson",
    )
    report = qpv_layer_import(source=second, allow_retire=True)  # 1 of 3: past 5 %
    assert report.created == ["QN07504M"]
    assert report.updated == ["QN07501M"]
    assert report.unchanged == 1
    assert report.deactivated == ["QN07503M"]
    assert QPV.objects.get(code="QN07501M").name == "Nouveau nom"
    retired = QPV.objects.get(code="QN07503M")
    assert not retired.is_active  # kept: organisations may point to it
    assert dict(QPV.objects.exclude(code="QN07504M").values_list("code", "id")) == ids

    report = qpv_layer_import(source=first, allow_retire=True)
    assert "QN07503M" in report.updated
    assert report.reactivated == ["QN07503M"]
    assert QPV.objects.get(code="QN07503M").is_active
    assert report.deactivated == ["QN07504M"]


def test_names_the_file_does_not_carry_are_kept(write_layer):
    """The national copy has no commune names: those already known stay."""
    QPVFactory(
        code="QN07511M", commune_name="Paris", commune_names=["Paris"], epci_siren="200054781"
    )
    path = write_layer([qpv_feature("QN07511M", "Goutte D'Or", square(2.35, 48.88, 0.005))])
    qpv_layer_import(source=path)
    qpv = QPV.objects.get(code="QN07511M")
    assert (qpv.commune_name, qpv.commune_names, qpv.epci_siren) == (
        "Paris",
        ["Paris"],
        "200054781",
    )
    assert qpv.geometry is not None


def test_a_layer_is_imported_into_the_requested_generation(write_layer):
    path = write_layer([qpv_feature("QN07501M", "A", square(2.3, 48.8, 0.01))])
    qpv_layer_import(source=path)
    qpv_layer_import(source=path, generation=2030)
    assert sorted(QPV.objects.values_list("generation", flat=True)) == [2024, 2030]


def test_repaired_geometries_are_reported(write_layer):
    bowtie = [[[2.30, 48.80], [2.31, 48.81], [2.31, 48.80], [2.30, 48.81], [2.30, 48.80]]]
    report = qpv_layer_import(source=write_layer([qpv_feature("QN07501M", "Noeud", bowtie)]))
    assert report.repaired == ["QN07501M"]
    assert QPV.objects.get().geometry.is_valid


def test_a_broken_file_changes_nothing(write_layer):
    qpv_layer_import(source=SAMPLE_FILE)
    before = _snapshot()
    broken = qpv_feature("QN07511M", "Renommé", square(2.3, 48.8, 0.01))
    nameless = qpv_feature("QN07512I", "", square(2.4, 48.8, 0.01))
    with pytest.raises(QPVLayerError):
        qpv_layer_import(source=write_layer([broken, nameless]))
    assert _snapshot() == before


def test_a_failure_during_the_write_rolls_everything_back(write_layer):
    qpv_layer_import(source=SAMPLE_FILE)
    before = _snapshot()
    path = write_layer([qpv_feature("QN07511M", "Renommé", square(2.3, 48.8, 0.01))])

    def fail_at_the_end(done, total):
        if done == total:  # called after the writes, inside the transaction
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        qpv_layer_import(source=path, progress=fail_at_the_end, allow_retire=True)
    assert _snapshot() == before


def test_the_lookup_sees_an_import_at_once(write_layer):
    first = write_layer([qpv_feature("QN07501M", "A", square(2.30, 48.80, 0.01))])
    qpv_layer_import(source=first)
    assert qpv_locate_point(lon=2.305, lat=48.805).code == "QN07501M"
    second = write_layer(
        [qpv_feature("QN07502M", "B", square(2.30, 48.80, 0.01))], name="second.geojson"
    )
    qpv_layer_import(source=second, allow_retire=True)
    assert qpv_locate_point(lon=2.305, lat=48.805).code == "QN07502M"


def test_progress_reaches_the_total():
    calls = []
    qpv_layer_import(source=SAMPLE_FILE, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (6, 6)  # 5 features, then the database writes
    assert [done for done, _total in calls] == sorted(done for done, _total in calls)


def test_the_whole_national_file_imports_quickly_and_idempotently():
    started = time.perf_counter()
    report = qpv_layer_import(source=NATIONAL_FILE)
    elapsed = time.perf_counter() - started
    assert len(report.created) == 1584
    assert elapsed < 30, f"import took {elapsed:.1f} s"
    assert QPV.objects.current().count() == 1584
    assert QPV.objects.filter(department_code="2A").exists()
    assert QPV.objects.filter(region_name="Collectivités d'outre-mer").count() == 91
    again = qpv_layer_import(source=NATIONAL_FILE)
    assert again.unchanged == 1584
    assert QPV.objects.count() == 1584


# --- Sources: QPV_SOURCE, URLs, data.gouv.fr ----------------------------------------------


def test_without_source_the_qpv_source_environment_variable_is_used(monkeypatch, settings):
    settings.QPV_SOURCE = ""
    monkeypatch.setenv("QPV_SOURCE", str(SAMPLE_FILE))
    assert qpv_layer_import().total == 5


def test_the_qpv_source_setting_comes_before_the_environment(monkeypatch, settings, tmp_path):
    monkeypatch.setenv("QPV_SOURCE", str(tmp_path / "absent.geojson"))
    settings.QPV_SOURCE = str(SAMPLE_FILE)
    assert qpv_layer_import().total == 5


def test_a_geojson_url_is_downloaded(http_server):
    http_server.route("GET", "/qp2024.geojson", lambda r: Response(body=SAMPLE_FILE.read_bytes()))
    report = qpv_layer_import(source=http_server.url("/qp2024.geojson"))
    assert report.source == http_server.url("/qp2024.geojson")
    assert len(report.created) == 5


def _official_zip(tmp_path) -> bytes:
    path = tmp_path / "qpv-2024-geojson.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        zipped.write(SAMPLE_FILE, ZIP_MEMBER)
    return path.read_bytes()


def test_by_default_the_current_layer_is_found_through_the_datagouv_api(
    http_server, settings, tmp_path, no_default_source
):
    zipped = _official_zip(tmp_path)
    http_server.route(
        "GET",
        "/files/qpv-2024-geojson.zip",
        lambda r: Response(body=zipped, content_type="application/zip"),
    )
    dataset = {
        "id": "5a561801c751df42d7fca9b6",
        "resources": [
            {
                "title": "QP 2015 - shapefile",
                "format": "zip",
                "url": http_server.url("/files/qp2015.zip"),
                "last_modified": "2017-01-01T00:00:00",
            },
            {
                "title": "Liste des QP 2024",
                "format": "csv",
                "url": http_server.url("/files/listeqp2024-cog2024.csv"),
                "last_modified": "2026-01-16T11:03:50",
            },
            {
                "title": "QP 2024 - GeoJSON (ancienne version)",
                "format": "geojson",
                "url": http_server.url("/files/old-qp2024.geojson"),
                "last_modified": "2025-02-06T16:18:39",
            },
            {
                "title": "Périmètres des QP 2024 (GeoJSON)",
                "format": "zip",
                "url": http_server.url("/files/qpv-2024-geojson.zip"),
                "last_modified": "2026-01-15T20:43:23",
            },
        ],
    }
    http_server.route(
        "GET", "/api/1/datasets/qpv/", lambda r: Response(body=json.dumps(dataset).encode())
    )
    settings.QPV_DATASET_API_URL = http_server.url("/api/1/datasets/qpv/")
    report = qpv_layer_import()
    assert report.source == http_server.url("/files/qpv-2024-geojson.zip")
    assert report.member == ZIP_MEMBER
    assert len(report.created) == 5


def test_an_unreachable_datagouv_api_gives_a_clear_error(http_server, settings, no_default_source):
    http_server.route("GET", "/api/", lambda r: Response(503, b"{}"))
    settings.QPV_DATASET_API_URL = http_server.url("/api/")
    with pytest.raises(QPVLayerError, match=r"HTTP 503.*QPV_SOURCE"):
        qpv_layer_import()


def test_a_missing_url_gives_a_clear_error(http_server):
    with pytest.raises(QPVLayerError, match=r"a échoué \(HTTP 404\)"):
        qpv_layer_import(source=http_server.url("/absent.geojson"))


def test_a_slow_download_times_out(http_server, settings):
    settings.QPV_DOWNLOAD_TIMEOUT = 0.2
    http_server.route("GET", "/slow.geojson", lambda r: Response(body=b"{}", delay=3))
    with pytest.raises(QPVLayerError, match="ne répond pas"):
        qpv_layer_import(source=http_server.url("/slow.geojson"))


def test_a_download_larger_than_the_ceiling_is_refused(http_server, settings):
    settings.QPV_DOWNLOAD_MAX_BYTES = 1000
    http_server.route("GET", "/big.geojson", lambda r: Response(body=SAMPLE_FILE.read_bytes()))
    with pytest.raises(QPVLayerError, match="dépasse la taille maximale"):
        qpv_layer_import(source=http_server.url("/big.geojson"))
