"""What meetings add to other apps' pages (registered from MeetingsConfig.ready)."""

from quartiers40.core.sections import HOME_PAGE, Section, section_register

from . import selectors

EDITIONS_ON_HOME_PAGE = 2


def home_section_context(viewer=None) -> dict:
    """The next public editions, for the home page."""
    return {"next_editions": list(selectors.editions_upcoming()[:EDITIONS_ON_HOME_PAGE])}


def register() -> None:
    section_register(
        Section(
            page=HOME_PAGE,
            key="meetings",
            order=10,
            template="meetings/home_section.html",
            context=home_section_context,
        )
    )
