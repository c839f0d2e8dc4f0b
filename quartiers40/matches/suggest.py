"""The suggestions themselves: for a subject, the top few of each type, each with its reasons.

Every type is a weighted mix of real signals, each of which says itself in words
(explain.py): the subject's words found by the site-wide search (signals_text.py), the
themes they share, where they are (the same QPV, the distance between QPV centroids, the
same commune or department), the kind of organisation (complementary kinds: an
association and a start-up), what was done before (défis already solved). A candidate
needs words or a theme in common: geography alone suggests nothing.

Only public things are ever suggested: published projects and opportunities, member
organisations of the collective, visible défis; never a person.

The subject's own offers of help are never read: the suggestions for a défi must stand
without knowing who answered it (bench/matches_top5.py measures them that way).
"""

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from quartiers40.challenges.enums import ChallengeStatus, OfferState
from quartiers40.challenges.models import Challenge, ChallengeOffer
from quartiers40.members.enums import OrganisationKind
from quartiers40.members.models import Organisation
from quartiers40.opportunities.enums import theme_category
from quartiers40.opportunities.models import Opportunity, OpportunityPlaceQPV
from quartiers40.projects.enums import Theme
from quartiers40.projects.models import Project
from quartiers40.territories.models import QPV

from . import explain
from .enums import SuggestionKind
from .explain import Reason
from .signals_text import TextHit, query_text, text_hits

PER_TYPE = 5
CACHE_SECONDS = 5 * 60
CACHE_PREFIX = "matches:v1:"
MIN_SCORE = 0.15

# The weights of the signals (a candidate's score is their sum).
W_WORDS = 0.45
W_THEME = 0.25
W_THEME_MORE = 0.08
W_SAME_QPV = 0.30
W_DISTANCE = 0.15
NEAR_METRES = 5000
W_COMMUNE = 0.08
W_DEPARTMENT = 0.05
W_KIND = 0.07
W_TRACK = 0.05
W_TRACK_MAX = 0.15
W_ASKED = 0.25
W_NOTHING_SIMILAR = 0.15
W_SUPPORTS = 0.05

# Kinds that bring what another lacks: residents and associations know the need, start-ups
# and labs the tools, local authorities and companies the means and the scale.
COMPLEMENTARY_KINDS: dict[str, set[str]] = {
    OrganisationKind.RESIDENTS_GROUP: {
        OrganisationKind.ASSOCIATION,
        OrganisationKind.STARTUP,
        OrganisationKind.RESEARCH_LAB,
        OrganisationKind.LOCAL_AUTHORITY,
    },
    OrganisationKind.ASSOCIATION: {
        OrganisationKind.STARTUP,
        OrganisationKind.RESEARCH_LAB,
        OrganisationKind.COMPANY,
        OrganisationKind.LOCAL_AUTHORITY,
    },
    OrganisationKind.STARTUP: {
        OrganisationKind.ASSOCIATION,
        OrganisationKind.LOCAL_AUTHORITY,
        OrganisationKind.RESEARCH_LAB,
        OrganisationKind.RESIDENTS_GROUP,
    },
    OrganisationKind.RESEARCH_LAB: {
        OrganisationKind.ASSOCIATION,
        OrganisationKind.STARTUP,
        OrganisationKind.LOCAL_AUTHORITY,
        OrganisationKind.RESIDENTS_GROUP,
    },
    OrganisationKind.COMPANY: {
        OrganisationKind.ASSOCIATION,
        OrganisationKind.LOCAL_AUTHORITY,
        OrganisationKind.RESIDENTS_GROUP,
    },
    OrganisationKind.LOCAL_AUTHORITY: {
        OrganisationKind.ASSOCIATION,
        OrganisationKind.STARTUP,
        OrganisationKind.RESEARCH_LAB,
        OrganisationKind.COMPANY,
        OrganisationKind.RESIDENTS_GROUP,
    },
}
# A défi posted by residents (no organisation) is answered like one from a residents' group.
RESIDENTS = OrganisationKind.RESIDENTS_GROUP

# The projects' themes in the opportunities' vocabulary (data·inclusion categories).
THEME_TO_CATEGORIES: dict[str, set[str]] = {
    Theme.EMPLOYMENT: {
        "trouver-un-emploi",
        "preparer-sa-candidature",
        "choisir-un-metier",
        "remobilisation",
    },
    Theme.EDUCATION: {"se-former", "lecture-ecriture-calcul", "famille"},
    Theme.HEALTH: {"sante"},
    Theme.DIGITAL_INCLUSION: {"numerique"},
    Theme.MOBILITY: {"mobilite"},
    Theme.HOUSING: {"logement-hebergement"},
    Theme.PUBLIC_SERVICES: {"difficultes-administratives-ou-juridiques", "difficultes-financieres"},
    Theme.SAFETY: set(),
    Theme.ENVIRONMENT: {"equipement-et-alimentation"},
    Theme.CULTURE: {"souvrir-a-linternational", "lecture-ecriture-calcul"},
    Theme.LOCAL_ECONOMY: {"creer-une-entreprise", "trouver-un-emploi"},
}

