"""Sections that the apps contribute to the pages of other apps: one registry, one way in.

`territories` and `members` know nothing of the apps above them (STYLE.md: apps depend
downward), yet a neighbourhood's page lists its projects and défis. Each app declares its
sections in its own `sections.py` and registers them from `AppConfig.ready()`:

    section_register(Section(page=QPV_PAGE, key="projects", order=20,
                             template="projects/qpv_section.html", context=projects_in_qpv))

An app's `ready()` names that module rather than importing it,
`sections_module_register("quartiers40.projects.sections")`: its `register()` runs at the
first look at the registry (a page), so that a process that shows no page (a command, a
worker) never imports the sections and the selectors behind them (issue 17).

The page then renders `sections_for(QPV_PAGE, qpv)` in order. The `context` callable gets
the page's arguments: `(qpv)` on a QPV page, `(organisation, viewer)` on an organisation
page (its own people may see more), `(viewer)` on the home page (always `None`: the home
sections are public and cached), `(viewer)` on "Mon espace" and on "À traiter".
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

HOME_PAGE = "home"
QPV_PAGE = "qpv"
ORGANISATION_PAGE = "organisation"
# A signed-in person's own space ("Mon espace"): context(viewer) -> what is theirs.
ACCOUNT_PAGE = "account"
# The coordination team's "À traiter" page: context(viewer) -> {"count": n, ...} per queue.
COORDINATION_PAGE = "coordination"
# Pages where people decide, which show suggestions (quartiers40/matches): the context gets
# the page's subject then the viewer, `(challenge, viewer)`, `(project, viewer)`,
# `(edition, viewer)` on the agenda builder, `(results, viewer)` on "Près de chez moi". The
# templates ask with `{% page_sections "challenge" challenge as sections %}` (core.q40).
CHALLENGE_PAGE = "challenge"
PROJECT_PAGE = "project"
AGENDA_PAGE = "agenda"
NEAR_ME_PAGE = "near_me"
PAGES = (
    HOME_PAGE,
    QPV_PAGE,
    ORGANISATION_PAGE,
    ACCOUNT_PAGE,
    COORDINATION_PAGE,
    CHALLENGE_PAGE,
    PROJECT_PAGE,
    AGENDA_PAGE,
    NEAR_ME_PAGE,
)


@dataclass(frozen=True)
class Section:
    page: str
    key: str
    order: int
    template: str
    context: Callable[..., dict]


_SECTIONS: dict[str, dict[str, Section]] = {page: {} for page in PAGES}
_PENDING: list[str] = []  # modules whose `register()` has not run yet
_pending_lock = threading.Lock()


def sections_module_register(module: str) -> None:
    """Have `module.register()` run at the first look at the registry; from a ready()."""
    with _pending_lock:
        _PENDING.append(module)


def _register_pending() -> None:
    if not _PENDING:
        return
    with _pending_lock:  # one thread registers; the others wait for the whole registry
        while _PENDING:
            import_module(_PENDING[0]).register()
            _PENDING.pop(0)


def section_register(section: Section) -> None:
    """Add (or replace, by key) a section of a page; called from an AppConfig.ready()."""
    if section.page not in _SECTIONS:
        raise ValueError(f"unknown page {section.page!r}; pages are {PAGES}")
    _SECTIONS[section.page][section.key] = section


def sections_registered(page: str) -> list[Section]:
    _register_pending()
    return sorted(_SECTIONS[page].values(), key=lambda section: (section.order, section.key))


def sections_for(page: str, *args: Any) -> list[dict]:
    """[{"key", "template", **context}] for every section of the page, in order."""
    return [
        {"key": section.key, "template": section.template, **section.context(*args)}
        for section in sections_registered(page)
    ]
