"""Agenda items: every item of a public edition, as its page's "Ordre du jour" shows it
(`agenda_items_public()`; an agenda item has no status of its own), breaks left out.

The speakers' names are not read: they are people (the edition's page shows them, the
search does not keep them). The project or défi presented is named only when public.
The model has no timestamp of its own: `updated_at` is None (the lead compares content).
"""

from collections.abc import Iterator, Sequence
from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from quartiers40.meetings.enums import AgendaItemKind
from quartiers40.meetings.models import AgendaItem
from quartiers40.meetings.selectors import agenda_items_public

from ..enums import DocumentKind
from ..records import SearchSource
from ._common import join_texts, unique
from ._meetings import edition_state, edition_when, editions_places
from .editions import agenda_subject_titles

AGENDA_ANCHOR = "agenda"  # the id of the "Ordre du jour" heading on an edition's page


def public_agenda_items():
    return agenda_items_public().exclude(kind=AgendaItemKind.BREAK)


class AgendaItemSource:
    kind: str = DocumentKind.AGENDA_ITEM.value
    topics: tuple[str, ...] = ("meetings", "projects", "challenges", "territories")

    def stamps(self) -> Iterator[tuple[int, datetime | None]]:
        rows = public_agenda_items().order_by("pk").values_list("pk", flat=True)
        for pk in rows.iterator():
            yield pk, None

    def build(self, ids: Sequence[int]) -> list[SearchSource]:
        """Two queries: the items with their edition, series, project and défi; the
        communes named in the editions' addresses."""
        items = list(public_agenda_items().filter(pk__in=list(ids)).order_by("pk"))
        places = editions_places({item.edition_id: item.edition for item in items}.values())
        now = timezone.now()
        return [self._record(item, places[item.edition_id], now) for item in items]

    def _record(self, item: AgendaItem, where, now) -> SearchSource:
        edition = item.edition
        state, status_label = edition_state(edition, now=now)
        subjects = agenda_subject_titles(item)
        when = date_format(timezone.localtime(edition.starts_at), "j F Y")
        extra = {**edition_when(edition), "edition_id": edition.pk}
        if item.starts_at is not None:
            extra["time"] = item.starts_at.strftime("%H:%M")
        return SearchSource(
            kind=self.kind,
            object_id=item.pk,
            url=reverse("meetings:edition_detail", kwargs={"slug": edition.slug})
            + f"#{AGENDA_ANCHOR}",
            title=item.title,
            summary=_("%(kind)s à la rencontre « %(edition)s » du %(date)s")
            % {"kind": item.get_kind_display(), "edition": edition.title, "date": when},
            body=join_texts(*subjects, edition.title),
            tags=unique([item.get_kind_display(), edition.series.name]),
            places=where.places,
            place_label=where.place_label,
            qpv_codes=where.qpv_codes,
            commune_codes=where.commune_codes,
            department_codes=where.department_codes,
            point=where.point,
            state=state,
            status_label=status_label,
            updated_at=None,
            extra=extra,
        )
