"""Codes sent to the API turned into the objects they name, shared by the routers."""

from django.utils.translation import gettext as _

from quartiers40.territories.models import QPV

from .errors import field_error


def qpvs_from_codes(codes: list[str], *, field: str = "qpvs") -> list[QPV]:
    """QPV codes -> QPVs in force, without their geometry; an unknown one is a field error."""
    codes = list(dict.fromkeys(codes))
    qpvs = list(QPV.objects.current().without_geometry_fields().filter(code__in=codes))
    unknown = sorted(set(codes) - {qpv.code for qpv in qpvs})
    if unknown:
        raise field_error(
            field, _("Quartier prioritaire inconnu : %(codes)s.") % {"codes": ", ".join(unknown)}
        )
    return qpvs
