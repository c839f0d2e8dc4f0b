"""What projects add to other apps' pages (registered from ProjectsConfig.ready)."""

from quartiers40.core.sections import (
    HOME_PAGE,
    ORGANISATION_PAGE,
    QPV_PAGE,
    Section,
    section_register,
)

from .selectors import (
    projects_in_home_section,
    projects_in_organisation_section,
    projects_in_qpv_section,
)


def register() -> None:
    section_register(
        Section(
            page=QPV_PAGE,
            key="projects",
            order=20,
            template="projects/qpv_section.html",
            context=projects_in_qpv_section,
        )
    )
    section_register(
        Section(
            page=ORGANISATION_PAGE,
            key="projects",
            order=20,
            template="projects/organisation_section.html",
            context=projects_in_organisation_section,
        )
    )
    section_register(
        Section(
            page=HOME_PAGE,
            key="projects",
            order=20,
            template="projects/home_section.html",
            context=projects_in_home_section,
        )
    )
