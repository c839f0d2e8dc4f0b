"""The dashboards, the coverage page, their CSV files and the API, from the figures of the
hand-counted territory (conftest.py); the small-count rule in each of them."""

import csv
import io
import re

import pytest
from django.core.cache import cache

from quartiers40.observatory.models import Figure
from quartiers40.observatory.services import observatory_recompute
from tests.members.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

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
def computed(territory):
    observatory_recompute()
    return territory


def text_of(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<svg.*?</svg>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_light_and_without_a_form_token(client, computed, path):
    response = client.get(path)
    assert response.status_code == 200
    assert len(response.content) < 150_000
    assert b"csrfmiddlewaretoken" not in response.content


def test_department_dashboard_shows_the_figures_their_charts_and_tables(client, computed):
    response = client.get("/observatoire/departement/93/")
    html = response.content.decode()
    page = text_of(response)
    assert "Observatoire : Seine-Saint-Denis" in page
    # Breadcrumb: its region's dashboard.
    assert 'href="/observatoire/region/11/"' in html
    assert "4 défis, 50 % résolus" in page
    assert "20 jours, en médiane" in page
    # Charts: SVG drawn on the server, named by their caption, with no duplicated ids.
    charts = re.findall(r"<svg [^>]*>", html)
    assert charts and all('role="img"' in svg and "aria-labelledby=" in svg for svg in charts)
    for svg in charts:
        target = re.search(r'aria-labelledby="([^"]+)"', svg).group(1)
        assert f'id="{target}"' in html
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    # Colours as presentation attributes: the Content-Security-Policy blocks inline styles
    # (every bar was drawn black).
    drawn = "".join(re.findall(r"<svg .*?</svg>", html, flags=re.S))
    assert "style=" not in drawn and "<style" not in drawn
    assert 'fill="#1d4e89"' in drawn
    assert "<script" not in re.sub(r'<script id="[^"]+" type="application/json">', "", html)
    # The table behind each chart.
    assert "Les chiffres par trimestre" in page
    assert "Déployé 1" in page


def test_people_counts_under_five_are_hidden_in_the_page(client, computed):
    page = text_of(client.get("/observatoire/qpv/QN09310M/"))
    # 3 interests in Franc-Moisin: a count of residents under 5.
    assert (
        "Intérêts reçus par les opportunités, par suite donnée Depuis le début : moins de 5" in page
    )
    assert "Nouveau moins de 5" in page
    # Counts of things are numbers, however small.
    assert "Membres du collectif qui agissent ici Depuis le début : 2" in page
    department = text_of(client.get("/observatoire/departement/93/"))
    assert "Personnes inscrites aux rencontres, par mode Depuis le début : 8" in department
    assert "En ligne moins de 5" in department


def test_dashboard_csv_applies_the_rule(client, computed):
    response = client.get("/observatoire/qpv/QN09310M/chiffres.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    by_key = {(row[4], row[5], row[2]): row[3] for row in rows[1:]}
    assert by_key[("interests", "", "depuis le début")] == "moins de 5"
    assert by_key[("members", "", "depuis le début")] == "2"
    assert by_key[("projects_stage", "deployed", "depuis le début")] == "1"
    floreal = {
        (row[4], row[5], row[2]): row[3]
        for row in csv_rows(client.get("/observatoire/qpv/QN09311M/chiffres.csv"))[1:]
    }
    assert floreal[("interests", "", "depuis le début")] == "9"
    assert floreal[("interests", "contacted", "depuis le début")] == "6"
    assert floreal[("interests", "new", "depuis le début")] == "moins de 5"


def test_api_gives_the_figures_of_a_scope_with_the_rule(client, computed):
    response = client.get("/api/v1/observatory/qpv/QN09310M/")
    assert response.status_code == 200
    data = response.json()
    assert data["scope"] == {"kind": "qpv", "code": "QN09310M", "name": "Franc-Moisin"}
    values = {(f["metric"], f["dimension"], f["period"]): f["value"] for f in data["figures"]}
    assert values[("interests", "", "")] == "moins de 5"
    assert values[("members", "", "")] == 2
    national = client.get("/api/v1/observatory/national/fr/").json()
    values = {(f["metric"], f["dimension"], f["period"]): f["value"] for f in national["figures"]}
    assert values[("registrations", "", "")] == 11
    assert values[("attendance", "online", "")] == "moins de 5"
    assert client.get("/api/v1/observatory/department/999/").status_code == 404
    assert client.get("/api/v1/observatory/planet/x/").status_code == 404


def test_unknown_scopes_are_not_found(client, computed):
    for path in (
        "/observatoire/departement/999/",
        "/observatoire/qpv/QN00000X/",
        "/observatoire/theme/astrologie/",
        "/observatoire/commune/00000/",
    ):
        assert client.get(path).status_code == 404


def test_coverage_lists_the_qpvs_with_nothing_and_where_defis_wait(client, computed):
    page = text_of(client.get("/observatoire/couverture/?departement=93"))
    # Franc-Moisin and Floréal have projects, members, opportunities; Cosmonautes nothing.
    assert "1 quartier sur 3 n'a encore rien." in page
    assert "Cosmonautes" in page.split("La liste des quartiers sans rien")[1]
    assert "Franc-Moisin" not in page.split("La liste des quartiers sans rien")[1]
    waiting = page.split("Où les défis attendent le plus longtemps")[1]
    assert "Franc-Moisin" in waiting
    rows = csv_rows(client.get("/observatoire/couverture/quartiers.csv?departement=93"))
    assert rows[0][:2] == ["code", "quartier"]
    assert [row[0] for row in rows[1:]] == ["QN09312M"]
    assert rows[1][5].endswith("/territoires/qpv/QN09312M/")
    points = client.get("/observatoire/couverture/points.json?departement=93").json()
    assert [point["code"] for point in points["points"]] == ["QN09312M"]
    national = text_of(client.get("/observatoire/couverture/"))
    assert "1 quartier sur 4 n'a encore rien." in national


def test_figures_follow_a_write_through_the_task(
    client, territory, settings, django_capture_on_commit_callbacks
):
    settings.OBSERVATORY_FOLLOWS_WRITES = True
    settings.OBSERVATORY_TASK_BACKEND = "immediate"
    observatory_recompute()
    before = client.get("/observatoire/qpv/QN09312M/")
    assert "Membres du collectif qui agissent ici Depuis le début : 0" in text_of(before)
    # A service's write bumps its topic after the commit: the refresh runs (immediate
    # backend), bumps "observatory", and the cached page follows.
    from quartiers40.core.pagecache import cache_version_bump

    with django_capture_on_commit_callbacks(execute=True):
        organisation = OrganisationFactory()
        organisation.qpvs.set([territory.empty])
        cache_version_bump("members")
    assert (
        Figure.objects.filter(
            scope_kind="qpv", scope_code="QN09312M", metric="members", dimension="", period=""
        )
        .get()
        .value
        == 1
    )
    after = client.get("/observatoire/qpv/QN09312M/")
    assert "Membres du collectif qui agissent ici Depuis le début : 1" in text_of(after)


def test_a_burst_of_writes_queues_one_refresh(
    territory, settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from quartiers40.core.pagecache import cache_version_bump

    settings.OBSERVATORY_FOLLOWS_WRITES = True
    settings.OBSERVATORY_TASK_BACKEND = "default"
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            cache_version_bump("projects")
    queued = DBTaskResult.objects.filter(task_path__endswith="observatory_refresh_task")
    assert queued.count() == 1
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cache_version_bump("observatory")  # its own refresh does not queue another
    assert queued.count() == 1


def test_second_anonymous_visit_is_served_from_the_page_cache(
    client, computed, django_assert_num_queries
):
    client.get("/observatoire/departement/93/")
    with django_assert_num_queries(0):
        client.get("/observatoire/departement/93/")


def test_qpv_page_links_to_the_dashboards_and_its_breadcrumb_to_the_department(client, computed):
    html = client.get("/territoires/qpv/QN09310M/").content.decode()
    breadcrumb = html.split('class="breadcrumb"')[1].split("</nav>")[0]
    assert 'href="/observatoire/departement/93/"' in breadcrumb
    for url in (
        "/observatoire/qpv/QN09310M/",
        "/observatoire/commune/93066/",
        "/observatoire/region/11/",
    ):
        assert f'href="{url}"' in html


def test_home_page_links_to_the_observatory(client, computed):
    html = client.get("/").content.decode()
    assert 'href="/observatoire/"' in html
    assert 'href="/observatoire/couverture/"' in html


def test_refresh_command(computed, capsys):
    from django.core.management import call_command

    call_command("observatory_refresh")
    assert "figures in" in capsys.readouterr().out
