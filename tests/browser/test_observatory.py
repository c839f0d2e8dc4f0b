"""The observatory's pages in a real browser: a department's dashboard with and without
JavaScript, and axe-core on every new page."""

import pytest
from playwright.sync_api import expect

from quartiers40.observatory.services import observatory_recompute
from tests.observatory.conftest import territory  # noqa: F401 (the hand-counted fixture)

from .conftest import assert_no_axe_violations

PAGES = [
    "/observatoire/",
    "/observatoire/region/11/",
    "/observatoire/departement/93/",
    "/observatoire/commune/93066/",
    "/observatoire/qpv/QN09310M/",
    "/observatoire/theme/employment/",
    "/observatoire/couverture/",
    "/observatoire/couverture/?departement=93",
]


@pytest.fixture
def computed(territory):  # noqa: F811
    observatory_recompute()
    return territory


def _read_department(page, live_server) -> None:
    page.goto(f"{live_server.url}/observatoire/departement/93/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Seine-Saint-Denis")
    # Each chart is an image named by its caption; its table opens from a disclosure.
    chart = page.get_by_role(
        "img", name="Personnes inscrites aux rencontres, par mode, par trimestre"
    )
    expect(chart).to_be_visible()
    block = page.locator("section.obs-block").filter(
        has=page.get_by_role("heading", name="Personnes inscrites aux rencontres, par mode")
    )
    table = block.locator("details table")
    expect(table).to_be_hidden()
    block.get_by_text("Les chiffres par trimestre").click()
    expect(table).to_be_visible()
    expect(table).to_contain_text("T3 2025")
    expect(block.locator(".obs-breakdown")).to_contain_text("moins de 5")
    # The breadcrumb leads to the region's dashboard.
    page.get_by_role("navigation", name="Vous êtes ici").get_by_role(
        "link", name="Île-de-France"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Île-de-France")


def test_department_dashboard_with_javascript(live_server, page, computed):
    _read_department(page, live_server)


def test_department_dashboard_without_javascript(live_server, new_context, computed):
    page = new_context(java_script_enabled=False).new_page()
    _read_department(page, live_server)
    # The coverage page says in text what its map shows.
    page.goto(f"{live_server.url}/observatoire/couverture/?departement=93")
    expect(page.get_by_role("link", name="Cosmonautes")).to_be_visible()


@pytest.mark.parametrize("path", PAGES)
def test_no_axe_violations(live_server, page, computed, path):
    page.goto(f"{live_server.url}{path}")
    assert_no_axe_violations(page)
