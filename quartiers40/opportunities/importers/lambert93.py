"""Lambert-93 (EPSG:2154, metres) to WGS84 longitude and latitude, in plain Python.

The inverse of the Lambert conformal conic projection with the IGN's constants for
Lambert-93 (note NTG_71, algorithm ALG0004, iterated latitude). RGF93 and WGS84 agree to
well under a metre, which is all a place on a map needs.
"""

import math

_E = 0.08181919106  # first eccentricity of the GRS80 ellipsoid
_N = 0.7256077650  # exponent of the projection
_C = 11754255.426  # projection constant (m)
_XS = 700000.0  # pole coordinates (m)
_YS = 12655612.050
_LON0 = math.radians(3.0)

# Mainland France (with Corsica) in Lambert-93, with a margin.
X_RANGE = (-100_000.0, 1_300_000.0)
Y_RANGE = (6_000_000.0, 7_200_000.0)


def looks_like_lambert93(x: float, y: float) -> bool:
    return X_RANGE[0] <= x <= X_RANGE[1] and Y_RANGE[0] <= y <= Y_RANGE[1]


def lambert93_to_wgs84(x: float, y: float) -> tuple[float, float]:
    """(longitude, latitude) in degrees for Lambert-93 (x, y) in metres."""
    dx, dy = x - _XS, _YS - y
    radius = math.hypot(dx, dy)
    gamma = math.atan2(dx, dy)
    longitude = _LON0 + gamma / _N
    iso = -math.log(radius / _C) / _N  # isometric latitude
    latitude = 2 * math.atan(math.exp(iso)) - math.pi / 2
    for _step in range(20):
        sin_lat = _E * math.sin(latitude)
        following = (
            2 * math.atan(((1 + sin_lat) / (1 - sin_lat)) ** (_E / 2) * math.exp(iso)) - math.pi / 2
        )
        if abs(following - latitude) < 1e-12:
            latitude = following
            break
        latitude = following
    return math.degrees(longitude), math.degrees(latitude)
