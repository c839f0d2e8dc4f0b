import pytest
from django.conf import settings
from django.core import signing
from django.test import Client
from django.urls import reverse

from quartiers40.notifications import selectors, services
from quartiers40.notifications.enums import Category, Frequency
from quartiers40.notifications.tokens import unsubscribe_token
from tests.members.factories import OrganisationFactory, UserFactory
from tests.opportunities.factories import OpportunityFactory
from tests.territories.factories import QPVFactory

pytestmark = pytest.mark.django_db


def _url(kind: str, token: str) -> str:
    return reverse("notifications:unsubscribe", kwargs={"kind": kind, "token": token})


def test_the_unsubscribe_link_shows_a_confirm_page_then_a_post_unsubscribes():
    person = UserFactory()
    url = _url(Category.MEETINGS, unsubscribe_token(user_id=person.pk, kind=Category.MEETINGS))
    client = Client(enforce_csrf_checks=True)
    page = client.get(url)
    assert page.status_code == 200
    assert "Confirmer le désabonnement" in page.content.decode()
    assert selectors.preferences_of(person)[Category.MEETINGS] == Frequency.WEEKLY  # GET: nothing

    done = client.post(url)
    assert done.status_code == 200
    assert "Désabonnement enregistré" in done.content.decode()
    preferences = selectors.preferences_of(person)
    assert preferences[Category.MEETINGS] == Frequency.NEVER
    assert preferences[Category.FOLLOWS] == Frequency.WEEKLY  # only its own kind


def test_all_unsubscribes_every_kind():
    person = UserFactory()
    Client().post(_url("all", unsubscribe_token(user_id=person.pk, kind="all")))
    assert set(selectors.preferences_of(person).values()) == {Frequency.NEVER}


def test_nobody_can_unsubscribe_someone_else():
    victim, attacker = UserFactory(), UserFactory()
    mine = unsubscribe_token(user_id=attacker.pk, kind=Category.FOLLOWS)
    # The attacker's own token with the victim's id in it: the signature no longer matches.
    forged_payload = signing.dumps({"u": victim.pk, "k": Category.FOLLOWS}).split(":")[0]
    forged = ":".join([forged_payload, *mine.split(":")[1:]])
    # A token of another kind, or salted for another kind, does not open this kind.
    other_kind = unsubscribe_token(user_id=victim.pk, kind=Category.MEETINGS)
    client = Client()
    client.force_login(attacker)  # a session proves nothing here
    for url in (
        _url(Category.FOLLOWS, forged),
        _url(Category.FOLLOWS, other_kind),
        _url("nothing", mine),
        _url(Category.FOLLOWS, "not-a-token"),
    ):
        assert client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 404
    assert set(selectors.preferences_of(victim).values()) == {Frequency.WEEKLY}
    assert set(selectors.preferences_of(attacker).values()) == {Frequency.WEEKLY}


def test_follow_button_follows_and_unfollows_and_needs_a_session(client):
    qpv = QPVFactory()
    url = reverse("notifications:follow", kwargs={"key": "qpv", "pk": qpv.pk})
    assert client.post(url).status_code == 302
    assert not selectors.is_following(UserFactory(), qpv)

    person = UserFactory()
    client.force_login(person)
    response = client.post(url, {"next": "https://ailleurs.example/"})
    assert response.status_code == 302
    assert response["Location"] == reverse("territories:detail", kwargs={"code": qpv.code})
    assert selectors.is_following(person, qpv)
    page = client.get(reverse("notifications:follows"))
    assert qpv.name in page.content.decode()
    client.post(url, {"action": "unfollow"})
    assert not selectors.is_following(person, qpv)
    assert (
        client.post(reverse("notifications:follow", kwargs={"key": "rien", "pk": 1})).status_code
        == 404
    )


def test_preferences_page_saves_a_frequency_per_kind_and_the_language(client):
    person = UserFactory()
    client.force_login(person)
    page = client.get(reverse("notifications:preferences"))
    assert page.status_code == 200
    languages = len(settings.LANGUAGES)
    assert page.content.decode().count('type="radio"') == 5 * 4 + languages
    data = dict.fromkeys(Category.values, Frequency.WEEKLY)
    data |= {Category.SUGGESTIONS: Frequency.NEVER, "language": "en"}
    response = client.post(reverse("notifications:preferences"), data)
    assert response.status_code == 302
    assert selectors.preferences_of(person)[Category.SUGGESTIONS] == Frequency.NEVER
    assert person.notification_state.language == "en"


def test_news_page_and_the_header_count(client, django_capture_on_commit_callbacks):
    person = UserFactory()
    qpv = QPVFactory()
    services.follow_create(user=person, target=qpv)
    with django_capture_on_commit_callbacks(execute=True):
        services.notification_record(
            kind="opportunity_new", item=OpportunityFactory(title="Atelier IA"), audience=[qpv]
        )
        services.notification_record(
            kind="own_item", item=OrganisationFactory(), title="Votre fiche", recipients=[person]
        )
    assert selectors.news_count(person) == 2
    client.force_login(person)
    home = client.get(reverse("members:account")).content.decode()
    assert 'class="news-link"' in home and '<span class="badge">2</span>' in home
    page = client.get(reverse("notifications:news")).content.decode()
    assert "Atelier IA" in page and "Votre fiche" in page
    assert selectors.news_count(person) == 0  # read


def test_what_nobody_may_see_cannot_be_followed(client):
    from tests.challenges.factories import ChallengeFactory

    hidden = ChallengeFactory(moderation="pending", title="Un défi pas encore en ligne")
    client.force_login(UserFactory())
    for key, pk in (("defi", hidden.pk), ("qpv", "pas-un-nombre"), ("commune", "00000")):
        response = client.post(reverse("notifications:follow", kwargs={"key": key, "pk": pk}))
        assert response.status_code == 404
    visible = ChallengeFactory(moderation="visible")
    response = client.post(
        reverse("notifications:follow", kwargs={"key": "defi", "pk": visible.pk})
    )
    assert response.status_code == 302


def test_each_person_sees_their_own_follow_button_on_a_shared_page():
    """The QPV page keeps its content in a fragment shared by everybody: the button is not
    in it."""
    qpv = QPVFactory(name="La Source")
    follower, other = UserFactory(), UserFactory()
    services.follow_create(user=follower, target=qpv)
    url = reverse("territories:detail", kwargs={"code": qpv.code})
    pages = {}
    for person in (follower, other, follower):
        client = Client()
        client.force_login(person)
        pages.setdefault(person.pk, []).append(client.get(url).content.decode())
    assert all("Ne plus suivre" in page for page in pages[follower.pk])
    assert "Ne plus suivre" not in pages[other.pk][0]
    assert "Suivre<span" in pages[other.pk][0]
    anonymous = Client().get(url).content.decode()
    assert "Connectez-vous pour suivre" in anonymous
    assert "csrfmiddlewaretoken" not in anonymous
