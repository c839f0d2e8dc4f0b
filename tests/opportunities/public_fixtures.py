"""Fixtures of the public pages' tests: QPVs with perimeters, communes, a fake geocoder on a
real local HTTP server (tests/territories), and opportunities placed around them.

Import them in a test module: `from tests.opportunities.public_fixtures import *`.
"""

import pytest

from quartiers40.territories.lookup import qpv_index_invalidate
from quartiers40.territories.models import Commune, QPVCommune
from quartiers40.territories.text import search_text
from tests.territories import fake_geocoder
from tests.territories.conftest import http_server
from tests.territories.factories import GoutteDOrFactory, QPVFactory, box

# What `import *` brings: the fixtures (autouse ones included, whose names start with "_").
__all__ = ["_fresh_qpv_index", "_no_real_geocoder", "geocoder", "http_server", "territory"]

# The Goutte d'Or square: 2.35–2.36 E, 48.88–48.89 N; its centroid 2.355, 48.885.
IN_GOUTTE_DOR = (48.8860, 2.3540)  # lat, lon: "20 rue de la Goutte d'Or 75018 Paris"
SEVRAN_QPV_CENTER = (48.94, 2.53)
METRES_PER_DEGREE_LAT = 111_132


@pytest.fixture(autouse=True)
def _no_real_geocoder(settings):
    """Nothing leaves 127.0.0.1: the geocoder is off unless a test serves it locally."""
    settings.GEOCODER_ENABLED = False
    settings.GEOCODER_RETRIES = 0


@pytest.fixture(autouse=True)
def _fresh_qpv_index():
    qpv_index_invalidate()
    yield
    qpv_index_invalidate()


@pytest.fixture
def geocoder(http_server, settings):
    settings.GEOCODER_ENABLED = True
    fake_geocoder.install(http_server, settings)
    return http_server


def commune(code: str, name: str, postcodes: list[str], department: str, parent: str = ""):
    return Commune.objects.create(
        code=code,
        name=name,
        kind="arrondissement-municipal" if parent else "commune-actuelle",
        parent_code=parent,
        postcodes=postcodes,
        department_code=department,
        search_name=search_text(name),
        search_postcodes=f" {' '.join(postcodes)} ",
    )


@pytest.fixture
def territory(db):
    """The Goutte d'Or (Paris), a QPV in Sevran, and their communes (Saint-Denis twice)."""
    goutte_dor = GoutteDOrFactory()
    sevran_qpv = QPVFactory(
        code="QN09349I",
        name="Les Beaudottes",
        department_code="93",
        department_name="Seine-Saint-Denis",
        commune_code="93071",
        commune_name="Sevran",
        commune_codes=["93071"],
        commune_names=["Sevran"],
        geometry=box(SEVRAN_QPV_CENTER[1] - 0.005, SEVRAN_QPV_CENTER[0] - 0.005, 0.01),
    )
    paris = commune("75056", "Paris", ["75001", "75018"], "75")
    commune("75118", "Paris 18e Arrondissement", ["75018"], "75", parent="75056")
    sevran = commune("93071", "Sevran", ["93270"], "93")
    commune("93066", "Saint-Denis", ["93200", "93210"], "93")
    commune("97411", "Saint-Denis", ["97400", "97490"], "974")
    commune("93008", "Bobigny", ["93000"], "93")  # no QPV here in these tests
    QPVCommune.objects.create(qpv=goutte_dor, commune=paris)
    QPVCommune.objects.create(qpv=sevran_qpv, commune=sevran)
    return {"goutte_dor": goutte_dor, "sevran": sevran_qpv}


def north_of(origin: tuple[float, float], metres: float) -> tuple[float, float]:
    return origin[0] + metres / METRES_PER_DEGREE_LAT, origin[1]
