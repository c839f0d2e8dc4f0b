from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "quartiers40.projects"
    verbose_name = _("Projets")

    def ready(self) -> None:
        from quartiers40.core.sections import (
            HomeSection,
            OrganisationSection,
            QPVSection,
            home_section_register,
            organisation_section_register,
            qpv_section_register,
        )

        from .selectors import (
            projects_in_home_section,
            projects_in_organisation_section,
            projects_in_qpv_section,
        )

        qpv_section_register(
            QPVSection(
                key="projects",
                order=20,
                template="projects/qpv_section.html",
                context=projects_in_qpv_section,
            )
        )
        organisation_section_register(
            OrganisationSection(
                key="projects",
                order=20,
                template="projects/organisation_section.html",
                context=projects_in_organisation_section,
            )
        )
        home_section_register(
            HomeSection(
                key="projects",
                order=20,
                template="projects/home_section.html",
                context=projects_in_home_section,
            )
        )
