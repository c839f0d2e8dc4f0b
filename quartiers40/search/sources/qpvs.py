"""Priority neighbourhoods: the QPVs in force (`qpvs_current()`: current generation, still in
the last imported layer). Always active."""

from collections.abc import Iterator, Sequence
from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from quartiers40.territories.models import QPV
from quartiers40.territories.reference import department_name
from quartiers40.territories.selectors import qpvs_current

from ..enums import DocumentKind, DocumentState
from ..records import SearchSource
from ._common import region_name_of, unique


class QPVSource:
    kind: str = DocumentKind.QPV.value
    topics: tuple[str, ...] = ("territories",)

    def stamps(self) -> Iterator[tuple[int, datetime | None]]:
        rows = qpvs_current().order_by("pk").values_list("pk", "updated_at")
        yield from rows.iterator()

    def build(self, ids: Sequence[int]) -> list[SearchSource]:
        """One query (without the geometry columns)."""
        qpvs = qpvs_current().filter(pk__in=list(ids)).order_by("pk")
        return [self._record(qpv) for qpv in qpvs]

    def _record(self, qpv: QPV) -> SearchSource:
        communes = qpv.commune_list
        department = qpv.department_name or department_name(qpv.department_code)
        region = qpv.region_name or region_name_of(qpv.department_code)
        summary = (
            _("Quartier prioritaire de %(communes)s (%(department)s)")
            % {"communes": ", ".join(communes), "department": department}
            if communes
            else _("Quartier prioritaire (%(department)s)") % {"department": department}
        )
        point = None
        if qpv.centroid_lat is not None and qpv.centroid_lon is not None:
            point = (qpv.centroid_lat, qpv.centroid_lon)
        return SearchSource(
            kind=self.kind,
            object_id=qpv.pk,
            url=reverse("territories:detail", args=[qpv.code]),
            title=qpv.name,
            summary=summary,
            body=" ".join(unique([qpv.code, *communes, department, region])),
            tags=unique([_("quartier prioritaire"), _("QPV")]),
            places=unique([*communes, department, region]),
            place_label=", ".join(unique([*communes[:2], department])),
            qpv_codes=(qpv.code,),
            commune_codes=unique(qpv.commune_codes or [qpv.commune_code]),
            department_codes=unique([qpv.department_code]),
            point=point,
            state=DocumentState.ACTIVE.value,
            status_label="",
            updated_at=qpv.updated_at,
        )
