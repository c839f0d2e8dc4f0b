"""Shared fragments: the parts of a page that are the same for everybody, reused by
signed-in people's pages (`{% shared_fragment %}`, `public_page_cache(for_everyone=True)`)."""

import re

import pytest
from django.db import connection
from django.template import Context, Template, TemplateSyntaxError
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from quartiers40.core.pagecache import cache_version_bump
from quartiers40.members.enums import Role
from quartiers40.projects import services as project_services
from tests.members.factories import MembershipFactory, UserFactory
from tests.projects.factories import PublishedProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 600


def render(source: str, path: str = "/projets/", **context) -> str:
    template = Template("{% load q40 %}" + source)
    request = RequestFactory().get(path, HTTP_HOST="testserver")
    return template.render(Context({"request": request, **context}))


FRAGMENT = '{% shared_fragment "test" depends="projects" %}{{ value }}{% end_shared_fragment %}'


def test_a_fragment_is_rendered_once_until_what_it_shows_changes():
    assert render(FRAGMENT, value="1") == "1"
    assert render(FRAGMENT, value="2") == "1"  # kept: the context is not read again
    cache_version_bump("projects")
    assert render(FRAGMENT, value="3") == "3"


def test_a_fragment_is_kept_per_address_and_per_language():
    assert render(FRAGMENT, "/projets/?page=1", value="1") == "1"
    assert render(FRAGMENT, "/projets/?page=2", value="2") == "2"
    with translation.override("en"):
        assert render(FRAGMENT, "/projets/?page=1", value="en") == "en"
    assert render(FRAGMENT, "/projets/?page=1", value="x") == "1"


def test_per_page_false_shares_one_fragment_across_addresses():
    source = FRAGMENT.replace('depends="projects"', 'depends="projects" per_page=False')
    assert render(source, "/a/", value="1") == "1"
    assert render(source, "/b/", value="2") == "1"


def test_a_fragment_holding_a_token_from_elsewhere_is_never_kept():
    source = (
        '{% shared_fragment "form" depends="projects" %}'
        '<input name="csrfmiddlewaretoken" value="{{ value }}">{% end_shared_fragment %}'
    )
    assert 'value="secret-of-a"' in render(source, value="secret-of-a")
    second = render(source, value="secret-of-b")
    assert 'value="secret-of-b"' in second and "secret-of-a" not in second


def test_a_form_in_a_fragment_gets_each_visitors_own_token():
    source = (
        '{% shared_fragment "form" depends="projects" %}'
        "<form method=post>{% csrf_token %}</form>{% end_shared_fragment %}"
    )
    first = render(source, csrf_token="token-of-a")
    second = render(source, csrf_token="token-of-b")
    assert 'value="token-of-a"' in first
    assert 'value="token-of-b"' in second and "token-of-a" not in second


def test_when_false_and_timeout_zero_render_each_time():
    when = FRAGMENT.replace('depends="projects"', 'depends="projects" when=shared')
    assert render(when, value="1", shared=False) == "1"
    assert render(when, value="2", shared=False) == "2"
    zero = FRAGMENT.replace('depends="projects"', 'depends="projects" timeout=seconds')
    assert render(zero, value="1", seconds=0) == "1"
    assert render(zero, value="2", seconds=0) == "2"


def test_without_the_page_cache_nothing_is_kept(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    assert render(FRAGMENT, value="1") == "1"
    assert render(FRAGMENT, value="2") == "2"


def test_the_tag_needs_its_topics():
    with pytest.raises(TemplateSyntaxError):
        Template('{% load q40 %}{% shared_fragment "x" %}{% end_shared_fragment %}')
    with pytest.raises(TemplateSyntaxError):
        Template(
            '{% load q40 %}{% shared_fragment "x" depends="a" color=1 %}{% end_shared_fragment %}'
        )


def queries(client, path) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return response.content.decode(), len(captured)


def test_a_signed_in_list_page_reuses_the_cards_and_shows_a_change_at_once(client):
    owner = MembershipFactory(role=Role.ADMIN).user
    project = PublishedProjectFactory(
        carrier=owner.memberships.get().organisation, title="Assistant des démarches"
    )
    client.force_login(UserFactory())
    first, queries_first = queries(client, "/projets/")
    second, queries_second = queries(client, "/projets/")
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')  # the logout button's
    assert "Assistant des démarches" in first and token.sub("", second) == token.sub("", first)
    assert queries_second < queries_first
    project_services.project_update(project=project, actor=owner, title="Assistant des papiers")
    third, _count = queries(client, "/projets/")
    assert "Assistant des papiers" in third and "Assistant des démarches" not in third


def test_a_signed_in_page_keeps_its_own_header_and_buttons(client):
    PublishedProjectFactory(title="Assistant des démarches")
    client.force_login(UserFactory())
    client.get("/projets/")
    client.logout()
    anonymous = client.get("/projets/").content.decode()
    assert "Proposer un projet" not in anonymous and "Se déconnecter" not in anonymous
    client.force_login(UserFactory())
    signed_in = client.get("/projets/").content.decode()
    assert "Proposer un projet" in signed_in and "Se déconnecter" in signed_in


def test_an_organisation_page_shows_its_own_people_their_work_in_progress(client):
    membership = MembershipFactory(role=Role.ADMIN)
    organisation = membership.organisation
    PublishedProjectFactory(carrier=organisation, title="Projet publié")
    draft = PublishedProjectFactory(carrier=organisation, title="Projet en chantier")
    draft.status = "draft"
    draft.save()
    client.force_login(UserFactory())
    outsider = client.get(organisation.get_absolute_url()).content.decode()
    assert "Projet publié" in outsider and "Projet en chantier" not in outsider
    client.force_login(membership.user)
    insider = client.get(organisation.get_absolute_url()).content.decode()
    assert "Projet en chantier" in insider
    client.force_login(UserFactory())
    again = client.get(organisation.get_absolute_url()).content.decode()
    assert "Projet en chantier" not in again


def test_map_points_are_the_same_response_for_everyone(client):
    PublishedProjectFactory(title="Assistant des démarches")
    client.get("/projets/carte/points.json")
    client.force_login(UserFactory())
    body, count = queries(client, "/projets/carte/points.json")
    assert count == 0  # neither the session nor the points were read
    assert '"unplaced": 1' in body


def test_the_menu_is_shared_but_each_persons_counts_and_token_are_their_own(client):
    from tests.members.factories import CoordinatorFactory

    client.force_login(UserFactory())
    member = client.get("/projets/").content.decode()
    client.force_login(CoordinatorFactory())
    coordinator = client.get("/projets/").content.decode()
    assert "À traiter" in coordinator and "À traiter" not in member
    assert "Nouveautés" in member and "Se déconnecter" in member
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    assert token.search(member).group(1) != token.search(coordinator).group(1)
    assert "q40-csrf-token" not in member + coordinator
    client.logout()
    anonymous = client.get("/organisations/").content.decode()
    assert "Se connecter" in anonymous and "Nouveautés" not in anonymous
