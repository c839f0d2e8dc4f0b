"""Défis: what the public list shows (`Challenge.objects.visible()`): moderated, not hidden,
not merged into another défi. Pending moderation, hidden and merged ones are not public.

State: closed when solved or closed without a solution, else active. The author is a person:
nothing of theirs is read (only the défi's own texts, themes and places).
"""

from collections.abc import Iterator, Sequence
from datetime import datetime

from quartiers40.challenges.enums import ChallengeStatus
from quartiers40.challenges.models import Challenge
from quartiers40.challenges.selectors import challenges_with_relations

from ..enums import DocumentKind, DocumentState
from ..records import SearchSource
from ._common import join_texts, places_of, summary_of, unique

CLOSED_STATUSES = {ChallengeStatus.SOLVED, ChallengeStatus.CLOSED}


class ChallengeSource:
    kind: str = DocumentKind.CHALLENGE.value
    topics: tuple[str, ...] = ("challenges", "territories")

    def stamps(self) -> Iterator[tuple[int, datetime | None]]:
        rows = Challenge.objects.visible().order_by("pk").values_list("pk", "updated_at")
        yield from rows.iterator()

    def build(self, ids: Sequence[int]) -> list[SearchSource]:
        """Two queries: the défis, their QPVs."""
        challenges = challenges_with_relations(Challenge.objects.visible().filter(pk__in=list(ids)))
        return [self._record(challenge) for challenge in challenges.order_by("pk")]

    def _record(self, challenge: Challenge) -> SearchSource:
        where = places_of(
            challenge.qpvs.all(),
            commune_names=[challenge.commune_name],
            commune_codes=[challenge.commune_insee],
            department_codes=[challenge.department],
        )
        solved = challenge.status == ChallengeStatus.SOLVED
        return SearchSource(
            kind=self.kind,
            object_id=challenge.pk,
            url=challenge.get_absolute_url(),
            title=challenge.title,
            summary=summary_of(challenge.situation),
            body=join_texts(
                challenge.situation,
                challenge.affected,
                challenge.solved_when,
                challenge.outcome_result if solved else "",
                challenge.outcome_text if solved else "",
            ),
            tags=unique([*challenge.theme_labels(), challenge.get_status_display()]),
            places=where.places,
            place_label=where.place_label,
            qpv_codes=where.qpv_codes,
            commune_codes=where.commune_codes,
            department_codes=where.department_codes,
            point=where.point,
            state=(
                DocumentState.CLOSED.value
                if challenge.status in CLOSED_STATUSES
                else DocumentState.ACTIVE.value
            ),
            status_label=str(challenge.get_status_display()),
            updated_at=challenge.updated_at,
        )
