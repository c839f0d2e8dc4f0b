"""The territories pages in real Chromium: maps, "am I in a QPV?", the place picker.

Accessibility (axe-core, WCAG 2.1 AA), no JavaScript, small screens, page weight.
"""

import gzip
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from quartiers40.members.enums import Role
from quartiers40.territories.communes import communes_import
from quartiers40.territories.lookup import qpv_index_invalidate
from quartiers40.territories.models import QPV
from quartiers40.territories.services import qpv_layer_import
from tests.browser.conftest import assert_no_axe_violations
from tests.members.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.territories import fake_geocoder
from tests.territories.conftest import NATIONAL_FILE
from tests.territories.conftest import http_server as http_server  # a fixture, used below
from tests.territories.factories import QPVFactory, box

PAGE_BUDGET = 150 * 1024
COMMUNES_DATA = Path(__file__).parents[1] / "territories" / "data"
NARROW = {"width": 320, "height": 800}
# Compressed as WhiteNoise serves them in production (precompressed at collectstatic).
COMPRESSIBLE = (".js", ".css", ".svg", ".json", ".geojson")


@pytest.fixture(autouse=True)
def _fresh_qpv_index():
    """The lookup index lives in the process: none may survive from another test's data."""
    qpv_index_invalidate()
    yield
    qpv_index_invalidate()


@pytest.fixture
def small_layer(transactional_db):
    """Goutte d'Or where the fake geocoder puts its address, and a QPV around the centre
    of the map's first view (mainland France: 2.2° E, 46.42° N in Web Mercator)."""
    return {
        "goutte_dor": QPVFactory(
            code="QN07511M",
            name="Goutte D'Or",
            department_code="75",
            department_name="Paris",
            geometry=box(2.35, 48.88, 0.01),
        ),
        "centre": QPVFactory(
            code="QN04501M",
            name="Quartier du Centre",
            department_code="45",
            department_name="Loiret",
            geometry=box(2.15, 46.37, 0.1),
        ),
    }


@pytest.fixture
def national_layer(transactional_db):
    """All 1,584 QPVs: what the maps really carry."""
    qpv_layer_import(source=NATIONAL_FILE)
    qpv_index_invalidate()


