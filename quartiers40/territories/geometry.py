"""Geometry helpers on WGS84 longitude/latitude, without a projection library.

QPVs are small (1 ha to 42 km²) and every distance we report is short, so a local
projection on the WGS84 ellipsoid is exact enough and needs nothing but numpy:

- at latitude φ, one radian of latitude is M(φ) metres (meridional radius) and one
  radian of longitude is N(φ)·cos φ metres (N: prime-vertical radius);
- areas use a sinusoidal projection centred on the polygon (equal-area to ~1e-5);
- distances use the equirectangular formula at the mid latitude of the two points
  (error below 0.05 % up to 100 km, far below the data's own ±10 m).
"""

import math

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

# WGS84 ellipsoid
SEMI_MAJOR_AXIS = 6_378_137.0
FLATTENING = 1 / 298.257223563
ECCENTRICITY_SQUARED = FLATTENING * (2 - FLATTENING)

# The display geometry: ~5 m tolerance (the national copy is already rounded to
# 1e-4°), coordinates written with 5 decimals (~1 m).
DISPLAY_TOLERANCE_DEGREES = 5e-5
DISPLAY_DECIMALS = 5


def metres_per_degree(latitude):
    """(metres per degree of longitude, metres per degree of latitude) at `latitude`.

    Works on floats and on numpy arrays.
    """
    phi = np.radians(latitude)
    sin2 = np.sin(phi) ** 2
    w = np.sqrt(1 - ECCENTRICITY_SQUARED * sin2)
    prime_vertical = SEMI_MAJOR_AXIS / w
    meridional = SEMI_MAJOR_AXIS * (1 - ECCENTRICITY_SQUARED) / w**3
    per_radian = math.pi / 180
    return prime_vertical * np.cos(phi) * per_radian, meridional * per_radian


def distance_m(lon1, lat1, lon2, lat2):
    """Distance in metres between WGS84 points (vectorised), for distances up to ~100 km."""
    mid = (np.asarray(lat1) + np.asarray(lat2)) / 2
    kx, ky = metres_per_degree(mid)
    dlon = (np.asarray(lon2) - np.asarray(lon1) + 180.0) % 360.0 - 180.0
    return np.hypot(dlon * kx, (np.asarray(lat2) - np.asarray(lat1)) * ky)


def area_m2(geometry: BaseGeometry) -> float:
    """Area in square metres of a lon/lat polygon, in a sinusoidal projection centred on it."""
    if geometry.is_empty:
        return 0.0
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    lon0, lat0 = (min_lon + max_lon) / 2, (min_lat + max_lat) / 2
    kx0, ky0 = metres_per_degree(lat0)
    n0 = kx0 / math.cos(math.radians(lat0))  # N(φ0) per degree, without the cos φ

    def to_sinusoidal(coords: np.ndarray) -> np.ndarray:
        lon, lat = coords[:, 0], coords[:, 1]
        return np.column_stack(((lon - lon0) * n0 * np.cos(np.radians(lat)), (lat - lat0) * ky0))

    return float(shapely.area(shapely.transform(geometry, to_sinusoidal)))


def display_geojson(geometry: BaseGeometry) -> str:
    """A lighter GeoJSON of `geometry` for maps: simplified (topology kept) and rounded."""
    simplified = shapely.simplify(geometry, DISPLAY_TOLERANCE_DEGREES, preserve_topology=True)
    rounded = shapely.transform(simplified, lambda coords: np.round(coords, DISPLAY_DECIMALS))
    return shapely.to_geojson(rounded)


def as_multipolygon(geometry: BaseGeometry) -> shapely.MultiPolygon:
    """The polygonal parts of `geometry` as one MultiPolygon (possibly empty)."""
    if isinstance(geometry, shapely.MultiPolygon):
        return geometry
    if isinstance(geometry, shapely.Polygon):
        return shapely.MultiPolygon([geometry]) if not geometry.is_empty else shapely.MultiPolygon()
    polygons: list[shapely.Polygon] = []
    for part in getattr(geometry, "geoms", []):
        part_multi = as_multipolygon(part)
        polygons.extend(part_multi.geoms)
    return shapely.MultiPolygon(polygons)


def repair(geometry: BaseGeometry) -> shapely.MultiPolygon:
    """`make_valid`, keeping only the polygonal parts (collapsed slivers become lines)."""
    repaired = as_multipolygon(shapely.make_valid(geometry))
    if not repaired.is_valid:  # parts that touch along an edge: merge them
        repaired = as_multipolygon(shapely.union_all(repaired.geoms))
    return repaired
