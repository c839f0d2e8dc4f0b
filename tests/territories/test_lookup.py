import tempfile
from pathlib import Path

import numpy as np
import pytest
import shapely

from quartiers40.territories import lookup
from quartiers40.territories.geometry import distance_m, metres_per_degree
from quartiers40.territories.lookup import (
    GRID_CELL_DEGREES,
    QPVIndex,
    qpv_index_invalidate,
    qpv_locate_point,
    qpv_locate_points,
)
from quartiers40.territories.models import QPV

from .factories import QPVFactory, box


def _index(polygons: dict[str, shapely.Geometry]) -> QPVIndex:
    return QPVIndex(
        list(polygons), [f"Quartier {code}" for code in polygons], list(polygons.values())
    )


def _brute_force(index: QPVIndex, lons, lats) -> np.ndarray:
    """The reference answer: every polygon tested, the smallest covering code wins."""
    points = shapely.points(lons, lats)
    result = np.full(len(lons), -1)
    for position in reversed(range(len(index.codes))):
        result[shapely.intersects(index.geometries[position], points)] = position
    return result


# --- Over the whole national layer -----------------------------------------------------


def test_every_representative_point_resolves_to_its_own_qpv(national_index):
    """Where QPVs overlap (Guyane), the point may resolve to a neighbour covering it too."""
    points = shapely.point_on_surface(national_index.geometries)
    xy = shapely.get_coordinates(points)
    located = national_index.locate(xy[:, 0], xy[:, 1])
    own = np.arange(len(national_index.codes))
    elsewhere = np.flatnonzero(located.positions != own)
    for position in elsewhere:
        chosen = located.positions[position]
        assert chosen >= 0
        assert national_index.geometries[chosen].intersects(points[position])
        assert national_index.geometries[position].intersects(points[position])
        assert chosen < position  # the overlap rule: the smallest code wins
        assert national_index.codes[position].startswith("QN973")
    assert len(elsewhere) <= 5
    assert np.all(located.distance_m == 0)


def test_the_sample_test_points_resolve_as_expected(national_index, sample_layer, testpoints):
    sample_index = QPVIndex(
        sample_layer.codes, [f.name for f in sample_layer.features], sample_layer.geometries
    )
    for index in (sample_index, national_index):
        for lon, lat, expected in testpoints:
            assert index.locate_point(lon, lat).code == expected
        lons, lats, expected = zip(*testpoints, strict=True)
        assert index.locate(lons, lats).codes == list(expected)


def test_known_places(national_index):
    assert national_index.locate_point(2.3540, 48.8860).code == "QN07511M"  # Goutte d'Or
    assert national_index.locate_point(2.3640, 48.9000).code == "QN07512I"  # rue Charles Hermite
    gare_du_nord = national_index.locate_point(2.3553, 48.8809)
    assert gare_du_nord.code is None
    assert gare_du_nord.nearest_code is not None
    assert 0 < gare_du_nord.distance_m < 2_000


def test_batch_answers_equal_a_brute_force_test_near_boundaries(national_index):
    rng = np.random.default_rng(20240101)
    boundaries = shapely.boundary(national_index.geometries)
    chosen = rng.integers(0, len(boundaries), 20_000)
    on_boundary = shapely.line_interpolate_point(
        boundaries[chosen], rng.uniform(0, 1, len(chosen)), normalized=True
    )
    xy = shapely.get_coordinates(on_boundary) + rng.normal(0, 0.0002, (len(chosen), 2))
    # Also points exactly on boundary vertices and on grid-cell corners.
    vertices = shapely.get_coordinates(national_index.geometries)[::50]
    corners = np.round(xy[:2000] / GRID_CELL_DEGREES) * GRID_CELL_DEGREES
    points = np.vstack([xy, vertices, corners])
    located = national_index.locate(points[:, 0], points[:, 1], with_distance=False)
    np.testing.assert_array_equal(
        located.positions, _brute_force(national_index, points[:, 0], points[:, 1])
    )
    singles = [national_index.locate_point(lon, lat).code for lon, lat in points[::40]]
    assert singles == located.codes[::40]


def test_overseas_qpvs(national_index):
    codes = national_index.codes
    for prefix in ("QN971", "QN972", "QN973", "QN974", "QN976", "QN978", "QN987"):
        position = next(i for i, code in enumerate(codes) if code.startswith(prefix))
        point = national_index.geometries[position].representative_point()
        assert national_index.locate_point(point.x, point.y).code == codes[position]
    # At sea off La Réunion: outside, with the nearest QPV on the island.
    at_sea = national_index.locate_point(55.20, -21.00)
    assert at_sea.code is None
    assert at_sea.nearest_code.startswith("QN974")
    assert 5_000 < at_sea.distance_m < 60_000


