"""One registry for the sections other apps add to a page, one for the demo loaders."""

import pytest

from quartiers40.core import demo, sections
from quartiers40.core.sections import (
    HOME_PAGE,
    ORGANISATION_PAGE,
    QPV_PAGE,
    Section,
    section_register,
    sections_for,
    sections_registered,
)


def test_every_app_registers_its_sections_in_order():
    assert [s.key for s in sections_registered(QPV_PAGE)] == [
        "organisations",
        "projects",
        "challenges",
        "opportunities",
        "observatory",
    ]
    assert [s.key for s in sections_registered(ORGANISATION_PAGE)] == [
        "projects",
        "challenges",
        "opportunities",
    ]
    assert [s.key for s in sections_registered(HOME_PAGE)] == [
        "opportunities",
        "meetings",
        "projects",
        "challenges",
        "observatory",
    ]


def test_a_page_gets_each_section_with_its_context(monkeypatch):
    monkeypatch.setattr(sections, "_SECTIONS", {page: {} for page in sections.PAGES})
    section_register(
        Section(page=QPV_PAGE, key="b", order=2, template="b.html", context=lambda q: {"q": q})
    )
    section_register(
        Section(page=QPV_PAGE, key="a", order=1, template="a.html", context=lambda q: {})
    )
    assert sections_for(QPV_PAGE, "qpv") == [
        {"key": "a", "template": "a.html"},
        {"key": "b", "template": "b.html", "q": "qpv"},
    ]
    with pytest.raises(ValueError, match="unknown page"):
        section_register(Section(page="nowhere", key="x", order=1, template="", context=dict))


def test_every_app_registers_its_demo_loader_in_dependency_order():
    assert [loader.key for loader in demo.demo_loaders()] == [
        "members",
        "projects",
        "challenges",
        "meetings",
        "opportunities",
        "notifications",
        "search",  # last: it indexes what the others made
    ]


def test_demo_load_runs_the_loaders_in_order_and_reset_in_reverse(monkeypatch):
    calls = []

    def loader(key, order):
        return demo.DemoLoader(
            key=key,
            order=order,
            load=lambda rng: calls.append(("load", key)) or {key: 3},
            reset=lambda: calls.append(("reset", key)),
            summary={key: "{n} " + key},
        )

    monkeypatch.setattr(demo, "_LOADERS", {})
    demo.demo_loader_register(loader("second", 2))
    demo.demo_loader_register(loader("first", 1))
    assert demo.demo_load(seed=1) == ["3 first", "3 second"]
    demo.demo_reset()
    assert calls == [("load", "first"), ("load", "second"), ("reset", "second"), ("reset", "first")]