# Words that say a theme in a meeting's title or presentation (editions have no themes).
THEME_WORDS: dict[str, tuple[str, ...]] = {
    Theme.EMPLOYMENT: ("emploi", "travail", "embauche", "cv", "insertion", "recrutement"),
    Theme.EDUCATION: ("éducation", "école", "collège", "lycée", "élève", "formation", "devoirs"),
    Theme.HEALTH: ("santé", "soin", "médecin", "hôpital"),
    Theme.DIGITAL_INCLUSION: ("numérique", "inclusion numérique", "internet", "ordinateur"),
    Theme.MOBILITY: ("mobilité", "transport", "vélo", "bus"),
    Theme.HOUSING: ("logement", "habitat", "bailleur", "immeuble"),
    Theme.PUBLIC_SERVICES: ("services publics", "démarches", "administration", "caf"),
    Theme.SAFETY: ("tranquillité", "sécurité"),
    Theme.ENVIRONMENT: ("environnement", "climat", "jardin", "déchets", "énergie"),
    Theme.CULTURE: ("culture", "musée", "bibliothèque", "médiathèque"),
    Theme.LOCAL_ECONOMY: ("économie locale", "commerce", "entreprise", "entrepreneur"),
}


@dataclass
class Suggestion:
    kind: str  # SuggestionKind
    key: str  # "project:5", "qpv:QN09310M", "aid:1234"
    title: str
    url: str
    score: float = 0.0
    reasons: list[Reason] = field(default_factory=list)
    subtitle: str = ""
    object_id: int | None = None
    external_url: str = ""

    @property
    def explanation(self) -> str:
        return explain.explanation_line(self.reasons)

    def add(self, reason: Reason | None) -> None:
        if reason is not None:
            self.reasons.append(reason)
            self.score += reason.weight


# --- Small pieces ---------------------------------------------------------------------------


def theme_labels(codes: Iterable[str]) -> list[str]:
    return [str(Theme(code).label) for code in codes if code in Theme.values]


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * 6_371_000 * math.asin(min(1.0, math.sqrt(a)))


def nearest(qpvs_a: Iterable[QPV], qpvs_b: Iterable[QPV]) -> tuple[float, QPV] | None:
    """The shortest centroid distance from a QPV of `qpvs_a` to one of `qpvs_b`, and the
    QPV of `qpvs_b` it reaches."""
    best = None
    for a in qpvs_a:
        if a.centroid_lat is None or a.centroid_lon is None:
            continue
        for b in qpvs_b:
            if b.centroid_lat is None or b.centroid_lon is None:
                continue
            metres = haversine_m(a.centroid_lat, a.centroid_lon, b.centroid_lat, b.centroid_lon)
            if best is None or metres < best[0]:
                best = (metres, b)
    return best


def _theme_reason(shared: list[str]) -> Reason | None:
    if not shared:
        return None
    weight = W_THEME + W_THEME_MORE * (len(shared) - 1)
    return explain.theme_reason(theme_labels(shared), weight)


def _words_reason(hit: TextHit | None) -> Reason | None:
    if hit is None or not hit.words:
        return None
    return explain.words_reason(list(hit.words), W_WORDS * hit.score)


@dataclass(frozen=True)
class Place:
    """Where a subject is: its QPVs, its commune(s), its department(s)."""

    qpvs: tuple[QPV, ...] = ()
    communes: dict[str, str] = field(default_factory=dict)  # INSEE code -> name
    departments: frozenset[str] = frozenset()

    @classmethod
    def of(cls, qpvs: Iterable[QPV], *, communes=(), departments=()) -> "Place":
        qpvs = tuple(qpvs)
        commune_names = {code: name for code, name in communes if code}
        for qpv in qpvs:
            if qpv.commune_code:
                commune_names.setdefault(qpv.commune_code, qpv.commune_name or qpv.commune_code)
        codes = {code for code in departments if code}
        codes |= {qpv.department_code for qpv in qpvs if qpv.department_code}
        return cls(qpvs=qpvs, communes=commune_names, departments=frozenset(codes))


