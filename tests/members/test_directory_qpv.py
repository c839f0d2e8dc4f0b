"""The members' side of the territories pages: QPV filter, links to QPV pages, QPV select."""

import html
import re

import pytest
from django.urls import reverse

from quartiers40.members.enums import Role
from tests.territories.factories import QPVFactory

from .factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def qpvs():
    return (
        QPVFactory(code="QN09301M", name="Franc-Moisin Bel-Air", department_code="93"),
        QPVFactory(code="QN06901M", name="Mas du Taureau", department_code="69"),
    )


def test_directory_filters_by_qpv_code(client, qpvs):
    franc_moisin, mas_du_taureau = qpvs
    acting = OrganisationFactory(name="Les Ateliers du Franc-Moisin")
    acting.qpvs.add(franc_moisin)
    elsewhere = OrganisationFactory(name="Vaulx numérique", department_code="69")
    elsewhere.qpvs.add(mas_du_taureau)
    OrganisationFactory(name="Sans quartier")

    response = client.get(reverse("members:directory"), {"qpv": " qn09301m "})
    page = _text(response)
    assert "Les Ateliers du Franc-Moisin" in page
    assert "Vaulx numérique" not in page and "Sans quartier" not in page
    assert (
        "Organisations qui agissent dans le quartier prioritaire Franc-Moisin Bel-Air (QN09301M)"
        in page
    )
    assert 'href="/territoires/qpv/QN09301M/"' in response.content.decode()
    assert 'value=" qn09301m "' in response.content.decode()  # kept as typed


def test_directory_filters_by_qpv_and_department_together(client, qpvs):
    franc_moisin, _ = qpvs
    in_93 = OrganisationFactory(name="Dans le 93", department_code="93")
    in_75 = OrganisationFactory(name="Basée à Paris", department_code="75")
    for organisation in (in_93, in_75):
        organisation.qpvs.add(franc_moisin)
    page = _text(client.get(reverse("members:directory"), {"qpv": "QN09301M", "department": "75"}))
    assert "Basée à Paris" in page and "Dans le 93" not in page


def test_an_unknown_qpv_code_finds_nobody_without_error(client, qpvs):
    OrganisationFactory(name="Sans quartier")
    response = client.get(reverse("members:directory"), {"qpv": "QN00000X"})
    assert response.status_code == 200
    assert "Aucune organisation ne correspond" in _text(response)
    assert "Organisations qui agissent dans le quartier" not in _text(response)


def test_qpv_page_and_directory_link_to_each_other(client, qpvs):
    franc_moisin, _ = qpvs
    OrganisationFactory(name="Les Ateliers du Franc-Moisin").qpvs.add(franc_moisin)
    qpv_page = client.get(reverse("territories:detail", args=["QN09301M"])).content.decode()
    link = re.search(r'href="(/organisations/\?qpv=QN09301M)"', qpv_page).group(1)
    assert "Les Ateliers du Franc-Moisin" in _text(client.get(link))


def test_organisation_page_links_its_qpvs_to_their_pages(client, qpvs):
    franc_moisin, mas_du_taureau = qpvs
    organisation = OrganisationFactory()
    organisation.qpvs.add(franc_moisin, mas_du_taureau)
    content = client.get(organisation.get_absolute_url()).content.decode()
    assert '<a href="/territoires/qpv/QN09301M/">Franc-Moisin Bel-Air</a>' in content
    assert '<a href="/territoires/qpv/QN06901M/">Mas du Taureau</a>' in content


def test_organisation_edit_page_has_the_place_picker(client, qpvs):
    franc_moisin, mas_du_taureau = qpvs
    admin = UserFactory()
    organisation = OrganisationFactory()
    MembershipFactory(organisation=organisation, user=admin, role=Role.ADMIN)
    client.force_login(admin)
    url = reverse("members:organisation_edit", args=[organisation.slug])
    content = client.get(url).content.decode()
    # The place picker (territories), not a list of every QPV.
    assert "territories/qpv-picker.js" in content and "data-qpv-picker" in content
    assert "Franc-Moisin" not in content

    # The ticked boxes save the choice.
    response = client.post(
        url,
        {
            "name": organisation.name,
            "kind": organisation.kind,
            "department_code": "93",
            "qpvs": [franc_moisin.pk, mas_du_taureau.pk],
        },
    )
    assert response.status_code == 302
    assert set(organisation.qpvs.all()) == {franc_moisin, mas_du_taureau}
