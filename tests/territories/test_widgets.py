"""The place picker: the field, its widget with and without JavaScript, the suggestions."""

import gzip

import pytest
from django import forms
from django.test import RequestFactory
from django.urls import reverse

from quartiers40.territories.forms import QPVMultipleChoiceField
from quartiers40.territories.widgets import qpv_picker_query
from tests.members.factories import UserFactory

from .test_communes import communes, qpvs  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


class PlaceForm(forms.Form):
    title = forms.CharField()
    qpvs = QPVMultipleChoiceField(label="Quartiers")


def test_the_page_holds_the_chosen_quartiers_only_never_the_whole_list(communes):  # noqa: F811
    chosen = communes["beaudottes"]
    html = PlaceForm(initial={"qpvs": [chosen]}).as_div()
    assert "data-qpv-picker" in html and "territories/qpv-picker.js" in html
    assert f'name="qpvs" value="{chosen.pk}"' in html and "checked" in html
    assert "Les Beaudottes" in html and "Sevran, Aulnay-sous-Bois – Seine-Saint-Denis" in html
    assert "Montceleux" not in html
    assert "Ctrl" not in html and "INSEE" not in html


def test_the_ticked_boxes_are_the_value(communes):  # noqa: F811
    ids = [communes["montceleux"].pk, communes["rose_des_vents"].pk]
    form = PlaceForm({"title": "x", "qpvs": [str(pk) for pk in ids]})
    assert form.is_valid(), form.errors
    assert {qpv.pk for qpv in form.cleaned_data["qpvs"]} == set(ids)
    assert PlaceForm({"title": "x"}).is_valid()  # none ticked: none chosen


def _get_form(query: str) -> str:
    request = RequestFactory().get("/page/?" + query)
    return " ".join(qpv_picker_query(PlaceForm(), request.GET).as_div().split())


def test_without_javascript_a_search_lists_the_matching_quartiers(communes):  # noqa: F811
    html = _get_form("title=Mon+d%C3%A9fi&qpvs_recherche=93270")
    assert 'value="Mon défi"' in html  # what was typed before the step
    assert "cochez ceux qui sont concernés" in html
    assert "Montceleux - Pont Blanc" in html and "Les Beaudottes" in html
    assert "Rose des Vents" not in html


def test_without_javascript_department_then_commune_then_quartier(communes):  # noqa: F811
    html = _get_form("title=x&qpvs_departement=93")
    assert '<option value="93071">Sevran</option>' in html
    assert '<option value="93005">Aulnay-sous-Bois</option>' in html
    assert "cochez ceux qui sont concernés" not in html
    chosen = communes["franc_moisin"].pk
    html = _get_form(f"title=x&qpvs_departement=93&qpvs_commune=93005&qpvs={chosen}")
    assert "Rose des Vents" in html and "Les Beaudottes" in html
    assert "Montceleux" not in html
    assert f'value="{chosen}" id="id_qpvs_chosen_{chosen}" checked' in html  # kept


def test_a_form_without_a_step_in_its_query_is_left_alone(communes):  # noqa: F811
    form = qpv_picker_query(PlaceForm(), RequestFactory().get("/page/?title=x").GET)
    assert form.initial == {}


def test_suggestions_are_the_directory_search_bounded_and_cached(client, communes):  # noqa: F811
    url = reverse("territories:suggestions")
    response = client.get(url, {"q": "aulnay sous bois"})
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    found = response.json()["qpvs"]
    assert {qpv["code"] for qpv in found} == {"QN09349I", "QN09320M"}
    assert set(found[0]) == {"id", "code", "name", "place"}
    assert "Aulnay-sous-Bois" in found[0]["place"]
    assert client.get(url, {"q": "a"}).json() == {"qpvs": []}


def test_suggestions_are_at_most_a_dozen(client, qpvs):  # noqa: F811
    from .factories import QPVFactory

    QPVFactory.create_batch(20, department_code="93", department_name="Seine-Saint-Denis")
    assert len(client.get(reverse("territories:suggestions"), {"q": "93"}).json()["qpvs"]) == 12


@pytest.mark.parametrize("url_name", ["challenges:create", "projects:create"])
def test_the_forms_weigh_little_and_ask_no_insee_code(client, communes, url_name):  # noqa: F811
    from quartiers40.members.enums import Role
    from tests.members.factories import MembershipFactory, OrganisationFactory

    user = UserFactory()
    MembershipFactory(user=user, organisation=OrganisationFactory(), role=Role.ADMIN)
    client.force_login(user)
    response = client.get(reverse(url_name))
    if response.status_code != 200:
        pytest.skip(f"{url_name} is not open to this account")
    content = response.content
    assert b"data-qpv-picker" in content
    assert b"Code INSEE" not in content and b"Ctrl" not in content.replace(b"Ctrl (ou Cmd)", b"")
    assert len(gzip.compress(content)) < 20_000
