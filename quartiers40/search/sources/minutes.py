"""Minutes: one record per public edition whose minutes are published
(`editions_with_public_minutes()`: a publication date and some text); `object_id` is the
edition's. Body: the minutes and the titles of the edition's action items (all public on
its page, `action_items_public()`); never the name of a person responsible.

State: closed (the meeting has taken place). `updated_at`: the latest of the edition's and
its action items' changes.
"""

from collections.abc import Iterator, Sequence
from datetime import datetime

from django.db.models import Max, Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from quartiers40.meetings.models import ActionItem, Edition
from quartiers40.meetings.selectors import editions_with_public_minutes

from ..enums import DocumentKind, DocumentState
from ..records import SearchSource
from ._common import join_texts, summary_of, unique
from ._meetings import edition_when, editions_places

MINUTES_ANCHOR = "minutes"  # the id of the "Compte rendu" heading on an edition's page


class MinutesSource:
    kind: str = DocumentKind.MINUTES.value
    topics: tuple[str, ...] = ("meetings", "territories")

    def stamps(self) -> Iterator[tuple[int, datetime | None]]:
        rows = (
            editions_with_public_minutes()
            .annotate(actions_updated_at=Max("action_items__updated_at"))
            .order_by("pk")
            .values_list("pk", "updated_at", "actions_updated_at")
        )
        for pk, updated_at, actions_updated_at in rows.iterator():
            yield pk, max(filter(None, (updated_at, actions_updated_at)), default=None)

    def build(self, ids: Sequence[int]) -> list[SearchSource]:
        """Three queries: the editions with their series, their action items, the communes
        named in their addresses."""
        actions = ActionItem.objects.order_by("due_date", "pk")
        editions = list(
            editions_with_public_minutes()
            .filter(pk__in=list(ids))
            .prefetch_related(Prefetch("action_items", queryset=actions))
            .order_by("pk")
        )
        places = editions_places(editions)
        return [self._record(edition, places[edition.pk]) for edition in editions]

    def _record(self, edition: Edition, where) -> SearchSource:
        actions = list(edition.action_items.all())
        updated_at = max(
            filter(None, [edition.updated_at, *(action.updated_at for action in actions)]),
            default=None,
        )
        published_at = edition.minutes_published_at
        assert published_at is not None  # editions_with_public_minutes()
        return SearchSource(
            kind=self.kind,
            object_id=edition.pk,
            url=reverse("meetings:edition_detail", kwargs={"slug": edition.slug})
            + f"#{MINUTES_ANCHOR}",
            title=_("Compte rendu : %(title)s") % {"title": edition.title},
            summary=summary_of(edition.minutes),
            body=join_texts(edition.minutes, "\n".join(action.title for action in actions)),
            tags=unique([_("compte rendu"), edition.series.name]),
            places=where.places,
            place_label=where.place_label,
            qpv_codes=where.qpv_codes,
            commune_codes=where.commune_codes,
            department_codes=where.department_codes,
            point=where.point,
            state=DocumentState.CLOSED.value,
            status_label=_("Publié le %(date)s"),
            status_date=timezone.localtime(published_at).date(),
            updated_at=updated_at,
            extra={
                **edition_when(edition),
                "published_at": published_at.isoformat(),
            },
        )
