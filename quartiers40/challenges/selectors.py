"""Reads of the défis domain, shared by pages, the API, exports and e-mails."""

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from django.db.models import Count, IntegerField, Model, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from quartiers40.core.db import in_given_order
from quartiers40.members.models import Organisation, User
from quartiers40.territories.models import QPV

from .enums import ChallengeStatus, ModerationState, OfferState
from .models import Challenge, ChallengeComment, ChallengeOffer, ChallengeReport

CATALOGUE_SORTS = ("supports", "newest")
CHALLENGES_ON_QPV_PAGE = 6
SIMILAR_MAX_CANDIDATES = 3000
SIMILAR_MAX_RESULTS = 5
SIMILAR_MIN_SCORE = 0.2


def challenges_with_relations(
    challenges: QuerySet[Challenge] | None = None,
) -> QuerySet[Challenge]:
    """Défis with what their cards show: organisation, author, QPVs (without geometry)."""
    if challenges is None:
        challenges = Challenge.objects.all()
    return challenges.select_related("organisation", "author").prefetch_related(
        Prefetch("qpvs", queryset=QPV.objects.without_geometry_fields().order_by("name"))
    )


def _count_of(model: type[Model], **filters: Any) -> Coalesce:
    """How many `model` rows point at each défi: a correlated subquery, so that counting
    two relations never multiplies rows, and `.count()` of the list can drop it."""
    rows = (
        model._default_manager.filter(challenge=OuterRef("pk"), **filters)
        .order_by()
        .values("challenge")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def with_public_relations(challenges: QuerySet[Challenge]) -> QuerySet[Challenge]:
    """Add what a public row (API, exports) needs beyond `challenges_with_relations`, in a
    fixed number of queries whatever the count.

    `public_comments_count` leaves out hidden comments; `public_offers_count` withdrawn
    offers; the outcome's project is joined.
    """
    return challenges.select_related("outcome_project").annotate(
        public_comments_count=_count_of(ChallengeComment, hidden=False),
        public_offers_count=_count_of(
            ChallengeOffer, state__in=[s for s in OfferState.values if s != OfferState.WITHDRAWN]
        ),
    )


def challenge_catalogue(
    *,
    theme: str = "",
    status: str = "",
    qpv: str = "",
    department: str = "",
    easy_to_read: bool = False,
    query: str = "",
    sort: str = "supports",
    among: Sequence[int] | None = None,
) -> QuerySet[Challenge]:
    """Visible défis, filtered; the most supported first (or the newest). `among`: only
    these ids, in their order unless sorted by date (what the site's search found)."""
    challenges = Challenge.objects.visible()
    if theme:
        challenges = challenges.with_theme(theme)
    if status:
        challenges = challenges.filter(status=status)
    if qpv:
        challenges = challenges.filter(qpvs__code=qpv)
    if department:
        challenges = challenges.in_department(department)
    if easy_to_read:
        challenges = challenges.filter(easy_to_read=True)
    if query:
        challenges = challenges.filter(
            Q(title__icontains=query) | Q(situation__icontains=query) | Q(affected__icontains=query)
        )
    if among is not None:
        challenges = challenges.filter(pk__in=among)
    ids = challenges.values("pk")
    ordering: tuple = (
        ("-created_at", "-pk") if sort == "newest" else ("-supports_count", "-created_at", "-pk")
    )
    if among and sort != "newest":
        ordering = (in_given_order(among), *ordering)
    return challenges_with_relations(Challenge.objects.filter(pk__in=ids)).order_by(*ordering)


# --- One défi ---------------------------------------------------------------------------


def challenge_get(slug: str) -> Challenge | None:
    """The défi at this address, whatever its moderation (the caller checks who may see it)."""
    return Challenge.objects.select_related("organisation", "author").filter(slug=slug).first()


def challenge_public_get(slug: str) -> Challenge | None:
    """The public défi at this address: pending, hidden and merged ones do not exist."""
    return with_public_relations(challenge_catalogue(sort="newest").filter(slug=slug)).first()


def challenge_visible_get(user: Any, slug: str) -> Challenge | None:
    """The défi at this address as `user` may see it, whatever its moderation state."""
    from .permissions import can_view_challenge

    challenge = with_public_relations(
        challenges_with_relations(Challenge.objects.filter(slug=slug))
    ).first()
    if challenge is None or not can_view_challenge(user, challenge):
        return None
    return challenge


def challenge_with_public_detail(challenge: Challenge) -> Challenge:
    """Its visible comments (with visible replies) and offers, as `public_comments` and
    `public_offers` (the API's detail)."""
    challenge.public_comments = challenge_comments(challenge)  # type: ignore[attr-defined]
    challenge.public_offers = list(challenge_offers(challenge))  # type: ignore[attr-defined]
    return challenge


def challenge_qpvs(challenge: Challenge) -> QuerySet[QPV]:
    return challenge.qpvs.without_geometry_fields().order_by("name")


def challenge_is_supported_by(challenge: Challenge, user: Any) -> bool:
    return bool(user.is_authenticated) and challenge.supports.filter(user=user).exists()


def challenge_comment_get(
    challenge: Challenge, pk: int, *, public: bool = False
) -> ChallengeComment | None:
    """A comment of this défi (`public`: only if not hidden)."""
    comments = ChallengeComment.objects.filter(pk=pk, challenge=challenge)
    if public:
        comments = comments.filter(hidden=False)
    return comments.first()


def challenge_offer_get(challenge: Challenge, pk: int) -> ChallengeOffer | None:
    return (
        ChallengeOffer.objects.select_related("organisation", "project")
        .filter(pk=pk, challenge=challenge)
        .first()
    )


def report_get(pk: int) -> ChallengeReport | None:
    return ChallengeReport.objects.filter(pk=pk).first()


# --- Lists ------------------------------------------------------------------------------


def challenges_of_qpv(qpv: QPV) -> QuerySet[Challenge]:
    return challenge_catalogue(qpv=qpv.code, sort="newest")


def challenges_of_organisation(organisation: Organisation) -> QuerySet[Challenge]:
    """Visible défis the organisation posted or offered help on."""
    ids = (
        Challenge.objects.visible()
        .filter(Q(organisation=organisation) | Q(offers__organisation=organisation))
        .values("pk")
    )
    return challenges_with_relations(Challenge.objects.filter(pk__in=ids)).order_by(
        "-created_at", "-pk"
    )


def challenge_comments(
    challenge: Challenge, *, include_hidden: bool = False
) -> list[ChallengeComment]:
    """Top-level comments, each with `visible_replies`: one query."""
    comments = ChallengeComment.objects.filter(challenge=challenge).select_related("author")
    if not include_hidden:
        comments = comments.filter(hidden=False)
    roots: list[ChallengeComment] = []
    replies: dict[int, list[ChallengeComment]] = {}
    for comment in comments.order_by("created_at", "pk"):
        if comment.parent_id is None:
            roots.append(comment)
        else:
            replies.setdefault(comment.parent_id, []).append(comment)
    for comment in roots:
        comment.visible_replies = replies.get(comment.pk, [])  # type: ignore[attr-defined]
    return roots


def challenge_offers(challenge: Challenge) -> QuerySet[ChallengeOffer]:
    return (
        ChallengeOffer.objects.filter(challenge=challenge)
        .exclude(state=OfferState.WITHDRAWN)
        .select_related("organisation", "project")
        .order_by("created_at", "pk")
    )


def challenge_timeline(challenge: Challenge):
    return challenge.status_changes.order_by("created_at", "pk")


def challenge_outcome_projects(challenge: Challenge):
    """Projects an outcome may name: those of the accepted offers."""
    from quartiers40.projects.models import Project

    return Project.objects.filter(
        challenge_offers__challenge=challenge, challenge_offers__state=OfferState.ACCEPTED
    ).distinct()


def challenge_recipients(challenge: Challenge) -> QuerySet[User]:
    """Who hears of each step: the supporters and the author (active accounts)."""
    return (
        User.objects.filter(is_active=True, deleted_at__isnull=True)
        .filter(Q(challenge_supports__challenge=challenge) | Q(pk=challenge.author_id))
        .distinct()
    )


def challenge_managers(challenge: Challenge) -> QuerySet[User]:
    """Who answers offers: the author, and the admins of the posting organisation."""
    from quartiers40.members.enums import Role

    query = Q(pk=challenge.author_id)
    if challenge.organisation_id:
        query |= Q(
            memberships__organisation_id=challenge.organisation_id,
            memberships__role=Role.ADMIN,
        )
    return User.objects.filter(query, is_active=True, deleted_at__isnull=True).distinct()


def challenges_pending_moderation() -> QuerySet[Challenge]:
    return challenges_with_relations(
        Challenge.objects.filter(moderation=ModerationState.PENDING, merged_into__isnull=True)
    ).order_by("created_at", "pk")


def reports_open() -> QuerySet[ChallengeReport]:
    return (
        ChallengeReport.objects.filter(resolved=False)
        .select_related("challenge", "comment", "reporter")
        .order_by("created_at", "pk")
    )


def challenges_in_qpv_section(qpv: QPV) -> dict:
    challenges = challenges_of_qpv(qpv)
    return {
        "challenges": challenges[:CHALLENGES_ON_QPV_PAGE],
        "challenges_count": challenges.count(),
    }


# --- Similar défis (lexical) ---------------------------------------------------------------

STOP_WORDS = frozenset(
    [
        "au",
        "aux",
        "avec",
        "ce",
        "ces",
        "dans",
        "de",
        "des",
        "du",
        "elle",
        "en",
        "et",
        "eux",
        "il",
        "je",
        "la",
        "le",
        "les",
        "leur",
        "lui",
        "ma",
        "mais",
        "me",
        "meme",
        "mes",
        "moi",
        "mon",
        "ne",
        "nos",
        "notre",
        "nous",
        "on",
        "ou",
        "par",
        "pas",
        "pour",
        "qu",
        "que",
        "qui",
        "sa",
        "se",
        "ses",
        "son",
        "sur",
        "ta",
        "te",
        "tes",
        "toi",
        "ton",
        "tu",
        "un",
        "une",
        "vos",
        "votre",
        "vous",
        "est",
        "sont",
        "ont",
        "pas",
        "plus",
        "tres",
        "trop",
        "comme",
        "sans",
        "tout",
        "tous",
        "faire",
        "fait",
        "peut",
        "peuvent",
        "nous",
        "ils",
        "elles",
        "cette",
        "cet",
        "quand",
    ]
)


def normalise(text: str) -> str:
    """Lower case, no accents, only letters and digits separated by single spaces."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def _words(text: str) -> set[str]:
    return {word for word in text.split() if len(word) > 2 and word not in STOP_WORDS}


def _trigrams(text: str) -> set[str]:
    padded = f"  {text} "
    return {padded[index : index + 3] for index in range(len(padded) - 2)}


def _jaccard(left: set, right: set) -> float:
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


def title_similarity(left: str, right: str) -> float:
    """0 to 1: accent-insensitive overlap of words and of character trigrams."""
    left_text, right_text = normalise(left), normalise(right)
    words = _jaccard(_words(left_text), _words(right_text))
    trigrams = _jaccard(
        _trigrams(" ".join(sorted(_words(left_text)))),
        _trigrams(" ".join(sorted(_words(right_text)))),
    )
    return round(0.5 * words + 0.5 * trigrams, 3)


def challenges_similar(
    title: str, *, exclude_pk: int | None = None, limit: int = SIMILAR_MAX_RESULTS
) -> list[Challenge]:
    """Open visible défis whose title looks like `title`, best first (bounded work).

    Each result carries `similarity` (0 to 1).
    """
    if len(_words(normalise(title))) == 0:
        return []
    candidates = (
        Challenge.objects.visible()
        .filter(status__in=(ChallengeStatus.OPEN, ChallengeStatus.BEING_ADDRESSED))
        .order_by("-created_at")
        .values_list("pk", "title")[:SIMILAR_MAX_CANDIDATES]
    )
    scored = []
    for pk, other in candidates:
        if pk == exclude_pk:
            continue
        score = title_similarity(title, other)
        if score >= SIMILAR_MIN_SCORE:
            scored.append((score, pk))
    scored.sort(key=lambda item: (-item[0], item[1]))
    best = {pk: score for score, pk in scored[:limit]}
    found = {c.pk: c for c in Challenge.objects.filter(pk__in=best)}
    results = []
    for pk, score in best.items():
        challenge = found[pk]
        challenge.similarity = score
        results.append(challenge)
    return results
