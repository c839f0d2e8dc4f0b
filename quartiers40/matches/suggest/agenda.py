"""On the agenda builder: the pitches that fit the edition's theme and city."""

from django.utils.translation import gettext as _

from quartiers40.projects.enums import Theme

from .. import explain
from ..enums import SuggestionKind
from ..signals_text import query_text, text_hits
from .common import (
    CACHE_PREFIX,
    W_SAME_QPV,
    W_SUPPORTS,
    W_TRACK_MAX,
    Suggestion,
    cached,
    theme_reason,
    top,
    words_reason,
)

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
        suggestion.add(words_reason(hit))
        suggestion.add(theme_reason([code for code in subject.themes if code in themes]))
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
    return top(suggestions)


def edition_suggestions(edition) -> dict[str, list[Suggestion]]:
    return cached(
        f"{CACHE_PREFIX}edition:{edition.pk}",
        lambda: {SuggestionKind.PITCH.value: pitches_for_edition(edition)},
    )
