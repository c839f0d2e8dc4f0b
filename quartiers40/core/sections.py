"""Sections that other apps contribute to a QPV page.

`territories` knows nothing of the apps above it (STYLE.md: apps depend downward).
Each app that has something to show on a neighbourhood's page registers a section
here from its AppConfig.ready(); the QPV page renders the registered sections in order.
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
