import json
import zipfile

import pytest

from quartiers40.territories.layer import QPVLayerError, qpv_layer_read

from .conftest import CRS84, SAMPLE_FILE, qpv_feature, square


def test_reads_the_official_schema_with_all_its_properties(sample_layer):
    assert len(sample_layer.features) == 5
    assert sample_layer.crs == CRS84
    by_code = {feature.code: feature for feature in sample_layer.features}
    viste = by_code["QN01304I"]
    assert viste.name == "La Viste"
    assert viste.department_code == "13"
    assert viste.department_name == "Bouches-du-Rhône"
    assert viste.region_code == "93"
    assert viste.region_name == "Provence-Alpes-Côte d'Azur"
    assert viste.commune_codes == ("13055",)
    assert viste.commune_names == ("Marseille",)
    assert viste.epci_siren == "200054807"
    assert not sample_layer.repaired_codes


def test_the_national_copy_gets_departments_and_regions_from_the_code(national_layer):
    assert len(national_layer.features) == 1584
    by_code = {feature.code: feature for feature in national_layer.features}
    corsica = next(f for f in national_layer.features if f.code.startswith("QN02A"))
    assert (corsica.department_code, corsica.department_name) == ("2A", "Corse-du-Sud")
    assert (corsica.region_code, corsica.region_name) == ("94", "Corse")
    reunion = next(f for f in national_layer.features if f.code.startswith("QN974"))
    assert (reunion.department_code, reunion.region_name) == ("974", "La Réunion")
    goutte_dor = by_code["QN07511M"]
    assert goutte_dor.department_code == "75"
    assert goutte_dor.commune_names is None  # not in the file: names already known are kept
    assert goutte_dor.epci_siren is None
    several = [f for f in national_layer.features if len(f.commune_codes) > 1]
    assert len(several) == 149
    assert all(len(code) == 5 for f in several for code in f.commune_codes)


def test_a_zip_is_read_through_the_named_national_member(tmp_path, write_layer):
    other = write_layer([qpv_feature("QN97101M", "Autre", square(-61.5, 16.2, 0.01))])
    archive = tmp_path / "qp2024.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(SAMPLE_FILE, "GEOJSON/QP2024_France_Hexagonale_Outre_Mer_WGS84.geojson")
        # A larger per-territory file must not be preferred to the named one.
        big = json.loads(other.read_text())
        big["padding"] = "x" * 100_000
        zipped.writestr("GEOJSON/QP2024_Guadeloupe_WGS84.geojson", json.dumps(big))
    layer = qpv_layer_read(archive, zip_member="QP2024_France_Hexagonale_Outre_Mer_WGS84.geojson")
    assert layer.member == "GEOJSON/QP2024_France_Hexagonale_Outre_Mer_WGS84.geojson"
    assert len(layer.features) == 5


def test_a_zip_without_the_named_member_falls_back_to_its_largest_geojson(tmp_path):
    archive = tmp_path / "layer.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(SAMPLE_FILE, "sample.geojson")
        zipped.writestr("notice.json", "{}")
    layer = qpv_layer_read(archive, zip_member="absent.geojson")
    assert layer.member == "sample.geojson"


def test_invalid_geometries_are_repaired_and_reported(write_layer):
    bowtie = [[[2.30, 48.80], [2.31, 48.81], [2.31, 48.80], [2.30, 48.81], [2.30, 48.80]]]
    path = write_layer(
        [
            qpv_feature("QN07501M", "Noeud", bowtie),
            qpv_feature("QN07502M", "Carré", square(2.4, 48.8, 0.01)),
        ]
    )
    layer = qpv_layer_read(path)
    assert layer.repaired_codes == ["QN07501M"]
    assert all(feature.geometry.is_valid for feature in layer.features)
    assert layer.notes


def test_a_layer_without_crs_member_is_taken_as_wgs84(write_layer):
    layer = qpv_layer_read(
        write_layer([qpv_feature("QN07501M", "A", square(2.3, 48.8, 0.01))], crs=None)
    )
    assert layer.crs is None


@pytest.mark.parametrize(
    "crs", ["urn:ogc:def:crs:EPSG::4326", "EPSG:4326", "urn:ogc:def:crs:OGC::CRS84"]
)
def test_wgs84_crs_spellings_are_accepted(write_layer, crs):
    path = write_layer([qpv_feature("QN07501M", "A", square(2.3, 48.8, 0.01))], crs=crs)
    assert qpv_layer_read(path).crs == crs


def _error(path) -> str:
    with pytest.raises(QPVLayerError) as error:
        qpv_layer_read(path)
    return str(error.value)


def test_error_for_a_missing_file(tmp_path):
    assert "Fichier introuvable" in _error(tmp_path / "absent.geojson")


def test_error_for_a_file_that_is_neither_geojson_nor_zip(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("code_qp;lib_qp\nQN07501M;A\n")
    assert "ni un fichier GeoJSON ni une archive ZIP" in _error(path)


def test_error_for_json_that_is_not_a_feature_collection(tmp_path):
    path = tmp_path / "geometry.geojson"
    path.write_text(json.dumps({"type": "Polygon", "coordinates": square(2, 48, 1)}))
    assert "FeatureCollection" in _error(path)


def test_error_for_a_zip_without_geojson(tmp_path):
    path = tmp_path / "shapefile.zip"
    with zipfile.ZipFile(path, "w") as zipped:
        zipped.writestr("QP2024.shp", b"\x00\x00\x27\x0a")
    assert "ne contient aucun fichier GeoJSON" in _error(path)


def test_error_for_a_broken_zip(tmp_path):
    path = tmp_path / "broken.zip"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 50)
    assert "illisible" in _error(path)


def test_error_for_a_projected_crs(write_layer):
    path = write_layer(
        [qpv_feature("QN07501M", "A", square(652_000, 6_862_000, 100))],
        crs="urn:ogc:def:crs:EPSG::2154",
    )
    message = _error(path)
    assert "EPSG::2154" in message
    assert "WGS84" in message


def test_error_for_projected_coordinates_without_crs(write_layer):
    path = write_layer([qpv_feature("QN07501M", "A", square(652_000, 6_862_000, 100))], crs=None)
    assert "n'est pas en WGS84" in _error(path)


def test_error_for_missing_properties(write_layer):
    feature = qpv_feature("QN07501M", "A", square(2.3, 48.8, 0.01))
    del feature["properties"]["lib_qp"]
    nameless = qpv_feature("", "B", square(2.4, 48.8, 0.01))
    message = _error(write_layer([feature, nameless]))
    assert "Propriétés obligatoires absentes" in message
    assert "lib_qp (1 entités, dont n° 1)" in message
    assert "code_qp (1 entités, dont n° 2)" in message


def test_error_for_an_empty_layer(write_layer):
    assert "est vide" in _error(write_layer([]))


def test_error_for_a_duplicated_code(write_layer):
    feature = qpv_feature("QN07501M", "A", square(2.3, 48.8, 0.01))
    assert "apparaît deux fois" in _error(write_layer([feature, feature]))


def test_error_for_a_point_geometry(write_layer):
    feature = qpv_feature("QN07501M", "A", square(2.3, 48.8, 0.01))
    feature["geometry"] = {"type": "Point", "coordinates": [2.3, 48.8]}
    assert "pas de géométrie surfacique (type : Point)" in _error(write_layer([feature]))


def test_error_for_a_too_long_code(write_layer):
    feature = qpv_feature("QN" + "9" * 20, "A", square(2.3, 48.8, 0.01))
    assert "dépasse 16 caractères" in _error(write_layer([feature]))
