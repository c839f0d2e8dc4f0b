"""The official commune list: import, QPVs named and found by their communes."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from quartiers40.territories.communes import CommunesError, communes_import, qpv_communes_link
from quartiers40.territories.models import QPV, Commune
from quartiers40.territories.selectors import qpv_directory
from quartiers40.territories.text import search_text

from .conftest import Response
from .factories import QPVFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


def seine_saint_denis(**fields) -> QPV:
    return QPVFactory(department_code="93", department_name="Seine-Saint-Denis", **fields)


@pytest.fixture
def qpvs():
    """QPVs as the national layer gives them: commune codes, no commune names."""
    nameless = {"commune_name": "", "commune_names": []}
    return {
        "montceleux": seine_saint_denis(
            code="QN09350I",
            name="Montceleux - Pont Blanc",
            commune_code="93071",
            commune_codes=["93071"],
            **nameless,
        ),
        "beaudottes": seine_saint_denis(
            code="QN09349I",
            name="Les Beaudottes",
            commune_code="93071",
            commune_codes=["93071", "93005"],
            **nameless,
        ),
        "rose_des_vents": seine_saint_denis(
            code="QN09320M",
            name="Rose des Vents",
            commune_code="93005",
            commune_codes=["93005"],
            **nameless,
        ),
        "franc_moisin": seine_saint_denis(
            code="QN09301M",
            name="Franc Moisin",
            commune_code="93066",
            commune_codes=["93066", "93001"],
            **nameless,
        ),
        # Pierrefitte-sur-Seine (93059) merged into Saint-Denis in 2025.
        "fauvettes": seine_saint_denis(
            code="QN09330M",
            name="Joncherolles - Fauvettes",
            commune_code="93059",
            commune_codes=["93059"],
            **nameless,
        ),
        "ile_saint_denis": seine_saint_denis(
            code="QN09340M",
            name="Méchin - Bocage",
            commune_code="93039",
            commune_codes=["93039"],
            **nameless,
        ),
        "bobigny": seine_saint_denis(
            code="QN09310M",
            name="L'Abreuvoir",
            commune_code="93008",
            commune_codes=["93008"],
            **nameless,
        ),
        "reunion": QPVFactory(
            code="QN97401M",
            name="Le Chaudron",
            department_code="974",
            department_name="La Réunion",
            commune_code="97411",
            commune_codes=["97411"],
            **nameless,
        ),
        "goutte_dor": QPVFactory(
            code="QN07511M", name="Goutte D'Or", commune_codes=["75056"], **nameless
        ),
    }


@pytest.fixture
def communes(qpvs):
    communes_import(source=DATA)
    return qpvs


# --- Import -------------------------------------------------------------------------------


def test_search_text_drops_accents_case_hyphens_and_apostrophes():
    assert search_text("Aulnay-sous-Bois") == "aulnay sous bois"
    assert search_text("L'Île-Saint-Denis") == "l ile saint denis"
    assert search_text("  ST-DENIS ") == "saint denis"
    assert search_text("Cœur de ville") == "coeur de ville"


def test_import_keeps_current_communes_and_arrondissements(qpvs):
    report = communes_import(source=DATA)
    assert report.total == Commune.objects.count() == 11  # no "commune déléguée"
    sevran = Commune.objects.get(code="93071")
    assert sevran.name == "Sevran" and sevran.postcodes == ["93270"]
    assert sevran.population and sevran.department_code == "93" and sevran.region_code == "11"
    assert sevran.epci_name == "Métropole du Grand Paris" and len(sevran.epci_siren) == 9
    assert sevran.search_name == "sevran"
    paris_18 = Commune.objects.get(code="75118")
    assert paris_18.kind == "arrondissement-municipal" and paris_18.parent_code == "75056"
    assert "93059" in Commune.objects.get(code="93066").former_codes


def test_import_names_the_qpvs_communes(communes):
    beaudottes = QPV.objects.get(code="QN09349I")
    assert beaudottes.commune_names == ["Sevran", "Aulnay-sous-Bois"]
    assert beaudottes.commune_name == "Sevran"
    assert list(
        beaudottes.communes.order_by("qpv_links__position").values_list("code", flat=True)
    ) == ["93071", "93005"]
    # A merged commune's code leads to the commune it is part of now.
    assert QPV.objects.get(code="QN09330M").commune_names == ["Saint-Denis"]


def test_import_is_idempotent(communes):
    before = list(Commune.objects.order_by("code").values())
    report = communes_import(source=DATA / "communes.json")
    assert report.created == 0 and report.removed == 0
    assert list(Commune.objects.order_by("code").values()) == before
    assert QPV.objects.get(code="QN09349I").communes.count() == 2


def test_a_commune_no_longer_listed_is_removed(communes, tmp_path):
    entries = json.loads((DATA / "communes.json").read_text())
    (tmp_path / "communes.json").write_text(
        json.dumps([entry for entry in entries if entry["code"] != "93008"])
    )
    report = communes_import(source=tmp_path)
    assert report.removed == 1 and not Commune.objects.filter(code="93008").exists()
    assert report.notes  # no epci.json beside it: said, not fatal
    assert Commune.objects.get(code="93071").epci_name == ""


def test_a_qpv_import_after_the_communes_names_them_too(communes):
    QPV.objects.update(commune_names=[], commune_name="")
    assert qpv_communes_link() == len(communes)
    assert QPV.objects.get(code="QN09350I").commune_names == ["Sevran"]


def test_a_missing_or_broken_source_is_a_clear_error(tmp_path):
    with pytest.raises(CommunesError, match="introuvable"):
        communes_import(source=tmp_path / "nowhere.json")
    (tmp_path / "communes.json").write_text("{not json")
    with pytest.raises(CommunesError, match="Impossible de lire"):
        communes_import(source=tmp_path)
    assert not Commune.objects.exists()


def test_the_source_comes_from_the_setting(settings, qpvs):
    settings.COMMUNES_SOURCE = str(DATA)
    assert communes_import().total == 11


def test_the_source_may_be_a_url(qpvs, http_server):
    for name in ("communes.json", "epci.json"):
        body = (DATA / name).read_bytes()
        http_server.route("GET", f"/data/{name}", lambda request, body=body: Response(body=body))
    report = communes_import(source=http_server.url("/data/communes.json"))
    assert (
        report.total == 11 and report.with_epci == 10
    )  # Saint-Denis-en-Val: not in the small epci.json


def test_the_command_imports_and_can_run_again(qpvs, capsys):
    call_command("import_communes", str(DATA))
    call_command("import_communes", str(DATA))
    out = capsys.readouterr().out
    assert "11 communes lues" in out and "0 nouvelles" in out
    with pytest.raises(CommandError):
        call_command("import_communes", "/nowhere/communes.json")


# --- Search -------------------------------------------------------------------------------


def _codes(query: str) -> list[str]:
    return list(qpv_directory(query=query).values_list("code", flat=True))


def test_a_commune_name_finds_its_qpvs(communes):
    assert set(_codes("Sevran")) == {"QN09350I", "QN09349I"}


def test_saint_denis_finds_the_communes_saint_denis_first_not_the_whole_department(communes):
    codes = _codes("Saint-Denis")
    assert set(codes[:3]) == {"QN09301M", "QN09330M", "QN97401M"}
    # L'Île-Saint-Denis after them; Sevran, Bobigny… not at all.
    assert codes[3:] == ["QN09340M"]


def test_a_postcode_finds_its_communes_qpvs(communes):
    assert set(_codes("93270")) == {"QN09350I", "QN09349I"}
    assert set(_codes("93600")) == {"QN09349I", "QN09320M"}  # Aulnay-sous-Bois


def test_accents_case_and_hyphens_do_not_matter(communes):
    assert set(_codes("aulnay sous bois")) == set(_codes("AULNAY-SOUS-BOIS"))
    assert set(_codes("aulnay sous bois")) == {"QN09349I", "QN09320M"}
    assert _codes("l ile saint denis") == ["QN09340M"]
    assert _codes("goutte d'or") == ["QN07511M"]


def test_the_start_of_a_commune_name_finds_it(communes):
    assert set(_codes("aulnay")) == {"QN09349I", "QN09320M"}


def test_an_arrondissement_finds_its_citys_qpvs(communes):
    assert _codes("75018") == ["QN07511M"]
    assert _codes("Paris 18e") == ["QN07511M"]


def test_a_department_by_its_whole_name_or_number(communes):
    assert len(_codes("Seine-Saint-Denis")) == 7
    assert len(_codes("93")) == 7


def test_without_the_commune_list_the_layers_names_still_work(qpvs):
    QPVFactory(code="QN09399X", name="Centre", commune_name="Sevran", commune_codes=["93071"])
    assert _codes("Sevran") == ["QN09399X"]


# --- Pages and API --------------------------------------------------------------------------


def test_the_directory_finds_sevran_and_names_communes(client, communes):
    response = client.get(reverse("territories:directory"), {"q": "Sevran"})
    page = response.content.decode()
    assert "2 quartiers prioritaires" in page
    assert "Sevran, Aulnay-sous-Bois" in page
    assert "code INSEE" not in page


def test_the_qpv_page_names_its_communes(client, communes):
    response = client.get(reverse("territories:detail", args=["QN09349I"]))
    page = response.content.decode()
    assert "à Sevran, Aulnay-sous-Bois (Seine-Saint-Denis)" in page
    assert "Métropole du Grand Paris" in page
    assert "Liste officielle de 2024" in page
    assert "code INSEE" not in page and "Génération" not in page


def test_the_api_names_the_communes_and_searches_like_the_pages(client, communes):
    detail = client.get("/api/v1/qpv/QN09349I/").json()
    assert detail["communes"] == [
        {"code": "93071", "name": "Sevran"},
        {"code": "93005", "name": "Aulnay-sous-Bois"},
    ]
    listed = client.get("/api/v1/qpv/", {"q": "saint denis"}).json()
    codes = [item["code"] for item in listed["items"]]
    assert set(codes[:3]) == {"QN09301M", "QN09330M", "QN97401M"}
    assert "QN09350I" not in codes
    assert {
        item["code"] for item in client.get("/api/v1/qpv/", {"q": "93270"}).json()["items"]
    } == {"QN09350I", "QN09349I"}