def test_a_point_in_a_hole_is_outside(national_index):
    """Each hole of the national layer: its inner point is not in the QPV with the hole."""
    checked = 0
    for position, geometry in enumerate(national_index.geometries):
        for polygon in geometry.geoms:
            for ring in polygon.interiors:
                hole = shapely.Polygon(ring)
                if hole.area < 1e-10:
                    continue
                point = hole.representative_point()
                match = national_index.locate_point(point.x, point.y)
                assert match.code != national_index.codes[position]
                if match.code is None:
                    assert match.distance_m > 0
                checked += 1
    assert checked > 50


# --- Rules on synthetic layers -----------------------------------------------------------


def test_a_hole_in_a_multipolygon():
    outer = shapely.box(2.0, 48.0, 2.1, 48.1)
    hole = shapely.box(2.04, 48.04, 2.06, 48.06)
    ring = shapely.MultiPolygon([outer.difference(hole), shapely.box(2.2, 48.0, 2.3, 48.1)])
    index = _index({"QN07501M": ring})
    centre = index.locate_point(2.05, 48.05)
    assert centre.code is None
    assert centre.nearest_code == "QN07501M"
    # 0.01° of longitude to the hole's west and east edges (shorter than 0.01° of latitude).
    assert centre.distance_m == pytest.approx(metres_per_degree(48.05)[0] * 0.01, rel=1e-3)
    assert index.locate_point(2.25, 48.05).code == "QN07501M"  # the second part
    assert index.locate_point(2.02, 48.02).code == "QN07501M"


def test_a_point_on_a_boundary_counts_as_inside():
    index = _index({"QN07501M": shapely.box(2.0, 48.0, 2.01, 48.01)})
    for lon, lat in [(2.005, 48.0), (2.0, 48.005), (2.01, 48.01), (2.0, 48.0)]:
        match = index.locate_point(lon, lat)
        assert (match.code, match.distance_m) == ("QN07501M", 0.0)
        assert index.locate([lon], [lat]).codes == ["QN07501M"]


def test_a_point_on_a_hole_boundary_counts_as_inside():
    with_hole = shapely.box(2.0, 48.0, 2.1, 48.1).difference(shapely.box(2.04, 48.04, 2.06, 48.06))
    index = _index({"QN07501M": with_hole})
    assert index.locate_point(2.05, 48.04).code == "QN07501M"
    assert index.locate_point(2.05, 48.05).code is None


def test_where_two_qpvs_cover_a_point_the_smallest_code_wins():
    index = _index(
        {
            "QN97332M": shapely.box(2.0, 48.0, 2.01, 48.01),
            "QN97327I": shapely.box(2.01, 48.0, 2.02, 48.01),  # shares the edge lon = 2.01
            "QN97399M": shapely.box(2.005, 48.0, 2.015, 48.01),  # overlaps both
        }
    )
    assert index.locate_point(2.01, 48.005).code == "QN97327I"
    assert index.locate([2.01, 2.007, 2.013], [48.005] * 3).codes == [
        "QN97327I",
        "QN97332M",
        "QN97327I",
    ]


def test_distance_to_the_nearest_qpv_in_metres():
    index = _index(
        {
            "QN07501M": shapely.box(2.0, 45.0, 2.001, 45.001),
            "QN07502M": shapely.box(2.3, 45.0, 2.4, 45.1),
        }
    )
    # Due south of the first square, 1° of latitude centred on 44.5°.
    south = index.locate_point(2.0005, 44.0)
    assert south.nearest_code == "QN07501M"
    assert south.distance_m == pytest.approx(111_130.0, rel=5e-4)
    # Due west along the parallel 45.0005°, 0.1°.
    west = index.locate_point(1.9, 45.0005)
    assert west.distance_m == pytest.approx(float(distance_m(1.9, 45.0005, 2.0, 45.0005)), rel=1e-6)
    assert west.distance_m == pytest.approx(7_884.6, rel=5e-4)
    # A nearer QPV in metres that is farther in degrees (longitude shrinks with latitude).
    far_north = _index(
        {
            "QN07501M": shapely.box(0.0, 60.08, 0.01, 60.09),
            "QN07502M": shapely.box(0.15, 60.0, 0.16, 60.01),
        }
    )
    match = far_north.locate_point(0.0, 60.0)
    assert match.nearest_code == "QN07502M"  # 0.15° east at 60°N = 8.4 km < 8.9 km north