def _place_reasons(
    suggestion: Suggestion,
    subject: Place,
    candidate: Place,
    *,
    feminine: bool,
    in_qpv_words: bool = False,
) -> None:
    """The strongest geographic reason only: the same QPV, else near, else the same commune,
    else the same department."""
    subject_codes = {qpv.code for qpv in subject.qpvs}
    shared = [qpv.name for qpv in candidate.qpvs if qpv.code in subject_codes]
    if shared:
        if in_qpv_words:
            suggestion.add(explain.in_qpv_reason(shared, W_SAME_QPV))
        else:
            suggestion.add(explain.active_in_reason(shared, W_SAME_QPV, feminine=feminine))
        return
    close = nearest(candidate.qpvs, subject.qpvs)
    if close is not None and close[0] <= NEAR_METRES:
        metres, qpv = close
        suggestion.add(
            explain.distance_reason(metres, qpv.name, W_DISTANCE * (1 - metres / NEAR_METRES))
        )
        return
    communes = set(subject.communes) & set(candidate.communes)
    if communes:
        code = sorted(communes)[0]
        suggestion.add(explain.commune_reason(subject.communes[code], W_COMMUNE))
        return
    departments = subject.departments & candidate.departments
    if departments:
        suggestion.add(explain.department_reason(sorted(departments)[0], W_DEPARTMENT))


def _substantive(suggestion: Suggestion) -> bool:
    return any(reason.code in {"words", "theme", "asked_for"} for reason in suggestion.reasons)


def _top(suggestions: Iterable[Suggestion], limit: int = PER_TYPE) -> list[Suggestion]:
    kept = [s for s in suggestions if _substantive(s) and s.score >= MIN_SCORE]
    kept.sort(key=lambda s: (-s.score, s.title))
    for suggestion in kept:
        suggestion.reasons.sort(key=lambda reason: -reason.weight)
        suggestion.score = round(suggestion.score, 4)
    return kept[:limit]


def _kind_reason(subject_kind: str, candidate: Organisation) -> Reason | None:
    if candidate.kind in COMPLEMENTARY_KINDS.get(subject_kind, set()):
        return explain.kind_reason(candidate.get_kind_display(), W_KIND)
    return None


def _solved_counts(organisation_ids: Iterable[int], *, not_challenge: int | None) -> dict:
    """Défis each organisation helped solve (accepted offers), this défi's own left out."""
    offers = ChallengeOffer.objects.filter(
        organisation_id__in=list(organisation_ids),
        state=OfferState.ACCEPTED,
        challenge__status__in=[ChallengeStatus.SOLVED, ChallengeStatus.BEING_ADDRESSED],
    )
    if not_challenge is not None:
        offers = offers.exclude(challenge_id=not_challenge)
    rows = offers.values("organisation_id").annotate(n=Count("challenge_id", distinct=True))
    return {row["organisation_id"]: row["n"] for row in rows}


def _cached(key: str, build):
    found = cache.get(key)
    if found is not None:
        return found
    value = build()
    cache.set(key, value, CACHE_SECONDS)
    return value


def suggestions_forget(subject_key: str) -> None:
    cache.delete(CACHE_PREFIX + subject_key)


# --- On a défi: projects, organisations, opportunities --------------------------------------


def challenge_place(challenge: Challenge) -> Place:
    return Place.of(
        challenge.qpvs.all(),
        communes=[(challenge.commune_insee, challenge.commune_name)],
        departments=[challenge.department],
    )


def challenge_query(challenge: Challenge) -> str:
    return query_text(
        challenge.title,
        " ".join(theme_labels(challenge.themes)),
        challenge.situation,
        challenge.affected,
    )


def _project_place(project: Project) -> Place:
    return Place.of(project.qpvs.all(), departments=project.departments)


