"""One registry for the sections other apps add to a page, one for the demo loaders."""

import sys
import types

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
    monkeypatch.setattr(sections, "_PENDING", [])  # the apps' modules, not registered here
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


def test_an_apps_sections_module_registers_at_the_first_look(monkeypatch):
    monkeypatch.setattr(sections, "_SECTIONS", {page: {} for page in sections.PAGES})
    monkeypatch.setattr(sections, "_PENDING", [])
    sections.sections_module_register("quartiers40.projects.sections")
    assert sections._SECTIONS[QPV_PAGE] == {}  # nothing imported at start-up
    assert [s.key for s in sections_registered(QPV_PAGE)] == ["projects"]
    assert sections._PENDING == []


def test_a_demo_loader_is_found_by_its_dotted_path(monkeypatch):
    calls = []
    module = types.ModuleType("fake_app_demo")
    module.load = lambda *, rng: calls.append("load") or {"things": 3}
    module.reset = lambda: calls.append("reset")
    monkeypatch.setitem(sys.modules, "fake_app_demo", module)
    monkeypatch.setattr(demo, "_LOADERS", {})
    demo.demo_loader_register(
        demo.DemoLoader(
            key="x",
            order=1,
            load="fake_app_demo.load",
            reset="fake_app_demo.reset",
            summary={"things": "{n} choses"},
        )
    )
    assert demo.demo_load(seed=3) == ["3 choses"]
    demo.demo_reset()
    assert calls == ["load", "reset"]