@pytest.fixture
def csp_errors(page):
    """Messages of the page's console that report a Content-Security-Policy violation."""
    errors = []
    page.on(
        "console",
        lambda message: (
            errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return errors


def _map(page):
    return page.locator("[data-qpv-map][data-ready='true']")


def _transferred(response) -> int:
    """Bytes on the wire for one response, as production sends it."""
    if response.headers.get("content-encoding"):
        return max(0, response.request.sizes()["responseBodySize"])  # 0 from the cache
    body = response.body()
    if "/static/" in response.url and response.url.split("?")[0].endswith(COMPRESSIBLE):
        return len(gzip.compress(body))
    return len(body)


def _open_weighing(page, url: str) -> dict[str, int]:
    """Open `url`, let its map load its data, and return the bytes transferred per URL."""
    responses = []

    def record(response):
        responses.append(response)

    page.on("response", record)
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    page.remove_listener("response", record)
    return {
        response.url: _transferred(response)
        for response in responses
        if not 300 <= response.status < 400
    }


# --- "Suis-je dans un QPV ?" -----------------------------------------------------------------


def test_check_by_clicking_the_map_inside_a_qpv(page, live_server, small_layer, csp_errors):
    page.goto(f"{live_server.url}/territoires/verifier/")
    area = _map(page)
    expect(area).to_be_visible()
    expect(page.get_by_text("Cliquez sur la carte à l'endroit voulu")).to_be_visible()
    area.scroll_into_view_if_needed()
    # Zoom in four times (the buttons keep the centre), then click the centre.
    zoom = int(area.get_attribute("data-zoom"))
    for step in range(1, 5):
        page.get_by_role("button", name="Zoom avant").click()
        expect(area).to_have_attribute("data-zoom", str(zoom + step))
    frame = area.bounding_box()
    page.mouse.click(frame["x"] + frame["width"] / 2, frame["y"] + frame["height"] / 2)

    expect(page.get_by_role("heading", name="Réponse")).to_be_visible()
    expect(page.locator(".qpv-verdict")).to_contain_text(
        "Oui : ce point est dans le quartier prioritaire Quartier du Centre (QN04501M)."
    )
    assert re.search(r"latitude=4\d\.\d+&longitude=[123]\.\d+", page.url)
    # The answer's map shows the point and the QPV.
    expect(_map(page)).to_have_attribute("data-marker", re.compile(r"^[123]\.\d+,4\d\.\d+$"))
    page.get_by_role("link", name="Quartier du Centre").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quartier du Centre")
    assert csp_errors == []


def test_check_without_javascript_by_address(
    new_context, live_server, settings, http_server, small_layer
):
    fake_geocoder.install(http_server, settings)
    page = new_context(java_script_enabled=False).new_page()
    page.goto(f"{live_server.url}/territoires/verifier/")
    expect(page.locator("[data-qpv-map-figure]")).to_be_hidden()
    expect(page.get_by_role("button", name="Utiliser ma position")).to_be_hidden()
    page.get_by_label("Adresse", exact=True).fill("20 rue de la Goutte d'Or 75018 Paris")
    page.get_by_role("button", name="Vérifier").click()
    expect(page.locator(".qpv-verdict")).to_contain_text(
        "Oui : cette adresse est dans le quartier prioritaire Goutte D'Or (QN07511M)."
    )
    expect(page.locator(".qpv-verdict")).to_contain_text(
        "Adresse trouvée : 20 Rue de la Goutte d'Or 75018 Paris."
    )
    expect(page).to_have_title(re.compile("^Oui, dans un quartier prioritaire"))


def test_check_without_javascript_by_coordinates_when_the_geocoder_is_off(
    new_context, live_server, settings, small_layer
):
    settings.GEOCODER_ENABLED = False
    page = new_context(java_script_enabled=False).new_page()
    page.goto(f"{live_server.url}/territoires/verifier/")
    expect(page.get_by_text("La recherche par adresse est désactivée")).to_be_visible()
    page.get_by_label(re.compile("^Latitude")).fill("48,8855")
    page.get_by_label(re.compile("^Longitude")).fill("2,3700")
    page.get_by_role("button", name="Vérifier").click()
    expect(page.locator(".qpv-verdict")).to_contain_text(
        "Non : le quartier prioritaire le plus proche est Goutte D'Or (QN07511M), à 730\u00a0m."
    )


def test_check_errors_keep_what_was_typed_and_have_no_axe_violation(page, live_server, small_layer):
    page.goto(f"{live_server.url}/territoires/verifier/")
    page.get_by_label(re.compile("^Latitude")).fill("95")
    page.get_by_label(re.compile("^Longitude")).fill("2,35")
    page.get_by_role("button", name="Vérifier").click()
    expect(page.get_by_role("alert")).to_contain_text("Le formulaire contient des erreurs")
    latitude = page.get_by_label(re.compile("^Latitude"))
    expect(latitude).to_have_value("95")
    expect(latitude).to_have_attribute("aria-invalid", "true")
    expect(latitude).to_have_accessible_description(re.compile("comprise entre -90 et 90"))
    assert_no_axe_violations(page)


# --- Accessibility and weight with the national layer ----------------------------------------


def test_directory_map_and_list_have_no_axe_violation_and_stay_light(
    page, live_server, national_layer, csp_errors
):
    sizes = _open_weighing(page, f"{live_server.url}/territoires/")
    expect(_map(page)).to_have_attribute("data-points-count", "1584")
    expect(page.get_by_text(re.compile(r"^1\s584 quartiers prioritaires$"))).to_be_visible()
    assert_no_axe_violations(page)
    total = sum(sizes.values())
    assert total <= PAGE_BUDGET, f"the directory weighs {total} bytes: {sizes}"
    assert any("/territoires/carte/points.json" in url for url in sizes)
    assert csp_errors == []

    # A search brings out what it found, on the map too.
    page.get_by_label(re.compile("^Commune, code postal ou quartier")).fill("Goutte")
    page.locator("main").get_by_role("button", name="Chercher").click()
    expect(page.get_by_role("link", name="Goutte D'Or")).to_be_visible()
    expect(_map(page)).to_have_attribute("data-points-count", "1584")
    assert_no_axe_violations(page)


def test_directory_map_popup_links_to_the_qpv_page(page, live_server, small_layer):
    page.goto(f"{live_server.url}/territoires/?q=Quartier+du+Centre")
    area = _map(page)
    expect(area).to_have_attribute("data-points-count", "2")
    area.scroll_into_view_if_needed()
    frame = area.bounding_box()
    # The map frames the QPV found: its point (or perimeter) is in the middle.
    page.mouse.click(frame["x"] + frame["width"] / 2, frame["y"] + frame["height"] / 2)
    popup = page.locator(".leaflet-popup")
    expect(popup).to_contain_text("Quartier du Centre (QN04501M)")
    expect(popup.get_by_role("button", name="Fermer")).to_be_visible()
    expect(popup).to_have_css("opacity", "1")  # faded in: colours are final
    assert_no_axe_violations(page)
    popup.get_by_role("link", name="Voir la page du quartier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quartier du Centre")


def test_qpv_page_has_no_axe_violation_and_stays_light(
    page, live_server, national_layer, csp_errors
):
    OrganisationFactory(name="Les Ateliers du Nord").qpvs.add(QPV.objects.get(code="QN07511M"))
    sizes = _open_weighing(page, f"{live_server.url}/territoires/qpv/QN07511M/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Goutte D'Or")
    expect(_map(page)).to_have_attribute("data-perimeters-count", re.compile(r"^[1-9]\d*$"))
    expect(page.get_by_role("link", name="Les Ateliers du Nord")).to_be_visible()
    assert_no_axe_violations(page)
    total = sum(sizes.values())
    assert total <= PAGE_BUDGET, f"the QPV page weighs {total} bytes: {sizes}"
    assert csp_errors == []


def test_check_answer_has_no_axe_violation_and_stays_light(
    page, live_server, national_layer, csp_errors
):
    url = f"{live_server.url}/territoires/verifier/?adresse=&latitude=48.8860&longitude=2.3540"
    sizes = _open_weighing(page, url)
    expect(page.locator(".qpv-verdict")).to_contain_text("Oui : ce point est dans")
    expect(_map(page)).to_be_visible()
    assert_no_axe_violations(page)
    total = sum(sizes.values())
    assert total <= PAGE_BUDGET, f"the check page weighs {total} bytes: {sizes}"
    assert csp_errors == []


@pytest.mark.parametrize(
    "url",
    [
        "/territoires/",
        "/territoires/qpv/QN04501M/",
        "/territoires/verifier/?latitude=46&longitude=2",
    ],
)
def test_no_horizontal_scroll_at_320_pixels(new_context, live_server, small_layer, url):
    page = new_context(viewport=NARROW).new_page()
    page.goto(live_server.url + url)
    expect(_map(page)).to_be_visible()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 320


# --- The QPVs of an organisation -------------------------------------------------------------


def test_the_place_picker_finds_quartiers_by_commune_with_the_keyboard(
    sign_in_as, live_server, national_layer, csp_errors
):
    communes_import(source=COMMUNES_DATA)
    admin = UserFactory()
    organisation = OrganisationFactory(name="Les Ateliers du Nord")
    MembershipFactory(organisation=organisation, user=admin, role=Role.ADMIN)
    page = sign_in_as(admin)
    page.on(
        "console",
        lambda message: (
            csp_errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(f"{live_server.url}/organisations/{organisation.slug}/modifier/")
    box = page.get_by_role("combobox", name="Quartiers prioritaires où elle agit")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("button", name="Chercher", exact=True)).to_have_count(0)  # a no-JS step

    box.press_sequentially("sevran")
    options = page.locator(".qpv-picker").get_by_role("option")
    expect(options.first).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(page.locator(".qpv-picker-status")).to_contain_text("quartiers trouvés")
    box.press("ArrowDown")
    first = options.first.locator(".qpv-picker-name").text_content()
    expect(options.first).to_have_attribute("aria-selected", "true")
    box.press("Enter")  # picks, never sends the form
    chosen = page.locator("[data-chosen-list] input:checked")
    expect(chosen).to_have_count(1)
    expect(page.locator(".qpv-picker-status")).to_have_text(f"Quartier ajouté : {first}.")
    expect(box).to_have_attribute("aria-expanded", "false")

    box.fill("goutte d'or")
    options.filter(has_text="Goutte D'Or").click()
    expect(chosen).to_have_count(2)
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Les Ateliers du Nord")
    codes = set(organisation.qpvs.values_list("code", flat=True))
    assert "QN07511M" in codes and len(codes) == 2
    assert csp_errors == []


def test_directory_filters_fold_on_a_phone_and_the_first_result_shows(
    new_context, live_server, small_layer
):
    page = new_context(viewport={"width": 360, "height": 800}).new_page()
    page.goto(f"{live_server.url}/territoires/")
    folded = page.locator("details.filters-fold")
    expect(folded).not_to_have_attribute("open", "")
    first = page.locator(".qpv-list li").first
    expect(first).to_be_in_viewport()
    # A filter on: open, and the search finds by commune name.
    page.goto(f"{live_server.url}/territoires/?q=paris")
    expect(folded).to_have_attribute("open", "")
    # Wide: the filters show without opening them.
    wide = new_context(viewport={"width": 1280, "height": 800}).new_page()
    wide.goto(f"{live_server.url}/territoires/")
    expect(wide.get_by_label("Commune, code postal ou quartier")).to_be_visible()
