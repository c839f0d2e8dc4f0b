"""The blocks on the pages, the opened redirect and the "utile / pas utile" forms."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from quartiers40.matches.enums import Feedback, MatchContext, MatchStep, SuggestionKind
from quartiers40.matches.models import Match
from quartiers40.projects.enums import ProjectStatus
from tests.members.factories import CoordinatorFactory, UserFactory


def challenge_page(client, world):
    return client.get(reverse("challenges:detail", args=[world.challenge.slug]))


def project_match(world, user=None) -> Match:
    return Match.objects.get(
        context=MatchContext.CHALLENGE,
        kind=SuggestionKind.PROJECT,
        project=world.project,
        user=user,
    )


# --- The blocks --------------------------------------------------------------------------


def test_a_challenge_page_shows_its_suggestions_to_everyone_without_forms(client, world):
    page = challenge_page(client, world)
    html = page.content.decode()
    assert "Qui pourrait répondre à ce défi ?" in html
    assert "Assistant CV pour les jeunes" in html
    assert "Pourquoi :" in html and "Déjà présent dans Franc-Moisin" in html
    assert "Connectez-vous pour dire si ces suggestions sont utiles" in html
    assert reverse("matches:feedback", args=[project_match(world).pk]) not in html
    assert b"csrfmiddlewaretoken" not in page.content  # the anonymous page stays cacheable
    # One shared row per suggestion for every anonymous visitor, shown twice.
    Client().get(reverse("challenges:detail", args=[world.challenge.slug]))
    match = project_match(world)
    assert match.viewer_key == "" and match.user is None
    assert Match.objects.filter(viewer_key="", project=world.project).count() == 1


def test_a_signed_in_person_gets_her_own_matches_and_the_forms(client, world, someone):
    client.force_login(someone)
    html = challenge_page(client, world).content.decode()
    match = project_match(world, someone)
    assert match.viewer_key == f"u{someone.pk}"
    assert reverse("matches:feedback", args=[match.pk]) in html
    assert 'name="feedback" value="useful"' in html and "Pas utile" in html
    challenge_page(client, world)
    match.refresh_from_db()
    assert match.shown_count == 2


def test_a_hidden_challenge_page_shows_no_suggestions(client, world):
    client.force_login(CoordinatorFactory())
    html = client.get(reverse("challenges:detail", args=[world.hidden_challenge.slug])).content
    assert "Qui pourrait répondre".encode() not in html
    assert not Match.objects.filter(subject_challenge=world.hidden_challenge).exists()


def test_a_project_page_shows_pilot_sites_and_partners(client, world):
    html = client.get(reverse("projects:detail", args=[world.project.slug])).content.decode()
    assert escape("Des quartiers où l'expérimenter") in html and "Cosmonautes" in html
    assert "Des partenaires déjà actifs sur place" in html and "CV Tech" in html
    assert "Aides-territoires" not in html  # off: nothing shown


def test_the_agenda_builder_block_is_for_those_who_build_the_agenda(client, world, edition):
    url = reverse("meetings:agenda_builder", args=[edition["edition"].slug])
    client.force_login(edition["organiser"])
    html = client.get(url).content.decode()
    assert escape("Suggestions pour l'ordre du jour") in html
    assert "À Saint-Denis, comme la rencontre" in html
    from quartiers40.matches.sections import agenda_section

    assert agenda_section(edition["edition"], UserFactory()) == {"groups": []}
    assert agenda_section(edition["edition"], None) == {"groups": []}


def test_near_me_records_the_results_shown_as_matches_without_her_answers(client, world):
    url = reverse("opportunities:search")
    page = client.get(url, {"lieu": "Franc-Moisin (QN09310M)", "qpv": "QN09310M", "age": 19})
    html = page.content.decode()
    # Recorded, not listed a second time under her results (she is not signed in).
    assert "Ces résultats vous aident-ils ?" not in html
    match = Match.objects.get(context=MatchContext.NEAR_ME, opportunity=world.opportunity)
    assert match.user is None and match.subject_key == "near_me"
    # Only the opportunity's own facts are kept for an anonymous visitor.
    assert [reason["code"] for reason in match.reasons] == ["facts"]
    assert "Franc-Moisin" not in match.explanation and "19" not in str(match.reasons)


def test_my_space_suggests_challenges_to_my_organisation(client, world):
    client.force_login(world.association_member)
    html = client.get(reverse("members:account")).content.decode()
    assert "Des défis auxquels Clic Emploi pourrait répondre" in html
    assert escape(world.challenge.title) in html


# --- Opened -------------------------------------------------------------------------------


def test_opening_records_and_redirects_to_the_suggested_page(client, world):
    challenge_page(client, world)
    match = project_match(world)
    response = client.get(reverse("matches:open", args=[match.pk]))
    assert response.status_code == 302
    assert response["Location"] == world.project.get_absolute_url()
    match.refresh_from_db()
    assert match.opened_count == 1 and match.opened_at is not None
    assert match.step == MatchStep.OPENED


def test_opening_ignores_any_address_given_no_open_redirect(client, world):
    challenge_page(client, world)
    match = project_match(world)
    response = client.get(
        reverse("matches:open", args=[match.pk]),
        {"next": "https://evil.example/", "url": "//evil.example"},
    )
    assert response["Location"] == world.project.get_absolute_url()


def test_an_outside_address_not_of_a_known_source_is_refused(client, world):
    match = Match.objects.create(
        context=MatchContext.PROJECT,
        kind=SuggestionKind.FUNDING,
        subject_key=f"project:{world.project.pk}",
        subject_project=world.project,
        suggested_key="aid:1",
        external_url="https://evil.example/aides/1/",
    )
    assert client.get(reverse("matches:open", args=[match.pk])).status_code == 404
    match.external_url = "https://aides-territoires.beta.gouv.fr/aides/fonds-vert/"
    match.save()
    response = client.get(reverse("matches:open", args=[match.pk]))
    assert response["Location"] == match.external_url


def test_a_suggestion_no_longer_public_does_not_open(client, world):
    challenge_page(client, world)
    match = project_match(world)
    world.project.status = ProjectStatus.ARCHIVED
    world.project.save()
    assert client.get(reverse("matches:open", args=[match.pk])).status_code == 404
    assert client.get(reverse("matches:open", args=[999999])).status_code == 404


def test_somebody_elses_match_is_not_counted_when_opened(client, world, someone):
    client.force_login(someone)
    challenge_page(client, world)
    theirs = project_match(world, someone)
    other = Client()
    other.force_login(UserFactory())
    assert other.get(reverse("matches:open", args=[theirs.pk])).status_code == 302
    theirs.refresh_from_db()
    assert theirs.opened_count == 0


# --- Useful / not useful --------------------------------------------------------------------


def test_feedback_is_recorded_for_the_person_it_was_made_to(client, world, someone):
    client.force_login(someone)
    challenge_page(client, world)
    match = project_match(world, someone)
    response = client.post(
        reverse("matches:feedback", args=[match.pk]),
        {"feedback": "useful", "next": world.challenge.get_absolute_url()},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{world.challenge.get_absolute_url()}#suggestion-{match.pk}"
    match.refresh_from_db()
    assert match.feedback == Feedback.USEFUL and match.feedback_at is not None
    client.post(reverse("matches:feedback", args=[match.pk]), {"feedback": "not_useful"})
    match.refresh_from_db()
    assert match.feedback == Feedback.NOT_USEFUL
    html = challenge_page(client, world).content.decode()
    assert "Votre avis : Pas utile." in html


def test_feedback_needs_sign_in(client, world):
    challenge_page(client, world)
    match = project_match(world)
    response = client.post(reverse("matches:feedback", args=[match.pk]), {"feedback": "useful"})
    assert response.status_code == 302 and "/connexion/" in response["Location"]
    match.refresh_from_db()
    assert match.feedback == ""


def test_feedback_on_somebody_elses_or_the_anonymous_match_is_refused(client, world, someone):
    challenge_page(Client(), world)
    anonymous = project_match(world)
    client.force_login(someone)
    challenge_page(client, world)
    theirs = project_match(world, someone)
    intruder = Client()
    intruder.force_login(UserFactory())
    for match in (anonymous, theirs):
        response = intruder.post(
            reverse("matches:feedback", args=[match.pk]), {"feedback": "useful"}
        )
        assert response.status_code == 403
        match.refresh_from_db()
        assert match.feedback == ""


@pytest.mark.parametrize("value", ["", "tres_utile"])
def test_an_unknown_answer_is_refused(client, world, someone, value):
    client.force_login(someone)
    challenge_page(client, world)
    match = project_match(world, someone)
    response = client.post(reverse("matches:feedback", args=[match.pk]), {"feedback": value})
    assert response.status_code == 400


def test_feedback_needs_the_csrf_token_and_a_post(world, someone):
    client = Client(enforce_csrf_checks=True)
    client.force_login(someone)
    challenge_page(client, world)
    match = project_match(world, someone)
    url = reverse("matches:feedback", args=[match.pk])
    assert client.post(url, {"feedback": "useful"}).status_code == 403
    assert client.get(url).status_code == 405
    match.refresh_from_db()
    assert match.feedback == ""


def test_feedback_takes_the_person_back_only_to_this_site(client, world, someone):
    client.force_login(someone)
    challenge_page(client, world)
    match = project_match(world, someone)
    response = client.post(
        reverse("matches:feedback", args=[match.pk]),
        {"feedback": "useful", "next": "https://evil.example/"},
    )
    assert response["Location"].startswith(world.challenge.get_absolute_url())


def test_a_pitch_suggestion_opens_only_for_those_who_build_the_agenda(client, world, edition):
    from quartiers40.matches.sections import agenda_section

    (group,) = agenda_section(edition["edition"], edition["organiser"])["groups"]
    match = group["items"][0].match
    url = reverse("matches:open", args=[match.pk])
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(edition["organiser"])
    assert client.get(url)["Location"] == world.project.get_absolute_url()
