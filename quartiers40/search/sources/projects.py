"""Projects: the published ones, as the catalogue shows them (`Project.objects.published()`).

Drafts, submitted, returned and archived projects are not public. State: closed when the
project has stopped (stage "Arrêté") or its end date has passed, else active.
"""

from collections.abc import Iterator, Sequence
from datetime import datetime

from django.utils import timezone

from quartiers40.members.enums import OrganisationKind
from quartiers40.projects.enums import Stage
from quartiers40.projects.models import Project
from quartiers40.projects.selectors import projects_with_relations

from ..enums import DocumentKind, DocumentState
from ..records import SearchSource
from ._common import join_texts, places_of, summary_of, unique


class ProjectSource:
    kind: str = DocumentKind.PROJECT.value
    topics: tuple[str, ...] = ("projects", "members", "territories")

    def stamps(self) -> Iterator[tuple[int, datetime | None]]:
        rows = Project.objects.published().order_by("pk").values_list("pk", "last_updated_at")
        yield from rows.iterator()

    def build(self, ids: Sequence[int]) -> list[SearchSource]:
        """Three queries: the projects with their carrier, their QPVs, their partners."""
        projects = projects_with_relations(Project.objects.published().filter(pk__in=list(ids)))
        today = timezone.localdate()
        return [self._record(project, today) for project in projects.order_by("pk")]

    def _record(self, project: Project, today) -> SearchSource:
        carrier = project.carrier
        partners = list(project.partners.all())
        where = places_of(project.qpvs.all(), department_codes=project.departments)
        ended = project.stage == Stage.STOPPED or (
            project.ended_on is not None and project.ended_on < today
        )
        kind_label = OrganisationKind(carrier.kind).label if carrier.kind else ""
        return SearchSource(
            kind=self.kind,
            object_id=project.pk,
            url=project.get_absolute_url(),
            title=project.title,
            summary=summary_of(project.easy_read_summary, project.summary),
            body=join_texts(
                project.summary,
                project.description,
                project.problem,
                project.ai_description,
                project.results,
                project.funding,
            ),
            tags=unique(
                [
                    *project.theme_labels(),
                    project.get_ai_category_display() if project.ai_category else "",
                    project.get_stage_display(),
                    *project.beneficiary_labels(),
                    carrier.name,
                    kind_label,
                    *(partner.name for partner in partners),
                ]
            ),
            places=where.places,
            place_label=where.place_label,
            qpv_codes=where.qpv_codes,
            commune_codes=where.commune_codes,
            department_codes=where.department_codes,
            point=where.point,
            state=DocumentState.CLOSED.value if ended else DocumentState.ACTIVE.value,
            status_label=str(project.get_stage_display()),
            updated_at=project.last_updated_at,
        )
