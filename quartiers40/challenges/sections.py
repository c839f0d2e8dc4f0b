"""What défis add to other apps' pages, without those apps knowing about défis.

- The QPV page: a section registered in `core.sections` (from
  `ChallengesConfig.ready`), listing the public défis of the neighbourhood.
- The organisation page: a section registered the same way, the public défis the
  organisation posted or offered help on.

Both read through `selectors` (public défis only, QPVs prefetched): a fixed number of
queries whatever the number of défis.
"""

from quartiers40.core.sections import (
    HOME_PAGE,
    ORGANISATION_PAGE,
    QPV_PAGE,
    Section,
    section_register,
)

from . import selectors

CHALLENGES_ON_ORGANISATION_PAGE = 10
CHALLENGES_ON_HOME_PAGE = 4


def home_section_context(viewer=None) -> dict:
    """The latest public défis still waiting for an answer, for the home page."""
    challenges = selectors.challenge_catalogue(status="open", sort="newest")
    return {"latest_challenges": list(challenges[:CHALLENGES_ON_HOME_PAGE])}


def organisation_section_context(organisation, viewer=None) -> dict:
    """The public défis an organisation posted, and those it offered help on (two or three
    queries). Everybody sees the same: only public défis are listed."""
    challenges = selectors.challenges_of_organisation(organisation)
    shown = list(challenges[:CHALLENGES_ON_ORGANISATION_PAGE])
    count = len(shown)
    if count == CHALLENGES_ON_ORGANISATION_PAGE:
        count = challenges.count()
    return {
        "posted": [c for c in shown if c.organisation_id == organisation.pk],
        "helped": [c for c in shown if c.organisation_id != organisation.pk],
        "challenges_count": count,
        "more": count > len(shown),
    }


def register() -> None:
    section_register(
        Section(
            page=QPV_PAGE,
            key="challenges",
            order=30,
            template="challenges/qpv_section.html",
            context=selectors.challenges_in_qpv_section,
        )
    )
    section_register(
        Section(
            page=HOME_PAGE,
            key="challenges",
            order=30,
            template="challenges/home_section.html",
            context=home_section_context,
        )
    )
    section_register(
        Section(
            page=ORGANISATION_PAGE,
            key="challenges",
            order=30,
            template="challenges/organisation_section.html",
            context=organisation_section_context,
        )
    )
