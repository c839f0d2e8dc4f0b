"""Opportunities: what `opportunities_public()` returns (published items; drafts, items in
review, returned, expired and withdrawn ones are not public).

State: closed when it is over (deadline, end date or last session passed: the nightly expiry
has not run yet, the public pages still show it), else active. Places: the QPVs its places
lie in, then their communes; the QPVs within `QPV_NEARBY_METRES` of a place also get its
code (as a QPV page lists them). Remote only: no place, "À distance". The provider's contact
(phone, e-mail) and the people interested are never read.
"""

from collections.abc import Iterator, Sequence
from datetime import date, datetime

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from quartiers40.opportunities.enums import (
    THEME_LABELS,
    HowToGo,
    OpportunityStatus,
    Situation,
)
from quartiers40.opportunities.models import Opportunity, OpportunityPlace, OpportunityPlaceQPV
from quartiers40.opportunities.sections import QPV_NEARBY_METRES
from quartiers40.opportunities.selectors import opportunities_public
from quartiers40.opportunities.services.lifecycle import opportunity_is_over
from quartiers40.territories.selectors import qpvs_current

from ..enums import DocumentKind, DocumentState
from ..records import SearchSource
from ._common import join_texts, places_of, summary_of, unique


class OpportunitySource:
    kind: str = DocumentKind.OPPORTUNITY.value
    topics: tuple[str, ...] = ("opportunities", "members", "territories")

    def stamps(self) -> Iterator[tuple[int, datetime | None]]:
        rows = opportunities_public().order_by("pk").values_list("pk", "last_updated_at")
        yield from rows.iterator()

    def build(self, ids: Sequence[int]) -> list[SearchSource]:
        """Four queries: the items with their provider, places, places' QPVs, sessions."""
        links = (
            OpportunityPlaceQPV.objects.filter(
                distance_m__lte=QPV_NEARBY_METRES, qpv__in=qpvs_current().values("pk")
            )
            .select_related("qpv")
            .defer("qpv__geometry_wkb", "qpv__display_geojson")
            .order_by("distance_m", "qpv__code")
        )
        places = OpportunityPlace.objects.order_by("pk").prefetch_related(
            Prefetch("qpv_links", queryset=links)
        )
        opportunities = (
            opportunities_public()
            .filter(pk__in=list(ids))
            .prefetch_related(Prefetch("places", queryset=places), "sessions")
            .order_by("pk")
        )
        today = timezone.localdate()
        return [self._record(opportunity, today) for opportunity in opportunities]

    def _record(self, opportunity: Opportunity, today: date) -> SearchSource:
        places = list(opportunity.places.all())
        links = [link for place in places for link in place.qpv_links.all()]
        inside = unique_qpvs(link.qpv for link in links if link.inside)
        point = next(
            (
                (place.latitude, place.longitude)
                for place in places
                if place.latitude is not None and place.longitude is not None
            ),
            None,
        )
        where = places_of(
            inside,
            commune_names=[place.commune_name for place in places],
            commune_codes=[place.commune_code for place in places],
            extra_qpv_codes=[link.qpv.code for link in links],
            point=point,
        )
        place_label = where.place_label
        if opportunity.is_remote:
            place_label = (
                _("%(place)s ou à distance") % {"place": place_label}
                if place_label
                else _("À distance")
            )
        over = opportunity_is_over(opportunity, today=today)
        return SearchSource(
            kind=self.kind,
            object_id=opportunity.pk,
            url=opportunity.get_absolute_url(),
            title=opportunity.title,
            summary=summary_of(opportunity.summary, opportunity.description),
            body=join_texts(
                opportunity.description,
                opportunity.eligibility_details,
                opportunity.access_conditions,
                opportunity.schedule_details,
                opportunity.cost_details,
                " ; ".join(
                    str(HowToGo(code).label)
                    for code in opportunity.how_to_go
                    if code in HowToGo.values
                ),
                "\n".join(place.one_line for place in places),
                "\n".join(session.details for session in opportunity.sessions.all()),
                opportunity.provider_name,
            ),
            tags=unique(
                [
                    opportunity.get_kind_display(),
                    *(THEME_LABELS.get(code, "") for code in opportunity.themes),
                    *(
                        Situation(code).label
                        for code in opportunity.situations
                        if code in Situation.values
                    ),
                    opportunity.get_cost_display(),
                    opportunity.provider_name,
                    _("À distance") if opportunity.is_remote else "",
                ]
            ),
            places=where.places,
            place_label=place_label,
            qpv_codes=where.qpv_codes,
            commune_codes=where.commune_codes,
            department_codes=where.department_codes,
            point=where.point,
            state=DocumentState.CLOSED.value if over else DocumentState.ACTIVE.value,
            status_label=status_label(opportunity, over=over, today=today),
            status_date=(
                opportunity.deadline
                if not over and opportunity.deadline and opportunity.deadline >= today
                else None
            ),
            updated_at=opportunity.last_updated_at,
            extra={"deadline": opportunity.deadline.isoformat()} if opportunity.deadline else {},
        )


def unique_qpvs(qpvs) -> list:
    return list({qpv.pk: qpv for qpv in qpvs}.values())


def status_label(opportunity: Opportunity, *, over: bool, today: date) -> str:
    if over:
        return str(OpportunityStatus.EXPIRED.label)
    if opportunity.deadline and opportunity.deadline >= today:
        return _("Inscriptions jusqu'au %(date)s")  # the date: `status_date`
    return _("Ouverte")
