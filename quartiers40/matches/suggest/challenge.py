"""On a défi: the projects, organisations and opportunities that could answer it."""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from quartiers40.challenges.enums import ChallengeStatus
from quartiers40.challenges.models import Challenge
from quartiers40.members.models import Organisation
from quartiers40.opportunities.enums import theme_category
from quartiers40.opportunities.models import Opportunity, OpportunityPlaceQPV
from quartiers40.projects.enums import Theme
from quartiers40.projects.models import Project

from .. import explain
from ..enums import SuggestionKind
from ..signals_text import text_hits
from .common import (
    CACHE_PREFIX,
    NEAR_METRES,
    RESIDENTS,
    THEME_TO_CATEGORIES,
    W_COMMUNE,
    W_DEPARTMENT,
    W_DISTANCE,
    W_SAME_QPV,
    W_THEME,
    W_THEME_MORE,
    W_TRACK,
    W_TRACK_MAX,
    Place,
    Suggestion,
    cached,
    challenge_place,
    challenge_query,
    kind_reason,
    organisation_place,
    organisation_suggestion,
    place_reasons,
    project_place,
    solved_counts,
    theme_reason,
    top,
    words_reason,
)

# --- On a défi: projects, organisations, opportunities --------------------------------------


def projects_for_challenge(challenge: Challenge, *, text: str | None = None) -> list[Suggestion]:
    text = challenge_query(challenge) if text is None else text
    hits = text_hits(text, "project")
    themes = [code for code in challenge.themes if code in Theme.values]
    place = challenge_place(challenge)
    wanted = Q(pk__in=list(hits))
    for code in themes:
        wanted |= Q(pk__in=Project.objects.with_theme(code).values("pk"))
    if place.qpvs:
        wanted |= Q(qpvs__in=[qpv.pk for qpv in place.qpvs])
    projects = (
        Project.objects.published()
        .filter(wanted)
        .distinct()
        .select_related("carrier")
        .prefetch_related("qpvs")
    )
    solved = _challenges_solved_by_projects(not_challenge=challenge.pk)
    suggestions = []
    for project in projects:
        suggestion = Suggestion(
            kind=SuggestionKind.PROJECT,
            key=f"project:{project.pk}",
            object_id=project.pk,
            title=project.title,
            url=project.get_absolute_url(),
            subtitle=project.carrier.name,
        )
        suggestion.add(words_reason(hits.get(project.pk)))
        suggestion.add(theme_reason([code for code in project.themes if code in themes]))
        place_reasons(suggestion, place, project_place(project), feminine=False)
        if solved.get(project.pk):
            suggestion.add(
                explain.track_record_reason(
                    solved[project.pk], min(W_TRACK_MAX, W_TRACK * solved[project.pk])
                )
            )
        suggestions.append(suggestion)
    return top(suggestions)


def _challenges_solved_by_projects(*, not_challenge: int | None) -> dict[int, int]:
    solved = Challenge.objects.visible().filter(
        status=ChallengeStatus.SOLVED, outcome_project__isnull=False
    )
    if not_challenge is not None:
        solved = solved.exclude(pk=not_challenge)
    rows = solved.values("outcome_project_id").annotate(n=Count("pk"))
    return {row["outcome_project_id"]: row["n"] for row in rows}


def organisations_for_challenge(
    challenge: Challenge, *, text: str | None = None
) -> list[Suggestion]:
    text = challenge_query(challenge) if text is None else text
    hits = text_hits(text, "organisation")
    project_hits = text_hits(text, "project")
    themes = [code for code in challenge.themes if code in Theme.values]
    place = challenge_place(challenge)
    # Their public projects say what they do and where.
    projects_by_org: dict[int, list[Project]] = defaultdict(list)
    for project in Project.objects.published().prefetch_related("qpvs"):
        projects_by_org[project.carrier_id].append(project)
    wanted = Q(pk__in=list(hits))
    wanted |= Q(
        pk__in=[
            org_id
            for org_id, projects in projects_by_org.items()
            if any(set(p.themes) & set(themes) or p.pk in project_hits for p in projects)
        ]
    )
    if place.qpvs:
        wanted |= Q(qpvs__in=[qpv.pk for qpv in place.qpvs])
    organisations = (
        Organisation.objects.members_of_collective()
        .filter(wanted)
        .exclude(pk=challenge.organisation_id or 0)
        .distinct()
        .prefetch_related("qpvs")
    )
    organisations = list(organisations)
    solved = solved_counts([o.pk for o in organisations], not_challenge=challenge.pk)
    poster_kind = challenge.organisation.kind if challenge.organisation_id else RESIDENTS
    suggestions = []
    for organisation in organisations:
        projects = projects_by_org.get(organisation.pk, [])
        suggestion = organisation_suggestion(organisation, kind=SuggestionKind.ORGANISATION)
        own = hits.get(organisation.pk)
        through_projects = [project_hits[p.pk] for p in projects if p.pk in project_hits]
        best = max([own, *through_projects], key=lambda h: h.score if h else -1, default=None)
        suggestion.add(words_reason(best))
        org_themes = {code for project in projects for code in project.themes}
        suggestion.add(theme_reason([code for code in themes if code in org_themes]))
        place_reasons(suggestion, place, organisation_place(organisation, projects), feminine=True)
        suggestion.add(kind_reason(poster_kind, organisation))
        if solved.get(organisation.pk):
            n = solved[organisation.pk]
            suggestion.add(explain.track_record_reason(n, min(W_TRACK_MAX, W_TRACK * n)))
        suggestions.append(suggestion)
    return top(suggestions)


