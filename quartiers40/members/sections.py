"""What members add to other apps' pages (registered from MembersConfig.ready)."""

from quartiers40.core.sections import QPV_PAGE, Section, section_register

from .selectors import organisations_acting_in


def register() -> None:
    section_register(
        Section(
            page=QPV_PAGE,
            key="organisations",
            order=10,
            template="members/qpv_section.html",
            context=organisations_acting_in,
        )
    )