def test_invalid_coordinates():
    index = _index({"QN07501M": shapely.box(2.0, 48.0, 2.01, 48.01)})
    with pytest.raises(ValueError, match="Coordonnées invalides"):
        index.locate_point(200.0, 48.0)
    located = index.locate([np.nan, 2.005, 2.005], [48.005, 95.0, 48.005])
    assert located.valid.tolist() == [False, False, True]
    assert located.codes == [None, None, "QN07501M"]
    assert np.isnan(located.distance_m[:2]).all()


def test_an_empty_index_answers_none():
    index = _index({})
    match = index.locate_point(2.0, 48.0)
    assert (match.code, match.nearest_code, match.distance_m) == (None, None, None)
    assert index.locate([2.0], [48.0]).codes == [None]


def test_without_distance_outside_points_get_none():
    index = _index({"QN07501M": shapely.box(2.0, 48.0, 2.01, 48.01)})
    assert index.locate_point(3.0, 48.0, with_distance=False).distance_m is None
    located = index.locate([3.0, 2.005], [48.0, 48.005], with_distance=False)
    assert np.isnan(located.distance_m[0])
    assert located.distance_m[1] == 0


# --- The process-wide index over the database ---------------------------------------------


@pytest.mark.django_db
def test_the_database_index_answers_single_and_batch_lookups():
    QPVFactory(code="QN07501M", name="Les Carrés", geometry=box(2.30, 48.80))
    QPVFactory(code="QN07502M", geometry=box(2.40, 48.80), is_active=False)
    match = qpv_locate_point(lon=2.305, lat=48.805)
    assert (match.code, match.name, match.distance_m) == ("QN07501M", "Les Carrés", 0.0)
    located = qpv_locate_points(lons=[2.305, 2.405], lats=[48.805, 48.805])
    assert located.codes == ["QN07501M", None]  # an inactive QPV is not looked up
    assert located.match(1).nearest_code == "QN07501M"
    assert located.match(1).distance_m > 0


@pytest.mark.django_db
def test_another_process_change_is_seen_after_the_check_interval(settings):
    """A QPV written without this process's import (another process) via the stamp."""
    settings.QPV_INDEX_CHECK_SECONDS = 3600
    assert qpv_locate_point(lon=2.305, lat=48.805).code is None
    QPVFactory(code="QN07501M", geometry=box(2.30, 48.80))
    assert qpv_locate_point(lon=2.305, lat=48.805).code is None  # not checked yet
    settings.QPV_INDEX_CHECK_SECONDS = 0
    assert qpv_locate_point(lon=2.305, lat=48.805).code == "QN07501M"
    QPV.objects.all().delete()
    assert qpv_locate_point(lon=2.305, lat=48.805).code is None


def test_a_qpv_made_of_distant_islands_is_indexed_part_by_part():
    """Cells cover each part, not the whole bounding box (which would span the Pacific)."""
    islands = shapely.MultiPolygon(
        [shapely.box(2.0, 48.0, 2.01, 48.01), shapely.box(-149.6, -17.6, -149.59, -17.59)]
    )
    index = _index({"QN98701M": islands})
    assert index.locate([2.005, -149.595, -70.0], [48.005, -17.595, 10.0]).codes == [
        "QN98701M",
        "QN98701M",
        None,
    ]


# --- The index saved for the next process ------------------------------------------------


def test_a_saved_index_answers_exactly_like_the_built_one(national_index, tmp_path):
    path = tmp_path / "index.npz"
    national_index.save(path)
    loaded = QPVIndex.load(path)
    assert (loaded.codes, loaded.names) == (national_index.codes, national_index.names)
    rng = np.random.default_rng(7)
    boundary = shapely.get_coordinates(shapely.boundary(national_index.geometries))
    near = boundary[rng.choice(len(boundary), 3000)] + rng.normal(0, 0.0004, (3000, 2))
    lons = np.concatenate([near[:, 0], rng.uniform(-5, 9.6, 2000), [np.nan, 200.0]])
    lats = np.concatenate([near[:, 1], rng.uniform(41.3, 51.1, 2000), [48.0, 48.0]])
    built, restored = national_index.locate(lons, lats), loaded.locate(lons, lats)
    assert np.array_equal(built.positions, restored.positions)
    assert np.array_equal(built.nearest, restored.nearest)
    assert np.array_equal(built.distance_m, restored.distance_m, equal_nan=True)
    for lon, lat in zip(lons[:50], lats[:50], strict=True):
        assert loaded.locate_point(lon, lat) == national_index.locate_point(lon, lat)


