"""Organisations: those with a public profile, i.e. members of the collective, as the
directory lists them (`Organisation.objects.members_of_collective()`). Candidates and
refused ones are not public.

Never a person: the record holds the organisation's own fields only (name, kind,
description, commune, QPVs), never its people, and no e-mail address or phone number
written in its description (`_common.plain_text`).
"""

from collections.abc import Iterator, Sequence
from datetime import datetime

from quartiers40.members.enums import OrganisationStatus
from quartiers40.members.models import Organisation
from quartiers40.members.selectors import organisation_with_qpvs

from ..enums import DocumentKind, DocumentState
from ..records import SearchSource
from ._common import join_texts, places_of, summary_of, unique


class OrganisationSource:
    kind: str = DocumentKind.ORGANISATION.value
    topics: tuple[str, ...] = ("members", "territories")

    def stamps(self) -> Iterator[tuple[int, datetime | None]]:
        rows = (
            Organisation.objects.members_of_collective()
            .order_by("pk")
            .values_list("pk", "updated_at")
        )
        yield from rows.iterator()

    def build(self, ids: Sequence[int]) -> list[SearchSource]:
        """Two queries: the organisations, their QPVs."""
        organisations = organisation_with_qpvs().filter(
            pk__in=Organisation.objects.members_of_collective().filter(pk__in=list(ids))
        )
        return [self._record(organisation) for organisation in organisations.order_by("pk")]

    def _record(self, organisation: Organisation) -> SearchSource:
        where = places_of(
            organisation.qpvs.all(),
            commune_names=[organisation.commune_name],
            commune_codes=[organisation.commune_code],
            department_codes=[organisation.department_code],
        )
        # Where it is based comes first on its card, then where it acts.
        label = ", ".join(unique([organisation.commune_name])) or where.place_label
        return SearchSource(
            kind=self.kind,
            object_id=organisation.pk,
            url=organisation.get_absolute_url(),
            title=organisation.name,
            summary=summary_of(organisation.description),
            body=join_texts(organisation.description),
            tags=unique([organisation.get_kind_display()]),
            places=unique([organisation.commune_name, *where.places]),
            place_label=label,
            qpv_codes=where.qpv_codes,
            commune_codes=unique([organisation.commune_code, *where.commune_codes]),
            department_codes=where.department_codes,
            point=where.point,
            state=DocumentState.ACTIVE.value,
            status_label=str(OrganisationStatus.MEMBER.label),
            updated_at=organisation.updated_at,
        )