def opportunity_categories(themes: Iterable[str]) -> set[str]:
    categories: set[str] = set()
    for code in themes:
        categories |= THEME_TO_CATEGORIES.get(code, set())
    return categories


def open_opportunities():
    today = timezone.localdate()
    return (
        Opportunity.objects.published()
        .exclude(deadline__lt=today)
        .select_related("organisation", "structure")
    )


def opportunities_for_place(
    *, text: str, themes: list[str], place: Place, exclude_ids: Iterable[int] = ()
) -> list[Suggestion]:
    """Published opportunities near a place that share its words or its themes."""
    hits = text_hits(text, "opportunity")
    categories = opportunity_categories(themes)
    qpv_ids = [qpv.pk for qpv in place.qpvs]
    links = (
        OpportunityPlaceQPV.objects.filter(qpv_id__in=qpv_ids, distance_m__lte=NEAR_METRES)
        .values_list("place__opportunity_id", "qpv__name", "distance_m")
        .order_by("distance_m")
    )
    near: dict[int, tuple[str, int]] = {}
    for opportunity_id, qpv_name, metres in links:
        near.setdefault(opportunity_id, (qpv_name, metres))
    wanted = Q(pk__in=list(hits)) | Q(pk__in=list(near))
    candidates = open_opportunities().filter(wanted).exclude(pk__in=list(exclude_ids))
    communes = set(place.communes)
    departments = place.departments
    suggestions = []
    for opportunity in candidates.prefetch_related("places"):
        suggestion = Suggestion(
            kind=SuggestionKind.OPPORTUNITY,
            key=f"opportunity:{opportunity.pk}",
            object_id=opportunity.pk,
            title=opportunity.title,
            url=opportunity.get_absolute_url(),
            subtitle=", ".join(
                part for part in (opportunity.get_kind_display(), opportunity.provider_name) if part
            ),
        )
        suggestion.add(words_reason(hits.get(opportunity.pk)))
        shared = sorted({theme_category(code) for code in opportunity.themes} & categories)
        if shared:
            labels = _category_labels(shared)
            suggestion.add(explain.theme_reason(labels, W_THEME + W_THEME_MORE * (len(labels) - 1)))
        if opportunity.pk in near:
            qpv_name, metres = near[opportunity.pk]
            if metres == 0:
                suggestion.add(explain.in_qpv_reason([qpv_name], W_SAME_QPV))
            else:
                weight = W_DISTANCE * (1 - metres / NEAR_METRES)
                suggestion.add(explain.distance_reason(metres, qpv_name, weight))
        else:
            place_communes = {p.commune_code for p in opportunity.places.all() if p.commune_code}
            if place_communes & communes:
                code = sorted(place_communes & communes)[0]
                suggestion.add(explain.commune_reason(place.communes[code], W_COMMUNE))
            elif {code[:2] for code in place_communes} & {d[:2] for d in departments}:
                suggestion.add(explain.department_reason(sorted(departments)[0], W_DEPARTMENT))
            elif not opportunity.is_remote:
                continue  # far away, and not remote: of no use to the people of this place
            else:
                suggestion.add(explain.line_reason(_("à distance"), "remote"))
        suggestions.append(suggestion)
    return top(suggestions)


def _category_labels(categories: list[str]) -> list[str]:
    from data_inclusion.schema.v1 import Categorie

    labels = {category.value: category.label for category in Categorie}
    return [labels.get(code, code) for code in categories]


def opportunities_for_challenge(
    challenge: Challenge, *, text: str | None = None
) -> list[Suggestion]:
    text = challenge_query(challenge) if text is None else text
    return opportunities_for_place(
        text=text, themes=list(challenge.themes), place=challenge_place(challenge)
    )


def challenge_suggestions(challenge: Challenge) -> dict[str, list[Suggestion]]:
    """{kind: [suggestions]} for a défi: projects, organisations, opportunities (cached)."""
    if not challenge.is_visible:
        return {}

    def build():
        text = challenge_query(challenge)
        return {
            SuggestionKind.PROJECT.value: projects_for_challenge(challenge, text=text),
            SuggestionKind.ORGANISATION.value: organisations_for_challenge(challenge, text=text),
            SuggestionKind.OPPORTUNITY.value: opportunities_for_challenge(challenge, text=text),
        }

    return cached(f"{CACHE_PREFIX}challenge:{challenge.pk}", build)
