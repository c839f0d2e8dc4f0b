"""The public page cache: anonymous pages from the shared cache, invalidated by the services."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quartiers40.core.pagecache import cache_version_bump, cached_fragment
from quartiers40.meetings import services as meeting_services
from quartiers40.meetings.models import Registration
from quartiers40.members.enums import Role
from quartiers40.projects import services as project_services
from quartiers40.projects.models import Project
from tests.challenges.factories import ChallengeFactory
from tests.meetings.factories import EditionFactory
from tests.members.factories import MembershipFactory, UserFactory
from tests.projects.factories import PublishedProjectFactory

pytestmark = pytest.mark.django_db

CATALOGUE = "/projets/"
# Every public page the bench measures, without the ones needing an object.
PUBLIC_PAGES = [
    "/",
    "/organisations/",
    "/territoires/",
    "/projets/",
    "/projets/carte/",
    "/projets/carte/points.json",
    "/defis/",
    "/defis/carte/",
    "/rencontres/",
]


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 600


@pytest.fixture
def project():
    owner = MembershipFactory(role=Role.ADMIN).user
    project = PublishedProjectFactory(
        carrier=owner.memberships.get().organisation, title="Assistant des démarches"
    )
    project.owner = owner
    return project


def _queries(client, path, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **extra)
    assert response.status_code == 200
    return response, len(queries)


def test_an_anonymous_page_comes_from_the_cache_on_the_second_visit(client, project):
    first, queries_first = _queries(client, CATALOGUE)
    second, queries_second = _queries(client, CATALOGUE)
    assert queries_first > 0
    assert queries_second == 0
    assert second.content == first.content
    assert "Assistant des démarches" in second.content.decode()
    # The headers the view set come back too (the page's own CSP for the map tiles).
    assert second["Content-Type"] == first["Content-Type"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_public_page_is_cached_and_holds_no_csrf_token_nor_sets_a_cookie(client, path):
    first, _count = _queries(client, path)
    assert b"csrfmiddlewaretoken" not in first.content
    assert not first.cookies
    second, queries = _queries(client, path)
    assert queries == 0, path
    assert b"csrfmiddlewaretoken" not in second.content
    assert not second.cookies
    assert "Accept-Language" in second["Vary"]


def test_detail_pages_are_cached_too(client, project):
    for path in (project.get_absolute_url(), project.carrier.get_absolute_url()):
        _queries(client, path)
        assert _queries(client, path)[1] == 0, path


def test_a_change_through_the_service_shows_at_once(client, project):
    assert "Assistant des démarches" in client.get(CATALOGUE).content.decode()
    project_services.project_update(
        project=project, actor=project.owner, title="Traducteur des courriers"
    )
    page = client.get(CATALOGUE).content.decode()
    assert "Traducteur des courriers" in page and "Assistant des démarches" not in page
    detail = client.get(Project.objects.get(pk=project.pk).get_absolute_url()).content.decode()
    assert "Traducteur des courriers" in detail


def test_the_bump_after_commit_drops_a_page_rendered_before_the_commit(
    client, project, django_capture_on_commit_callbacks
):
    """Another process may render the page between the write and its commit: the second
    bump, after the commit, makes that page stale."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        cache_version_bump("projects")
        client.get(CATALOGUE)  # rendered "before the commit", kept under the new version
        assert _queries(client, CATALOGUE)[1] == 0
    assert len(callbacks) == 1
    assert _queries(client, CATALOGUE)[1] > 0  # rendered again after the commit


def test_a_bump_of_another_topic_keeps_the_page(client, project):
    client.get("/territoires/")
    cache_version_bump("projects")
    assert _queries(client, "/territoires/")[1] == 0
    cache_version_bump("territories")
    assert _queries(client, "/territoires/")[1] > 0


def test_the_query_string_is_part_of_the_key(client, project):
    client.get(CATALOGUE)
    page = client.get(CATALOGUE + "?q=zzzz-rien").content.decode()
    assert "Assistant des démarches" not in page


def test_a_signed_in_visitor_never_gets_a_cached_page_nor_another_ones(client, project):
    detail = project.get_absolute_url()
    edit = reverse("projects:edit", kwargs={"key": project.slug})
    anonymous = client.get(detail).content.decode()
    assert "Se connecter" in anonymous and edit not in anonymous
    client.force_login(project.owner)
    _response, queries = _queries(client, detail)
    assert queries > 0
    page = client.get(detail).content.decode()
    assert edit in page and "Se déconnecter" in page  # the owner's own page, twice
    client.force_login(UserFactory())
    response, queries = _queries(client, detail)
    assert queries > 0
    assert edit not in response.content.decode()  # not the owner's page
    client.logout()
    page = client.get(detail).content.decode()
    assert edit not in page and "Se déconnecter" not in page and "csrfmiddlewaretoken" not in page


