"""Links to QPV pages and French formatting of distances and areas."""

from django import template
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ..models import QPV
from ..reference import department_name

register = template.Library()


@register.filter
def qpv_url(qpv: QPV | str) -> str:
    """The page of a QPV (or of a QPV code)."""
    code = qpv if isinstance(qpv, str) else qpv.code
    return reverse("territories:detail", args=[code])


@register.filter
def distance(metres: float | None) -> str:
    """ "350 m", "1,2 km", "18 km": as precise as the perimeters are (about 10 m)."""
    if metres is None:
        return ""
    if metres < 10:
        return _("moins de 10 m")
    if round(metres, -1) < 1000:
        return _("%(value)s m") % {"value": number_format(round(metres, -1), 0)}
    if round(metres, -2) < 10_000:
        return _("%(value)s km") % {"value": number_format(round(metres / 1000, 1), 1)}
    return _("%(value)s km") % {
        "value": number_format(round(metres / 1000), 0, force_grouping=True)
    }


@register.filter
def hectares(qpv: QPV) -> str:
    """The area of a QPV: "60,7 ha"."""
    area = qpv.area_hectares
    if area is None:
        return ""
    return _("%(value)s ha") % {"value": number_format(round(area, 1), 1, force_grouping=True)}


@register.filter
def qpv_communes(qpv: QPV) -> str:
    """Its communes by name: "Sevran, Aulnay-sous-Bois" (never a code: "" when unknown)."""
    return ", ".join(qpv.commune_list)


@register.filter
def qpv_place(qpv: QPV) -> str:
    """Where it is, in words: "Sevran, Aulnay-sous-Bois – Seine-Saint-Denis"."""
    department = qpv.department_name or department_name(qpv.department_code)
    communes = qpv_communes(qpv)
    return f"{communes} – {department}" if communes else department
