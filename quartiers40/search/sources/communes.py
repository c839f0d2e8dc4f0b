"""Communes: not the ~35,000 of France, only those a person may look for here: the communes
a current QPV lies in, and those where a published opportunity has a place
(`communes_for_search`). Projects are placed by QPV (their communes are in the first set)
or by department; editions only by a free address: neither adds a commune.

A commune has no page of its own: its URL is the QPV directory filtered on its code, or,
without a QPV, the opportunities near it. Its code (a string: "2A004") becomes an integer
`object_id` (`commune_object_id`). The commune table has no timestamp: `updated_at` is None.
"""

from collections.abc import Iterator, Sequence
from datetime import datetime
from urllib.parse import urlencode

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from quartiers40.opportunities.selectors import opportunities_public_commune_codes
from quartiers40.territories.models import Commune
from quartiers40.territories.reference import department_name
from quartiers40.territories.selectors import communes_for_search, qpvs_current

from ..enums import DocumentKind, DocumentState
from ..records import SearchSource
from ._common import region_name_of, unique

# Corsica's codes start with 2A or 2B: put apart from every numeric code (at most 99999).
_CORSICA = {"2A": 2_000_000, "2B": 2_100_000}


def commune_object_id(code: str) -> int:
    """ "93066" → 93066, "2A004" → 2000004, "2B033" → 2100033."""
    code = code.upper()
    prefix = code[:2]
    if prefix in _CORSICA:
        return _CORSICA[prefix] + int(code[2:])
    return int(code)


def commune_code_of(object_id: int) -> str:
    """The reverse of `commune_object_id`."""
    for prefix, base in sorted(_CORSICA.items(), key=lambda item: -item[1]):
        if object_id >= base:
            return f"{prefix}{object_id - base:03d}"
    return f"{object_id:05d}"


def _communes():
    # The codes read first (a few hundred): as a subquery inside the OR, SQLite ran it
    # for each of the 35,000 communes (12 s on the demo).
    codes = opportunities_public_commune_codes().values_list("commune_code", flat=True)
    return communes_for_search(also_codes=sorted(set(codes)))


class CommuneSource:
    kind: str = DocumentKind.COMMUNE.value
    topics: tuple[str, ...] = ("territories", "opportunities")

    def stamps(self) -> Iterator[tuple[int, datetime | None]]:
        for code in _communes().order_by("code").values_list("code", flat=True).iterator():
            yield commune_object_id(code), None

    def build(self, ids: Sequence[int]) -> list[SearchSource]:
        """Two queries: the communes, their QPVs in force."""
        codes = [commune_code_of(object_id) for object_id in ids]
        communes = (
            _communes()
            .filter(code__in=codes)
            .prefetch_related(Prefetch("qpvs", queryset=qpvs_current().order_by("name")))
            .order_by("code")
        )
        return [self._record(commune) for commune in communes]

    def _record(self, commune: Commune) -> SearchSource:
        qpvs = list(commune.qpvs.all())
        department = department_name(commune.department_code)
        region = region_name_of(commune.department_code)
        if qpvs:
            url = reverse("territories:directory") + "?" + urlencode({"q": commune.code})
            summary = ngettext(
                "Commune (%(department)s) : %(count)s quartier prioritaire",
                "Commune (%(department)s) : %(count)s quartiers prioritaires",
                len(qpvs),
            ) % {"department": department, "count": len(qpvs)}
        else:
            url = (
                reverse("opportunities:search")
                + "?"
                + urlencode({"lieu": commune.name, "commune": commune.code})
            )
            summary = _("Commune (%(department)s)") % {"department": department}
        centroids = [
            (qpv.centroid_lat, qpv.centroid_lon) for qpv in qpvs if qpv.centroid_lat is not None
        ]
        point = None
        if centroids:
            point = (
                sum(lat for lat, _lon in centroids) / len(centroids),
                sum(lon for _lat, lon in centroids) / len(centroids),
            )
        return SearchSource(
            kind=self.kind,
            object_id=commune_object_id(commune.code),
            url=url,
            title=commune.name,
            summary=summary,
            body=" ".join(
                unique([*(qpv.name for qpv in qpvs), *(commune.postcodes or []), commune.epci_name])
            ),
            tags=unique([commune.get_kind_display(), commune.epci_name]),
            places=unique([department, region]),
            place_label=department,
            qpv_codes=unique(qpv.code for qpv in qpvs),
            commune_codes=unique([commune.code, commune.parent_code]),
            department_codes=unique([commune.department_code]),
            point=point,
            state=DocumentState.ACTIVE.value,
            status_label="",
            updated_at=None,
            extra={"population": commune.population} if commune.population else {},
        )
