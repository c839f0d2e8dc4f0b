"""On a project: pilot sites, partners of complementary kinds, public funding."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db.models import Q
from django.utils.translation import gettext as _

from quartiers40.challenges.enums import ChallengeStatus
from quartiers40.challenges.models import Challenge
from quartiers40.members.enums import OrganisationKind
from quartiers40.members.models import Organisation
from quartiers40.projects.enums import Theme
from quartiers40.projects.models import Project
from quartiers40.territories.models import QPV

from .. import explain
from ..enums import SuggestionKind
from ..signals_text import query_text, text_hits
from .common import (
    CACHE_PREFIX,
    COMPLEMENTARY_KINDS,
    PER_TYPE,
    W_ASKED,
    W_NOTHING_SIMILAR,
    Place,
    Suggestion,
    cached,
    kind_reason,
    organisation_place,
    organisation_suggestion,
    place_reasons,
    theme_labels,
    theme_reason,
    top,
    words_reason,
)

# --- On a project: pilot sites, partners, public funding ------------------------------------


def project_query(project: Project) -> str:
    return query_text(
        project.title,
        " ".join(theme_labels(project.themes)),
        project.summary,
        project.problem,
        project.easy_read_summary,
    )


def pilot_sites_for_project(project: Project, *, text: str | None = None) -> list[Suggestion]:
    """QPVs where défis ask for this kind of answer and no published project of its themes
    exists yet (nor this one)."""
    text = project_query(project) if text is None else text
    themes = [code for code in project.themes if code in Theme.values]
    hits = text_hits(text, "challenge")
    wanted = Q(pk__in=list(hits))
    for code in themes:
        wanted |= Q(pk__in=Challenge.objects.with_theme(code).values("pk"))
    challenges = (
        Challenge.objects.visible()
        .filter(status__in=[ChallengeStatus.OPEN, ChallengeStatus.BEING_ADDRESSED])
        .filter(wanted)
        .prefetch_related("qpvs")
    )
    own = {qpv.pk for qpv in project.qpvs.all()}
    asked: dict[int, list[Challenge]] = defaultdict(list)
    qpvs: dict[int, QPV] = {}
    for challenge in challenges:
        for qpv in challenge.qpvs.all():
            if qpv.pk not in own:
                asked[qpv.pk].append(challenge)
                qpvs[qpv.pk] = qpv
    if not asked:
        return []
    # Where a published project of one of its themes already is: not "nothing similar".
    covered: set[int] = set()
    for code in themes:
        covered |= set(
            Project.objects.published()
            .with_theme(code)
            .exclude(pk=project.pk)
            .filter(qpvs__in=list(asked))
            .values_list("qpvs", flat=True)
        )
    place = Place.of(
        project.qpvs.all(),
        communes=[(project.carrier.commune_code, project.carrier.commune_name)],
        departments=[*project.departments, project.carrier.department_code],
    )
    suggestions = []
    for qpv_id, found in asked.items():
        if qpv_id in covered:
            continue
        qpv = qpvs[qpv_id]
        suggestion = Suggestion(
            kind=SuggestionKind.PILOT_SITE,
            key=f"qpv:{qpv.code}",
            object_id=qpv.pk,
            title=qpv.name,
            url=_qpv_url(qpv),
            subtitle=", ".join(part for part in (qpv.commune_name, qpv.department_name) if part),
        )
        shared = sorted({code for c in found for code in c.themes if code in themes})
        best = max((hits[c.pk] for c in found if c.pk in hits), key=lambda h: h.score, default=None)
        labels = theme_labels(shared) or [_("le même sujet")]
        suggestion.add(
            explain.asked_for_reason(len(found), labels, W_ASKED * min(1.0, 0.6 + 0.2 * len(found)))
        )
        suggestion.add(words_reason(best))
        suggestion.add(explain.nothing_similar_reason(W_NOTHING_SIMILAR))
        place_reasons(suggestion, place, Place.of([qpv]), feminine=False)
        # "à 3 km de X" reads from the candidate to the project's own QPV: say it that way.
        suggestions.append(suggestion)
    return top(suggestions)


def _qpv_url(qpv: QPV) -> str:
    from quartiers40.territories.templatetags.territories import qpv_url

    return qpv_url(qpv)


def partners_for_project(project: Project, *, pilot_qpvs: Iterable[QPV] = ()) -> list[Suggestion]:
    """Member organisations of a kind complementary to the carrier's, already active where
    the project is (or where it could go), not already in it."""
    complementary = COMPLEMENTARY_KINDS.get(project.carrier.kind, set())
    if not complementary:
        return []
    text = project_query(project)
    hits = text_hits(text, "organisation")
    project_qpvs = list(project.qpvs.all())
    where = {qpv.pk: qpv for qpv in [*project_qpvs, *pilot_qpvs]}
    departments = set(project.departments) | {q.department_code for q in where.values()}
    if project.carrier.department_code:
        departments.add(project.carrier.department_code)
    themes = set(project.themes)
    projects_by_org: dict[int, list[Project]] = defaultdict(list)
    for other in Project.objects.published().exclude(pk=project.pk).prefetch_related("qpvs"):
        projects_by_org[other.carrier_id].append(other)
    excluded = {project.carrier_id, *project.partners.values_list("pk", flat=True)}
    candidates = (
        Organisation.objects.members_of_collective()
        .filter(kind__in=complementary)
        .exclude(pk__in=excluded)
        .filter(
            Q(qpvs__in=list(where))
            | Q(department_code__in=departments)
            | Q(pk__in=list(projects_by_org))
            | Q(pk__in=list(hits))
        )
        .distinct()
        .prefetch_related("qpvs")
    )
    place = Place.of(where.values(), departments=departments)
    suggestions = []
    for organisation in candidates:
        projects = projects_by_org.get(organisation.pk, [])
        org_place = organisation_place(organisation, projects)
        if not (
            {q.code for q in org_place.qpvs} & {q.code for q in where.values()}
            or org_place.departments & departments
        ):
            continue  # not active there
        suggestion = organisation_suggestion(organisation, kind=SuggestionKind.PARTNER)
        suggestion.add(words_reason(hits.get(organisation.pk)))
        org_themes = {code for p in projects for code in p.themes}
        suggestion.add(theme_reason(sorted(themes & org_themes)))
        place_reasons(suggestion, place, org_place, feminine=True)
        suggestion.add(kind_reason(project.carrier.kind, organisation))
        suggestions.append(suggestion)
    return top(suggestions)


AUDIENCE_OF_KIND = {
    OrganisationKind.ASSOCIATION: "association",
    OrganisationKind.RESIDENTS_GROUP: "association",
    OrganisationKind.LOCAL_AUTHORITY: "commune",
    OrganisationKind.COMPANY: "private-sector",
    OrganisationKind.STARTUP: "private-sector",
    OrganisationKind.RESEARCH_LAB: "researcher",
}


def funding_for_project(project: Project) -> list[Suggestion]:
    """Public aids from Aides-territoires for the carrier's kind, on its commune's perimeter.
    Nothing when the adapter is off or fails."""
    from ..clients.aides_territoires import AidesTerritoiresUnavailable, aides_enabled, aids_search

    if not aides_enabled():
        return []
    labels = theme_labels(project.themes)
    keyword = labels[0] if labels else query_text(project.title, words=3)
    insee = next((q.commune_code for q in project.qpvs.all() if q.commune_code), "")
    insee = insee or project.carrier.commune_code
    audiences = [AUDIENCE_OF_KIND[project.carrier.kind]] if project.carrier.kind else []
    try:
        aids = aids_search(
            text=keyword, audiences=audiences, perimeter_insee=insee or "", limit=PER_TYPE
        )
    except (AidesTerritoiresUnavailable, ValueError):
        return []
    today = date.today()
    suggestions = []
    for aid in aids:
        if aid.deadline is not None and aid.deadline < today:
            continue
        suggestion = Suggestion(
            kind=SuggestionKind.FUNDING,
            key=f"aid:{aid.id}",
            title=aid.name,
            url=aid.url,
            external_url=aid.url,
            subtitle=aid.perimeter,
        )
        if labels:
            suggestion.add(explain.theme_reason([keyword], 0.0))
        else:
            suggestion.add(explain.words_reason([keyword], 0.0))
        if aid.financers:
            suggestion.add(explain.funder_reason(list(aid.financers)))
        if aid.is_call_for_project:
            suggestion.add(explain.call_for_projects_reason())
        if aid.deadline:
            suggestion.add(explain.deadline_reason(aid.deadline))
        if aid.aid_types:
            suggestion.add(explain.aid_type_reason(list(aid.aid_types)))
        suggestions.append(suggestion)
    return suggestions[:PER_TYPE]


def project_suggestions(project: Project) -> dict[str, list[Suggestion]]:
    """{kind: [suggestions]} for a project (cached; the aids have their own cache)."""

    def build():
        text = project_query(project)
        sites = pilot_sites_for_project(project, text=text)
        pilot_qpvs = list(QPV.objects.filter(pk__in=[s.object_id for s in sites]))
        return {
            SuggestionKind.PILOT_SITE.value: sites,
            SuggestionKind.PARTNER.value: partners_for_project(project, pilot_qpvs=pilot_qpvs),
        }

    found = dict(cached(f"{CACHE_PREFIX}project:{project.pk}", build))
    found[SuggestionKind.FUNDING.value] = funding_for_project(project)
    return found
