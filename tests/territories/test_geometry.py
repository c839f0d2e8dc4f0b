import json

import pytest
import shapely

from quartiers40.territories.geometry import (
    area_m2,
    as_multipolygon,
    display_geojson,
    distance_m,
    metres_per_degree,
    repair,
)


def test_metres_per_degree_match_the_wgs84_reference_values():
    # Reference lengths of one degree at 45° on WGS84 (meridian arc and parallel).
    per_lon, per_lat = metres_per_degree(45.0)
    assert per_lat == pytest.approx(111_131.78, rel=2e-5)
    assert per_lon == pytest.approx(78_846.3, rel=2e-5)


def test_distance_along_a_meridian_and_a_parallel():
    # 1° of latitude centred on 45°, 0.1° of longitude at 45°.
    assert distance_m(2.0, 44.5, 2.0, 45.5) == pytest.approx(111_131.78, rel=5e-4)
    assert distance_m(2.0, 45.0, 2.1, 45.0) == pytest.approx(7_884.63, rel=5e-4)


def test_distance_across_the_antimeridian_takes_the_short_way():
    assert distance_m(179.99, 0.0, -179.99, 0.0) == pytest.approx(2_226.4, rel=1e-3)


def test_area_of_the_sample_qpvs_matches_the_published_geodesic_areas(sample_layer):
    # README of the data: geodesic areas in hectares (2 decimals).
    expected = {
        "QN01304I": 19.68,
        "QN07511M": 16.58,
        "QN07512I": 25.90,
        "QN07818M": 7.35,
        "QN09350I": 27.51,
    }
    for feature in sample_layer.features:
        assert area_m2(feature.geometry) / 10_000 == pytest.approx(
            expected[feature.code], abs=0.006
        )


def test_display_geojson_is_lighter_rounded_and_keeps_the_shape(sample_layer):
    for feature in sample_layer.features:
        display = display_geojson(feature.geometry)
        simplified = shapely.from_geojson(display)
        assert simplified.is_valid
        assert len(display) < len(shapely.to_geojson(feature.geometry))
        assert shapely.get_num_coordinates(simplified) <= shapely.get_num_coordinates(
            feature.geometry
        )
        # Same place, same size: the simplification is a few metres at most.
        assert simplified.symmetric_difference(feature.geometry).area / feature.geometry.area < 0.05
        coordinates = json.loads(display)["coordinates"]
        assert all(
            round(value, 5) == value for value in shapely.get_coordinates(simplified).ravel()
        )
        assert coordinates


def test_repair_turns_a_bowtie_into_a_valid_multipolygon():
    bowtie = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1), (0, 0)])
    assert not bowtie.is_valid
    repaired = repair(bowtie)
    assert repaired.is_valid
    assert isinstance(repaired, shapely.MultiPolygon)
    assert repaired.area == pytest.approx(0.5)


def test_as_multipolygon_keeps_only_polygonal_parts():
    collection = shapely.GeometryCollection(
        [shapely.box(0, 0, 1, 1), shapely.LineString([(2, 2), (3, 3)])]
    )
    result = as_multipolygon(collection)
    assert isinstance(result, shapely.MultiPolygon)
    assert len(result.geoms) == 1