def _organisation_place(organisation: Organisation, projects: list[Project]) -> Place:
    qpvs = {qpv.code: qpv for qpv in organisation.qpvs.all()}
    for project in projects:
        for qpv in project.qpvs.all():
            qpvs.setdefault(qpv.code, qpv)
    departments = [organisation.department_code]
    for project in projects:
        departments.extend(project.departments)
    return Place.of(
        qpvs.values(),
        communes=[(organisation.commune_code, organisation.commune_name)],
        departments=departments,
    )


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
        suggestion.add(_words_reason(hits.get(project.pk)))
        suggestion.add(_theme_reason([code for code in project.themes if code in themes]))
        _place_reasons(suggestion, place, _project_place(project), feminine=False)
        if solved.get(project.pk):
            suggestion.add(
                explain.track_record_reason(
                    solved[project.pk], min(W_TRACK_MAX, W_TRACK * solved[project.pk])
                )
            )
        suggestions.append(suggestion)
    return _top(suggestions)


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
    solved = _solved_counts([o.pk for o in organisations], not_challenge=challenge.pk)
    poster_kind = challenge.organisation.kind if challenge.organisation_id else RESIDENTS
    suggestions = []
    for organisation in organisations:
        projects = projects_by_org.get(organisation.pk, [])
        suggestion = Suggestion(
            kind=SuggestionKind.ORGANISATION,
            key=f"organisation:{organisation.pk}",
            object_id=organisation.pk,
            title=organisation.name,
            url=organisation.get_absolute_url(),
            subtitle=", ".join(
                part
                for part in (organisation.get_kind_display(), organisation.commune_name)
                if part
            ),
        )
        own = hits.get(organisation.pk)
        through_projects = [project_hits[p.pk] for p in projects if p.pk in project_hits]
        best = max([own, *through_projects], key=lambda h: h.score if h else -1, default=None)
        suggestion.add(_words_reason(best))
        org_themes = {code for project in projects for code in project.themes}
        suggestion.add(_theme_reason([code for code in themes if code in org_themes]))
        _place_reasons(
            suggestion, place, _organisation_place(organisation, projects), feminine=True
        )
        suggestion.add(_kind_reason(poster_kind, organisation))
        if solved.get(organisation.pk):
            n = solved[organisation.pk]
            suggestion.add(explain.track_record_reason(n, min(W_TRACK_MAX, W_TRACK * n)))
        suggestions.append(suggestion)
    return _top(suggestions)


def opportunity_categories(themes: Iterable[str]) -> set[str]:
    categories: set[str] = set()
    for code in themes:
        categories |= THEME_TO_CATEGORIES.get(code, set())
    return categories


def _open_opportunities():
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
    candidates = _open_opportunities().filter(wanted).exclude(pk__in=list(exclude_ids))
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
        suggestion.add(_words_reason(hits.get(opportunity.pk)))
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
    return _top(suggestions)


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

    return _cached(f"{CACHE_PREFIX}challenge:{challenge.pk}", build)


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
        labels = theme_labels(shared) or [_("ce que fait le projet")]
        suggestion.add(
            explain.asked_for_reason(len(found), labels, W_ASKED * min(1.0, 0.6 + 0.2 * len(found)))
        )
        suggestion.add(_words_reason(best))
        suggestion.add(explain.nothing_similar_reason(W_NOTHING_SIMILAR))
        _place_reasons(suggestion, place, Place.of([qpv]), feminine=False)
        # "à 3 km de X" reads from the candidate to the project's own QPV: say it that way.
        suggestions.append(suggestion)
    return _top(suggestions)


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
        org_place = _organisation_place(organisation, projects)
        if not (
            {q.code for q in org_place.qpvs} & {q.code for q in where.values()}
            or org_place.departments & departments
        ):
            continue  # not active there
        suggestion = Suggestion(
            kind=SuggestionKind.PARTNER,
            key=f"organisation:{organisation.pk}",
            object_id=organisation.pk,
            title=organisation.name,
            url=organisation.get_absolute_url(),
            subtitle=", ".join(
                part
                for part in (organisation.get_kind_display(), organisation.commune_name)
                if part
            ),
        )
        suggestion.add(_words_reason(hits.get(organisation.pk)))
        org_themes = {code for p in projects for code in p.themes}
        suggestion.add(_theme_reason(sorted(themes & org_themes)))
        _place_reasons(suggestion, place, org_place, feminine=True)
        suggestion.add(_kind_reason(project.carrier.kind, organisation))
        suggestions.append(suggestion)
    return _top(suggestions)


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
    from .clients.aides_territoires import AidesTerritoiresUnavailable, aides_enabled, aids_search

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

    found = dict(_cached(f"{CACHE_PREFIX}project:{project.pk}", build))
    found[SuggestionKind.FUNDING.value] = funding_for_project(project)
    return found


# --- On the agenda builder: the pitches that fit the edition's theme and city ----------------


def edition_themes(edition) -> list[str]:
    words = f" {edition.title} {edition.description} {edition.series.name} ".lower()
    return [
        code
        for code, needles in THEME_WORDS.items()
        if any(_has_word(words, needle) for needle in needles)
    ]


def _has_word(text: str, needle: str) -> bool:
    import re

    return re.search(rf"(?<![\w]){re.escape(needle)}s?(?![\w])", text) is not None


