import factory
import shapely

from quartiers40.territories.geometry import as_multipolygon
from quartiers40.territories.models import QPV
from quartiers40.territories.services import qpv_geometry_fields


class QPVFactory(factory.django.DjangoModelFactory):
    """A QPV; pass `geometry=<shapely polygon>` to fill the geometry fields like an import."""

    class Meta:
        model = QPV

    code = factory.Sequence(lambda n: f"QN075{n:02d}T")
    name = factory.Sequence(lambda n: f"Quartier {n}")
    department_code = "75"
    department_name = "Paris"
    region_code = "11"
    region_name = "Île-de-France"
    commune_code = "75056"
    commune_name = "Paris"
    commune_codes = factory.LazyFunction(lambda: ["75056"])
    commune_names = factory.LazyFunction(lambda: ["Paris"])

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        geometry = kwargs.pop("geometry", None)
        if geometry is not None:
            kwargs.update(qpv_geometry_fields(as_multipolygon(geometry)))
        return kwargs


def box(lon: float, lat: float, size: float = 0.01) -> shapely.Polygon:
    return shapely.box(lon, lat, lon + size, lat + size)


class GoutteDOrFactory(QPVFactory):
    """The Goutte d'Or (Paris 18e), with the official properties; a square perimeter."""

    code = "QN07511M"
    name = "Goutte D'Or"
    department_code = "75"
    department_name = "Paris"
    commune_code = "75056"
    commune_name = "Paris"
    commune_codes = factory.LazyFunction(lambda: ["75056"])
    commune_names = factory.LazyFunction(lambda: ["Paris"])
    epci_siren = "200054781"
    geometry = factory.LazyFunction(lambda: box(2.35, 48.88, 0.01))
