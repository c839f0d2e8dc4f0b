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
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count
from django.utils.translation import get_language

from quartiers40.challenges.enums import ChallengeStatus, OfferState
from quartiers40.challenges.models import Challenge, ChallengeOffer
from quartiers40.members.enums import OrganisationKind
from quartiers40.members.models import Organisation
from quartiers40.projects.enums import Theme
from quartiers40.projects.models import Project
from quartiers40.territories.models import QPV

from .. import explain
from ..explain import Reason
from ..signals_text import TextHit, query_text

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
W_COMMUNE = 0.12
W_DEPARTMENT = 0.10
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


def organisation_suggestion(organisation: Organisation, *, kind: str) -> Suggestion:
    """An organisation as a suggestion (to answer a défi, as a partner): its name, its kind
    and its commune."""
    return Suggestion(
        kind=kind,
        key=f"organisation:{organisation.pk}",
        object_id=organisation.pk,
        title=organisation.name,
        url=organisation.get_absolute_url(),
        subtitle=", ".join(
            part for part in (organisation.get_kind_display(), organisation.commune_name) if part
        ),
    )


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


def theme_reason(shared: list[str]) -> Reason | None:
    if not shared:
        return None
    weight = W_THEME + W_THEME_MORE * (len(shared) - 1)
    return explain.theme_reason(theme_labels(shared), weight)


# Words found everywhere on this site: saying them explains nothing.
GENERIC_WORDS = frozenset(
    {
        "quartier",
        "quartiers",
        "habitant",
        "habitants",
        "habitantes",
        "personne",
        "personnes",
        "gens",
        "ia",
    }
)


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word[-1] in "sx" else word


def words_reason(hit: TextHit | None) -> Reason | None:
    """The words the search matched, but not the themes' own names (the theme reason says
    them) nor the words of every page."""
    if hit is None or not hit.words:
        return None
    # The themes' names, whole and word by word (in the active language), plural or not.
    labels = [str(label).lower() for label in Theme.labels]
    said = {_singular(w) for w in GENERIC_WORDS | set(labels)}
    said |= {_singular(w) for label in labels for w in label.split() if len(w) > 2}
    words = [word for word in hit.words if _singular(word.lower()) not in said]
    if not words:
        return None
    return explain.words_reason(words, W_WORDS * hit.score)


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


def place_reasons(
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


def top(suggestions: Iterable[Suggestion], limit: int = PER_TYPE) -> list[Suggestion]:
    kept = [s for s in suggestions if _substantive(s) and s.score >= MIN_SCORE]
    kept.sort(key=lambda s: (-s.score, s.title))
    for suggestion in kept:
        suggestion.reasons.sort(key=lambda reason: -reason.weight)
        suggestion.score = round(suggestion.score, 4)
    return kept[:limit]


def kind_reason(subject_kind: str, candidate: Organisation) -> Reason | None:
    if candidate.kind in COMPLEMENTARY_KINDS.get(subject_kind, set()):
        return explain.kind_reason(candidate.get_kind_display(), W_KIND)
    return None


def solved_counts(organisation_ids: Iterable[int], *, not_challenge: int | None) -> dict:
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


def cached(key: str, build):
    """A subject's suggestions for a few minutes, per language (their reasons are words)."""
    key = f"{key}:{get_language() or ''}"
    found = cache.get(key)
    if found is not None:
        return found
    value = build()
    cache.set(key, value, CACHE_SECONDS)
    return value


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


def project_place(project: Project) -> Place:
    return Place.of(project.qpvs.all(), departments=project.departments)


def organisation_place(organisation: Organisation, projects: list[Project]) -> Place:
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