def edition_city(edition) -> tuple[set[str], str]:
    """The edition's commune names (its series' organisation's, lower case) and its address
    (lower case): a pitch from a commune named in the address is from the same city too."""
    names: list[str] = []
    organisation = edition.series.organisation
    if organisation is not None and organisation.commune_name:
        names.append(organisation.commune_name)
    address = (edition.address or "").lower()
    return {name.lower() for name in names}, address


def pitches_for_edition(edition) -> list[Suggestion]:
    from quartiers40.meetings.enums import PitchStatus

    themes = edition_themes(edition)
    cities, address = edition_city(edition)
    text = query_text(edition.title, edition.description, words=25)
    project_hits = text_hits(text, "project")
    challenge_hits = text_hits(text, "challenge")
    pitches = (
        edition.pitches.exclude(status=PitchStatus.DECLINED)
        .select_related("project__carrier", "challenge")
        .prefetch_related("project__qpvs", "challenge__qpvs")
    )
    suggestions = []
    for pitch in pitches:
        subject = pitch.project or pitch.challenge
        if subject is None:
            continue
        suggestion = Suggestion(
            kind=SuggestionKind.PITCH,
            key=f"pitch:{pitch.pk}",
            object_id=pitch.pk,
            title=pitch.subject_title,
            url=f"#pitch-{pitch.pk}",
            subtitle=_("Projet") if pitch.project_id else _("Défi"),
        )
        hit = (project_hits if pitch.project_id else challenge_hits).get(subject.pk)
        suggestion.add(_words_reason(hit))
        suggestion.add(_theme_reason([code for code in subject.themes if code in themes]))
        communes = [qpv.commune_name for qpv in subject.qpvs.all() if qpv.commune_name]
        if pitch.project_id and pitch.project.carrier.commune_name:
            communes.append(pitch.project.carrier.commune_name)
        if pitch.challenge_id and pitch.challenge.commune_name:
            communes.append(pitch.challenge.commune_name)
        same = [name for name in communes if name.lower() in cities or name.lower() in address]
        if same:
            suggestion.add(explain.same_city_reason(same[0], W_SAME_QPV))
        supports = pitch.challenge.supports_count if pitch.challenge_id else 0
        if supports:
            suggestion.add(explain.supports_reason(supports, min(W_TRACK_MAX, W_SUPPORTS)))
        suggestions.append(suggestion)
    return _top(suggestions)


def edition_suggestions(edition) -> dict[str, list[Suggestion]]:
    return _cached(
        f"{CACHE_PREFIX}edition:{edition.pk}",
        lambda: {SuggestionKind.PITCH.value: pitches_for_edition(edition)},
    )


# --- On "Mon espace": défis an organisation could answer -------------------------------------


def challenges_for_organisation(organisation: Organisation) -> list[Suggestion]:
    """Open, visible défis of the themes of its projects, where it acts (the reverse of
    `organisations_for_challenge`), its own left out."""
    projects = list(
        Project.objects.published().filter(carrier=organisation).prefetch_related("qpvs")
    )
    themes = sorted({code for p in projects for code in p.themes})
    place = _organisation_place(organisation, projects)
    text = query_text(organisation.name, organisation.description, *(p.title for p in projects))
    hits = text_hits(text, "challenge")
    wanted = Q(pk__in=list(hits))
    for code in themes:
        wanted |= Q(pk__in=Challenge.objects.with_theme(code).values("pk"))
    challenges = (
        Challenge.objects.visible()
        .filter(status=ChallengeStatus.OPEN)
        .filter(wanted)
        .exclude(organisation=organisation)
        .exclude(offers__organisation=organisation)
        .distinct()
        .prefetch_related("qpvs")
    )
    suggestions = []
    for challenge in challenges:
        suggestion = Suggestion(
            kind=SuggestionKind.CHALLENGE,
            key=f"challenge:{challenge.pk}",
            object_id=challenge.pk,
            title=challenge.title,
            url=challenge.get_absolute_url(),
            subtitle=challenge.commune_name,
        )
        suggestion.add(_words_reason(hits.get(challenge.pk)))
        suggestion.add(_theme_reason([code for code in challenge.themes if code in themes]))
        _place_reasons(suggestion, place, challenge_place(challenge), feminine=False)
        suggestions.append(suggestion)
    return _top(suggestions)


def organisation_suggestions(organisation: Organisation) -> dict[str, list[Suggestion]]:
    return _cached(
        f"{CACHE_PREFIX}organisation:{organisation.pk}",
        lambda: {SuggestionKind.CHALLENGE.value: challenges_for_organisation(organisation)},
    )
