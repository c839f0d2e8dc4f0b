"""Sections that other apps contribute to a QPV page, an organisation page and the home page.

`territories` and `members` know nothing of the apps above them (STYLE.md: apps depend
downward). Each app that has something to show on a neighbourhood's or an organisation's
page registers a section here from its AppConfig.ready(); the page renders the
registered sections in order.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class QPVSection:
    key: str
    order: int
    template: str
    context: Callable[[Any], dict]


_QPV_SECTIONS: dict[str, QPVSection] = {}


def qpv_section_register(section: QPVSection) -> None:
    _QPV_SECTIONS[section.key] = section


def qpv_sections_for(qpv) -> list[dict]:
    """[{"key", "template", **context}] for every registered section, in order."""
    return [
        {"key": section.key, "template": section.template, **section.context(qpv)}
        for section in sorted(_QPV_SECTIONS.values(), key=lambda s: s.order)
    ]


@dataclass(frozen=True)
class OrganisationSection:
    """`context(organisation, viewer)`: the viewer may see more (drafts of their own)."""

    key: str
    order: int
    template: str
    context: Callable[[Any, Any], dict]


_ORGANISATION_SECTIONS: dict[str, OrganisationSection] = {}


def organisation_section_register(section: OrganisationSection) -> None:
    _ORGANISATION_SECTIONS[section.key] = section


def organisation_sections_for(organisation, viewer) -> list[dict]:
    """[{"key", "template", **context}] for every registered section, in order."""
    return [
        {"key": section.key, "template": section.template, **section.context(organisation, viewer)}
        for section in sorted(_ORGANISATION_SECTIONS.values(), key=lambda s: s.order)
    ]


@dataclass(frozen=True)
class HomeSection:
    """`context(viewer)`: what the section shows on the home page."""

    key: str
    order: int
    template: str
    context: Callable[[Any], dict]


_HOME_SECTIONS: dict[str, HomeSection] = {}


def home_section_register(section: HomeSection) -> None:
    _HOME_SECTIONS[section.key] = section


def home_sections_for(viewer) -> list[dict]:
    return [
        {"key": section.key, "template": section.template, **section.context(viewer)}
        for section in sorted(_HOME_SECTIONS.values(), key=lambda s: s.order)
    ]
