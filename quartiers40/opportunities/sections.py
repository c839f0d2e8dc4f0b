"""What opportunities add to the home, QPV and organisation pages (public pages)."""

from django.utils import timezone

from quartiers40.core.sections import (
    HOME_PAGE,
    ORGANISATION_PAGE,
    QPV_PAGE,
    Section,
    section_register,
)

from .selectors import opportunities_for_qpv, opportunities_of_organisation, opportunities_public

OPPORTUNITIES_ON_QPV_PAGE = 6
OPPORTUNITIES_ON_ORGANISATION_PAGE = 6
OPPORTUNITIES_ON_HOME_PAGE = 3
# "Within its area and a few km around": the places linked to the QPV (services link
# those within 2 km).
QPV_NEARBY_METRES = 2000


def _near_form():
    # Imported here: the form's place picker brings the geocoder (httpx), which commands
    # such as qpv_check must not pay for at start-up (sections are registered then).
    from .forms_public import NearSearchForm

    return NearSearchForm()


def qpv_section_context(qpv) -> dict:
    """Published items in the QPV or near it, nearest first."""
    opportunities = opportunities_for_qpv(qpv=qpv, within_m=QPV_NEARBY_METRES)
    shown = list(opportunities[: OPPORTUNITIES_ON_QPV_PAGE + 1])
    return {
        "opportunities": shown[:OPPORTUNITIES_ON_QPV_PAGE],
        "opportunities_count": (
            opportunities.count() if len(shown) > OPPORTUNITIES_ON_QPV_PAGE else len(shown)
        ),
    }


def organisation_section_context(organisation, viewer) -> dict:
    """Its published items, latest first."""
    opportunities = opportunities_of_organisation(organisation=organisation)
    shown = list(
        opportunities.order_by("-published_at", "pk")[: OPPORTUNITIES_ON_ORGANISATION_PAGE + 1]
    )
    return {
        "organisation_opportunities": shown[:OPPORTUNITIES_ON_ORGANISATION_PAGE],
        "organisation_opportunities_more": len(shown) > OPPORTUNITIES_ON_ORGANISATION_PAGE,
    }


def home_section_context(viewer) -> dict:
    """A few of the latest items, and the small "près de chez moi" form (public, cached)."""
    latest = opportunities_public().exclude(deadline__lt=timezone.localdate())
    return {
        "latest_opportunities": list(
            latest.order_by("-published_at", "pk")[:OPPORTUNITIES_ON_HOME_PAGE]
        ),
        "near_form": _near_form(),
    }


def register() -> None:
    """Called from OpportunitiesConfig.ready()."""
    section_register(
        Section(
            page=QPV_PAGE,
            key="opportunities",
            order=40,
            template="opportunities/qpv_section.html",
            context=qpv_section_context,
        )
    )
    section_register(
        Section(
            page=ORGANISATION_PAGE,
            key="opportunities",
            order=40,
            template="opportunities/organisation_section.html",
            context=organisation_section_context,
        )
    )
    section_register(
        Section(
            page=HOME_PAGE,
            key="opportunities",
            order=5,
            template="opportunities/home_section.html",
            context=home_section_context,
        )
    )