def test_the_first_guess_of_the_nearest_qpv_does_not_change_the_answer(national_index):
    """The simplified outlines give a looser bound than every vertex, never another answer."""
    rng = np.random.default_rng(11)
    lons, lats = rng.uniform(-5, 9.6, 3000), rng.uniform(41.3, 51.1, 3000)
    every_vertex, owners = shapely.get_coordinates(national_index.geometries, return_index=True)
    reference = QPVIndex.__new__(QPVIndex)
    reference.__dict__.update(national_index.__dict__)
    reference._vertices = every_vertex
    reference._vertex_owners = owners.astype(np.int32)
    reference._vertex_tree = shapely.STRtree(shapely.points(every_vertex))
    ours, theirs = national_index.locate(lons, lats), reference.locate(lons, lats)
    assert np.array_equal(ours.nearest, theirs.nearest)
    assert np.array_equal(ours.distance_m, theirs.distance_m, equal_nan=True)


def test_the_nearest_qpv_is_the_one_measuring_every_qpv_finds(national_index):
    """The bounds only choose which QPVs to measure: the nearest (then the smallest code)
    among all 1,584 measured is the answer, near boundaries and far from any QPV."""
    rng = np.random.default_rng(5)
    lons = np.concatenate([rng.uniform(-5, 9.6, 60), [2.3540 + 0.004, 5.37, -1.68]])
    lats = np.concatenate([rng.uniform(41.3, 51.1, 60), [48.8860, 43.33, 48.11]])
    located = national_index.locate(lons, lats)
    every = np.arange(len(national_index.codes))
    for i in np.flatnonzero(located.positions < 0).tolist():
        distances = national_index._distances(
            np.full(len(every), lons[i]), np.full(len(every), lats[i]), every
        )
        best = min(every.tolist(), key=lambda q: (distances[q], national_index.codes[q]))
        assert located.nearest[i] == best
        assert located.distance_m[i] == distances[best]


def _index_files(settings) -> list:
    return sorted(Path(settings.QPV_INDEX_CACHE_DIR).glob("*.npz"))


@pytest.fixture
def index_directory(settings, tmp_path):
    settings.QPV_INDEX_CACHE_DIR = str(tmp_path / "index")
    return settings


def _new_process(monkeypatch):
    """What another process finds: no index in memory."""
    monkeypatch.setattr(lookup, "_cached", None)


@pytest.mark.django_db
def test_the_next_process_reads_the_index_from_the_file(index_directory, monkeypatch):
    QPVFactory(code="QN07501M", name="Les Carrés", geometry=box(2.30, 48.80))
    assert qpv_locate_point(lon=2.305, lat=48.805).code == "QN07501M"
    [saved] = _index_files(index_directory)

    _new_process(monkeypatch)
    with monkeypatch.context() as patched:
        patched.setattr(QPVIndex, "from_wkb", None)  # building it again would fail
        match = qpv_locate_point(lon=2.405, lat=48.805)
    assert (match.code, match.nearest_code, match.nearest_name) == (None, "QN07501M", "Les Carrés")

    # Another layer: a new file, built from the database; the old one is removed.
    QPVFactory(code="QN07502M", geometry=box(2.40, 48.80))
    qpv_index_invalidate()
    assert qpv_locate_point(lon=2.405, lat=48.805).code == "QN07502M"
    [new] = _index_files(index_directory)
    assert new != saved


@pytest.mark.django_db
def test_an_unreadable_index_file_is_built_again(index_directory, monkeypatch):
    QPVFactory(code="QN07501M", geometry=box(2.30, 48.80))
    qpv_locate_point(lon=2.305, lat=48.805)
    [saved] = _index_files(index_directory)
    saved.write_bytes(b"not an index")
    _new_process(monkeypatch)
    assert qpv_locate_point(lon=2.305, lat=48.805).code == "QN07501M"
    assert QPVIndex.load(saved).codes == ["QN07501M"]  # written again


@pytest.mark.django_db
def test_no_index_file_when_the_setting_is_empty(settings, tmp_path, monkeypatch):
    settings.QPV_INDEX_CACHE_DIR = ""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    QPVFactory(code="QN07501M", geometry=box(2.30, 48.80))
    assert qpv_locate_point(lon=2.305, lat=48.805).code == "QN07501M"
    assert list(tmp_path.iterdir()) == []
