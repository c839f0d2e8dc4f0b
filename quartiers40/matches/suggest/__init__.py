"""The suggestions: for a subject, the top few of each type, each with its reasons.

`common` holds the weights, the signals and how they say themselves; one module per page
where people decide. Pages read them through `matches.sections`.
"""

from .account import challenges_for_organisation, organisation_suggestions
from .agenda import edition_suggestions, edition_themes, pitches_for_edition
from .challenge import (
    challenge_suggestions,
    opportunities_for_challenge,
    opportunities_for_place,
    organisations_for_challenge,
    projects_for_challenge,
)
from .common import PER_TYPE, Place, Suggestion
from .project import (
    funding_for_project,
    partners_for_project,
    pilot_sites_for_project,
    project_suggestions,
)

__all__ = [
    "PER_TYPE",
    "Place",
    "Suggestion",
    "challenge_suggestions",
    "challenges_for_organisation",
    "edition_suggestions",
    "edition_themes",
    "funding_for_project",
    "opportunities_for_challenge",
    "opportunities_for_place",
    "organisation_suggestions",
    "organisations_for_challenge",
    "partners_for_project",
    "pilot_sites_for_project",
    "pitches_for_edition",
    "project_suggestions",
    "projects_for_challenge",
]