def test_an_anonymous_session_is_not_served_nor_kept(client, project):
    client.cookies["sessionid"] = "whatever"
    client.get(CATALOGUE)
    # Rendered (its shared fragments may make that cost no query), not the kept page.
    assert client.get(CATALOGUE).templates
    del client.cookies["sessionid"]
    _queries(client, CATALOGUE)
    served = client.get(CATALOGUE)
    assert not served.templates
    assert _queries(client, CATALOGUE)[1] == 0


def test_french_and_english_visitors_get_their_own_page(client, project):
    french = client.get(CATALOGUE).content.decode()
    english = client.get(CATALOGUE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="fr" dir="ltr">' in french
    assert '<html lang="en" dir="ltr">' in english
    assert (
        '<html lang="en" dir="ltr">'
        in client.get(CATALOGUE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    client.cookies["django_language"] = "en"
    assert '<html lang="en" dir="ltr">' in client.get(CATALOGUE).content.decode()
    del client.cookies["django_language"]
    assert '<html lang="fr" dir="ltr">' in client.get(CATALOGUE).content.decode()


def test_the_language_switch_needs_no_csrf_token_and_stays_on_the_site(client):
    client.handler.enforce_csrf_checks = True
    response = client.post(reverse("set_language"), {"language": "en", "next": "/projets/"})
    assert response.status_code == 302 and response["Location"] == "/projets/"
    assert response.cookies["django_language"].value == "en"
    assert '<html lang="en" dir="ltr">' in client.get("/projets/").content.decode()
    outside = client.post(
        reverse("set_language"), {"language": "fr", "next": "https://ailleurs.example/"}
    )
    assert outside.status_code == 302 and "ailleurs" not in outside["Location"]


def test_a_page_with_a_message_waiting_is_not_served_from_the_cache(client, project):
    client.get(CATALOGUE)
    # A message for this visitor (the cookie storage, as after a redirect).
    from django.contrib.messages import constants
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    storage = CookieStorage(request)
    storage.add(constants.SUCCESS, "Votre message est parti.")
    response = client.get("/")  # any response to carry the cookie
    storage.update(response)
    client.cookies["messages"] = response.cookies["messages"].value
    page = client.get(CATALOGUE).content.decode()
    assert "Votre message est parti." in page


def test_the_page_cache_is_off_without_a_shared_cache(client, project, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    client.get(CATALOGUE)
    assert _queries(client, CATALOGUE)[1] > 0


def test_a_fragment_is_kept_under_the_versions_of_what_it_shows():
    calls = []

    def build():
        calls.append(1)
        return f"<p>{len(calls)}</p>"

    assert cached_fragment("test", depends=("projects",), build=build) == "<p>1</p>"
    assert cached_fragment("test", depends=("projects",), build=build) == "<p>1</p>"
    cache_version_bump("projects")
    assert cached_fragment("test", depends=("projects",), build=build) == "<p>2</p>"


def test_a_defi_page_is_cached_for_anonymous_visitors(client):
    challenge = ChallengeFactory(title="Des ordinateurs pour les devoirs")
    path = challenge.get_absolute_url()
    first, _count = _queries(client, path)
    assert "Des ordinateurs pour les devoirs" in first.content.decode()
    second, queries = _queries(client, path)
    assert queries == 0 and b"csrfmiddlewaretoken" not in second.content


def test_an_edition_page_is_cached_with_its_guest_form_and_a_registration_shows_at_once(
    client, django_capture_on_commit_callbacks
):
    edition = EditionFactory(onsite_capacity=1)
    path = reverse("meetings:edition_detail", args=[edition.slug])
    first, _count = _queries(client, path)
    assert 'name="email"' in first.content.decode()  # the guest's form, on the page itself
    second, queries = _queries(client, path)
    assert queries == 0 and b"csrfmiddlewaretoken" not in second.content and not second.cookies
    # A guest registers from that form, which holds no token (CSRF checks on).
    client.handler.enforce_csrf_checks = True
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("meetings:register", args=[edition.slug]),
            {"attendance": "on_site", "name": "Lina Haddad", "email": "lina@exemple.fr"},
        )
    assert response.status_code == 200
    assert Registration.objects.filter(email="lina@exemple.fr").exists()


def test_a_signed_in_registration_still_needs_its_csrf_token(client):
    edition = EditionFactory()
    client.handler.enforce_csrf_checks = True
    client.force_login(UserFactory())
    response = client.post(
        reverse("meetings:register", args=[edition.slug]), {"attendance": "on_site"}
    )
    assert response.status_code == 403
    assert not Registration.objects.exists()


def test_a_seat_taken_through_the_service_shows_on_the_cached_edition_page(client):
    edition = EditionFactory(onsite_capacity=1)
    path = reverse("meetings:edition_detail", args=[edition.slug])
    client.get(path)
    meeting_services.registration_create(edition=edition, actor=UserFactory(), attendance="on_site")
    page = client.get(path).content.decode()
    assert "complet" in page
