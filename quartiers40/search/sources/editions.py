"""Meeting editions: what `editions_public()` returns (published or cancelled editions of an
approved series; a cancelled edition keeps its page). Drafts, and editions of pending or
refused series, are not public.

State: active while upcoming, closed once past or cancelled: it changes with time alone
(`extra["ends_at"]` says when), not with `updated_at`.
"""

from collections.abc import Iterator, Sequence
from datetime import datetime

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from quartiers40.meetings.enums import AgendaItemKind
from quartiers40.meetings.models import AgendaItem, Edition
from quartiers40.meetings.selectors import editions_public

from ..enums import DocumentKind
from ..records import SearchSource
from ._common import join_texts, summary_of, unique
from ._meetings import edition_state, edition_when, editions_places


def agenda_subject_titles(item: AgendaItem) -> list[str]:
    """The titles of the project and défi an item presents, when they are public."""
    titles = []
    if item.project is not None and item.project.is_published:
        titles.append(item.project.title)
    if item.challenge is not None and item.challenge.is_visible:
        titles.append(item.challenge.title)
    return titles


class EditionSource:
    kind: str = DocumentKind.EDITION.value
    topics: tuple[str, ...] = ("meetings", "projects", "challenges", "territories")

    def stamps(self) -> Iterator[tuple[int, datetime | None]]:
        rows = editions_public().order_by("pk").values_list("pk", "updated_at")
        yield from rows.iterator()

    def build(self, ids: Sequence[int]) -> list[SearchSource]:
        """Three queries: the editions with their series, their agenda, the communes named
        in their addresses."""
        agenda = AgendaItem.objects.select_related("project", "challenge").order_by(
            "order", "starts_at", "pk"
        )
        editions = list(
            editions_public()
            .filter(pk__in=list(ids))
            .prefetch_related(Prefetch("agenda_items", queryset=agenda))
            .order_by("pk")
        )
        places = editions_places(editions)
        now = timezone.now()
        return [self._record(edition, places[edition.pk], now) for edition in editions]

    def _record(self, edition: Edition, where, now) -> SearchSource:
        state, status_label = edition_state(edition, now=now)
        programme = [
            " – ".join(unique([item.title, *agenda_subject_titles(item)]))
            for item in edition.agenda_items.all()
            if item.kind != AgendaItemKind.BREAK
        ]
        series = edition.series
        return SearchSource(
            kind=self.kind,
            object_id=edition.pk,
            url=reverse("meetings:edition_detail", kwargs={"slug": edition.slug}),
            title=edition.title,
            summary=summary_of(edition.description, series.description, series.name),
            body=join_texts(
                edition.description,
                "\n".join(programme),
                edition.address,
                edition.accessibility_info,
                edition.cancellation_reason if edition.is_cancelled else "",
            ),
            tags=unique(
                [
                    series.name,
                    series.get_kind_display(),
                    edition.get_format_display(),
                    series.organisation.name if series.organisation is not None else "",
                ]
            ),
            places=where.places,
            place_label=where.place_label,
            qpv_codes=where.qpv_codes,
            commune_codes=where.commune_codes,
            department_codes=where.department_codes,
            point=where.point,
            state=state,
            status_label=status_label,
            updated_at=edition.updated_at,
            extra=edition_when(edition),
        )
