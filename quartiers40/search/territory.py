"""What "Où ?" means on the search page: a department, a QPV, or a point to search around
(a commune, an address), resolved by the same code as "Près de chez moi"."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from quartiers40.opportunities.selectors.places import PlaceKind, PlaceProblem, search_place_resolve
from quartiers40.territories.selectors import communes_named, qpv_summary_get
from quartiers40.territories.text import search_text

from .forms import DEPARTMENT_CODE
from .selectors import Around


@dataclass
class Territory:
    label: str = ""
    qpv: str = ""
    department: str = ""
    around: Around | None = None
    problem: str = ""  # a sentence to show when the place is not understood
    suggestions: list[str] = field(default_factory=list)  # what to type instead


def territory_resolve(text: str, *, radius_km: int) -> Territory:
    text = " ".join(text.split())
    if not text:
        return Territory()
    if DEPARTMENT_CODE.match(text.upper()):
        return Territory(
            label=_("département %(code)s") % {"code": text.upper()}, department=text.upper()
        )
    answer = search_place_resolve(text=text)
    place = answer.place
    if place is not None:
        if place.kind == PlaceKind.QPV and place.home_qpv_code:
            return Territory(label=place.label, qpv=place.home_qpv_code)
        return Territory(
            label=place.label,
            around=Around(lat=place.lat, lon=place.lon, radius_m=radius_km * 1000),
        )
    suggestions = [f"{commune.name} ({commune.department_code})" for commune in answer.communes]
    suggestions += [f"{qpv.name} ({qpv.code})" for qpv in answer.qpvs]
    if answer.problem == PlaceProblem.CHOOSE:
        problem = _("Plusieurs communes portent ce nom : choisissez-en une.")
    elif answer.problem == PlaceProblem.GEOCODER_OFF:
        problem = _(
            "La recherche d'adresse n'est pas disponible : écrivez une commune, un code postal "
            "ou le nom d'un quartier."
        )
    else:
        problem = _("Nous ne trouvons pas « %(text)s ». Essayez une commune ou un code postal.") % {
            "text": text
        }
    return Territory(problem=problem, suggestions=suggestions[:8])


def place_named(label: str) -> str:
    """The place recognised in a query, as the official list writes it ("merignac" →
    "Mérignac"), when one commune has that name; else as she typed it."""
    if not label:
        return ""
    communes = communes_named([search_text(label)])
    names = {commune.name for commune in communes}
    return names.pop() if len(names) == 1 else label


def qpv_label(code: str) -> str:
    qpv = qpv_summary_get(code=code)
    return qpv.name if qpv is not None else code
