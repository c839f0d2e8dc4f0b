"""On "Mon espace": the open défis an organisation could answer."""

from django.db.models import Q

from quartiers40.challenges.enums import ChallengeStatus
from quartiers40.challenges.models import Challenge
from quartiers40.members.models import Organisation
from quartiers40.projects.models import Project

from ..enums import SuggestionKind
from ..signals_text import query_text, text_hits
from .common import (
    CACHE_PREFIX,
    Suggestion,
    cached,
    challenge_place,
    organisation_place,
    place_reasons,
    theme_reason,
    top,
    words_reason,
)

# --- On "Mon espace": défis an organisation could answer -------------------------------------


def challenges_for_organisation(organisation: Organisation) -> list[Suggestion]:
    """Open, visible défis of the themes of its projects, where it acts (the reverse of
    `organisations_for_challenge`), its own left out."""
    projects = list(
        Project.objects.published().filter(carrier=organisation).prefetch_related("qpvs")
    )
    themes = sorted({code for p in projects for code in p.themes})
    place = organisation_place(organisation, projects)
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
        suggestion.add(words_reason(hits.get(challenge.pk)))
        suggestion.add(theme_reason([code for code in challenge.themes if code in themes]))
        place_reasons(suggestion, place, challenge_place(challenge), feminine=False)
        suggestions.append(suggestion)
    return top(suggestions)


def organisation_suggestions(organisation: Organisation) -> dict[str, list[Suggestion]]:
    return cached(
        f"{CACHE_PREFIX}organisation:{organisation.pk}",
        lambda: {SuggestionKind.CHALLENGE.value: challenges_for_organisation(organisation)},
    )
