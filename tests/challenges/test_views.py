import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quartiers40.challenges import services
from quartiers40.challenges.enums import ChallengeStatus, ModerationState, OfferState
from quartiers40.challenges.models import Challenge, ChallengeComment, ChallengeOffer
from tests.members.factories import ResidentFactory, UserFactory
from tests.territories.factories import GoutteDOrFactory, QPVFactory

from .factories import ChallengeFactory, OfferFactory

pytestmark = pytest.mark.django_db

LIST = reverse("challenges:list")
CREATE = reverse("challenges:create")


def _detail(challenge) -> str:
    return reverse("challenges:detail", args=[challenge.slug])


def _page(client, url, params=None) -> str:
    response = client.get(url, params or {})
    assert response.status_code == 200
    return response.content.decode()


# --- The list ---------------------------------------------------------------------


def test_the_list_shows_visible_challenges_only(client):
    ChallengeFactory(title="Défi visible")
    ChallengeFactory(title="Défi en attente", moderation=ModerationState.PENDING)
    ChallengeFactory(title="Défi masqué", moderation=ModerationState.HIDDEN)
    page = _page(client, LIST)
    assert "Défi visible" in page
    assert "Défi en attente" not in page and "Défi masqué" not in page
    assert "1 défi" in page


def test_the_list_filters(client):
    qpv = GoutteDOrFactory()
    in_qpv = ChallengeFactory(title="Fiche QPV", themes=["health"])
    in_qpv.qpvs.add(qpv)
    ChallengeFactory(title="Fiche Sevran", department="93", themes=["employment"])
    ChallengeFactory(title="Fiche résolue", status=ChallengeStatus.SOLVED)
    assert "Fiche QPV" in _page(client, LIST, {"qpv": qpv.code.lower()})
    assert "Fiche Sevran" not in _page(client, LIST, {"qpv": qpv.code})
    assert "Fiche Sevran" in _page(client, LIST, {"department": "93"})
    assert "Fiche QPV" not in _page(client, LIST, {"department": "93"})
    assert "Fiche QPV" in _page(client, LIST, {"theme": "health"})
    assert "Fiche Sevran" not in _page(client, LIST, {"theme": "health"})
    page = _page(client, LIST, {"status": "solved"})
    assert "Fiche résolue" in page and "Fiche QPV" not in page
    assert "Fiche Sevran" in _page(client, LIST, {"q": "sevran"})


def test_the_list_sorts_by_supports_or_newest(client):
    older = ChallengeFactory(title="Ancien très soutenu")
    for _ in range(3):
        services.challenge_support(challenge=older, user=UserFactory())
    ChallengeFactory(title="Récent peu soutenu")
    page = _page(client, LIST)
    assert page.index("Ancien très soutenu") < page.index("Récent peu soutenu")
    page = _page(client, LIST, {"sort": "newest"})
    assert page.index("Récent peu soutenu") < page.index("Ancien très soutenu")


def _queries(client, params=None) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(LIST, params or {}).status_code == 200
    return len(context.captured_queries)


def test_the_list_takes_the_same_number_of_queries_for_10_and_100(client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # the page's own rendering is measured
    qpvs = [QPVFactory() for _ in range(3)]

    def make(count):
        for _ in range(count):
            challenge = ChallengeFactory()
            challenge.qpvs.set(qpvs[:2])

    make(10)
    few = _queries(client)
    make(90)
    many = _queries(client)
    assert few == many
    assert many <= 8


# --- The page ----------------------------------------------------------------------


def test_the_page_shows_everything(client, challenge, helper_org):
    qpv = GoutteDOrFactory()
    challenge.qpvs.add(qpv)
    OfferFactory(challenge=challenge, organisation=helper_org, proposal="Des ateliers numériques.")
    user = UserFactory(display_name="Zoé Publique", profile_public=True)
    root = services.challenge_comment_add(challenge=challenge, author=user, body="Premier avis.")
    services.challenge_comment_add(
        challenge=challenge, author=user, body="Une réponse.", parent=root
    )
    page = _page(client, _detail(challenge))
    for text in (
        challenge.title.replace("'", "&#x27;"),
        challenge.situation.replace("'", "&#x27;"),
        "Les parents d&#x27;élèves du quartier.",
        "Goutte D&#x27;Or",
        "Éducation",
        "Des ateliers numériques.",
        "Premier avis.",
        "Une réponse.",
        "Zoé Publique",
        "Personne ne soutient encore ce défi",
        "Connectez-vous pour soutenir ce défi",
    ):
        assert text in page, text


def test_support_from_the_page(client, challenge):
    user = UserFactory()
    client.force_login(user)
    url = reverse("challenges:support", args=[challenge.slug])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    challenge.refresh_from_db()
    assert challenge.supports_count == 1
    page = _page(client, _detail(challenge))
    assert "1 personne soutient ce défi" in page and "Retirer mon soutien" in page
    client.post(reverse("challenges:unsupport", args=[challenge.slug]))
    challenge.refresh_from_db()
    assert challenge.supports_count == 0


def test_comment_and_reply_from_the_page(client, challenge):
    client.force_login(UserFactory())
    url = reverse("challenges:comment", args=[challenge.slug])
    client.post(url, {"body": "Bonne idée."})
    root = ChallengeComment.objects.get()
    client.post(url, {"body": "D'accord.", "parent": root.pk})
    reply = ChallengeComment.objects.exclude(pk=root.pk).get()
    assert reply.parent == root
    client.post(url, {"body": "Trop profond.", "parent": reply.pk})
    assert ChallengeComment.objects.count() == 2
    edit = reverse("challenges:comment_edit", args=[challenge.slug, root.pk])
    assert client.get(edit).status_code == 200
    client.post(edit, {"body": "Très bonne idée."})
    root.refresh_from_db()
    assert root.body == "Très bonne idée." and root.edited_at


# --- Posting -----------------------------------------------------------------------------


def test_posting_needs_an_account(client):
    assert client.get(CREATE).status_code == 302


def test_post_a_challenge(client):
    resident = ResidentFactory()
    client.force_login(resident)
    page = _page(client, CREATE)
    assert "on_behalf_of_resident" not in page  # not a mediator
    response = client.post(
        CREATE,
        {
            "title": "Les jeunes ne trouvent pas de stage",
            "situation": "Les offres sont en ligne et les jeunes ne les voient pas.",
            "affected": "Les collégiens de 3e.",
            "solved_when": "Chaque élève a un stage.",
            "themes": ["employment"],
            "commune_name": "Sevran",
            "commune_insee": "93071",
        },
    )
    challenge = Challenge.objects.get()
    assert response.status_code == 302 and response["Location"] == _detail(challenge)
    assert challenge.moderation == ModerationState.PENDING
    page = _page(client, _detail(challenge))
    assert "attend la relecture" in page


def test_an_invalid_post_keeps_what_was_typed(client):
    client.force_login(UserFactory())
    response = client.post(CREATE, {"title": "Un titre gardé", "situation": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Un titre gardé" in page
    assert 'aria-invalid="true"' in page
    assert "Indiquez au moins un quartier prioritaire ou une commune." in page


def test_a_mediator_posts_for_a_resident_with_consent(client, mediator, association):
    client.force_login(mediator)
    page = _page(client, CREATE)
    assert "on_behalf_of_resident" in page and "resident_consent" in page
    data = {
        "title": "La CAF en ligne",
        "situation": "Une habitante ne sait pas faire sa déclaration.",
        "affected": "Les allocataires.",
        "solved_when": "Elle est accompagnée.",
        "commune_name": "Sevran",
        "organisation": association.pk,
        "on_behalf_of_resident": "on",
    }
    response = client.post(CREATE, data)
    assert response.status_code == 400
    assert "doit avoir donné son accord" in response.content.decode()
    response = client.post(CREATE, {**data, "resident_consent": "on"})
    assert response.status_code == 302
    challenge = Challenge.objects.get()
    assert challenge.on_behalf_of_resident and challenge.organisation == association


def test_the_duplicate_check_without_javascript(client):
    ChallengeFactory(title="Les seniors perdus avec la téléconsultation")
    client.force_login(UserFactory())
    response = client.post(
        CREATE, {"title": "Seniors et téléconsultation : perdus", "action": "check"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Les seniors perdus avec la téléconsultation" in page
    assert not Challenge.objects.filter(title__startswith="Seniors").exists()


def test_the_similar_fragment(client):
    ChallengeFactory(title="Les séniors perdus avec la téléconsultation")
    ChallengeFactory(title="Un tout autre sujet : le wifi du gymnase")
    page = _page(client, reverse("challenges:similar"), {"title": "seniors teleconsultation"})
    assert "téléconsultation" in page and "wifi" not in page
    assert "Aucun défi proche" in _page(client, reverse("challenges:similar"), {"title": "xyz"})


def test_edit_a_challenge(client, challenge, resident):
    client.force_login(resident)
    url = reverse("challenges:edit", args=[challenge.slug])
    page = _page(client, url)
    assert challenge.title.replace("'", "&#x27;") in page
    response = client.post(
        url,
        {
            "title": "Titre corrigé",
            "situation": challenge.situation,
            "affected": challenge.affected,
            "solved_when": challenge.solved_when,
            "commune_name": "Paris",
        },
    )
    assert response.status_code == 302
    challenge.refresh_from_db()
    assert challenge.title == "Titre corrigé"


def test_an_attachment_is_bounded(client, challenge, resident):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(resident)
    url = reverse("challenges:edit", args=[challenge.slug])
    data = {
        "title": challenge.title,
        "situation": challenge.situation,
        "affected": challenge.affected,
        "solved_when": challenge.solved_when,
        "commune_name": "Paris",
    }
    bad = SimpleUploadedFile("virus.exe", b"MZ")
    assert client.post(url, {**data, "attachment": bad}).status_code == 400
    good = SimpleUploadedFile("affiche.pdf", b"%PDF-1.4 test")
    assert client.post(url, {**data, "attachment": good}).status_code == 302
    assert challenge.attachments.count() == 1


# --- Offers, outcome, close ------------------------------------------------------------------


def test_offer_accept_and_outcome_from_the_pages(client, challenge, resident, helper, helper_org):
    client.force_login(helper)
    url = reverse("challenges:offer", args=[challenge.slug])
    assert _page(client, url)
    assert client.post(url, {"organisation": helper_org.pk, "proposal": ""}).status_code == 400
    response = client.post(url, {"organisation": helper_org.pk, "proposal": "Des ateliers."})
    assert response.status_code == 302
    offer = ChallengeOffer.objects.get()

    client.force_login(resident)
    accept = reverse("challenges:offer_accept", args=[challenge.slug, offer.pk])
    assert "Accepter la proposition" in _page(client, accept)
    assert client.post(accept).status_code == 302
    offer.refresh_from_db()
    challenge.refresh_from_db()
    assert offer.state == OfferState.ACCEPTED
    assert challenge.status == ChallengeStatus.BEING_ADDRESSED

    outcome = reverse("challenges:outcome", args=[challenge.slug])
    assert client.post(outcome, {"outcome_text": ""}).status_code == 400
    response = client.post(
        outcome,
        {
            "outcome_text": "Des ateliers chaque mercredi.",
            "outcome_result": "40 familles accompagnées",
            "outcome_project": offer.project.pk,
        },
    )
    assert response.status_code == 302
    page = _page(client, _detail(challenge))
    assert "40 familles accompagnées" in page and "Résolu" in page


def test_decline_from_the_page(client, challenge, resident, helper_org):
    offer = OfferFactory(challenge=challenge, organisation=helper_org)
    client.force_login(resident)
    decline = reverse("challenges:offer_decline", args=[challenge.slug, offer.pk])
    assert "Décliner la proposition" in _page(client, decline)
    client.post(decline, {"note": "Merci, déjà pris en charge."})
    offer.refresh_from_db()
    assert offer.state == OfferState.DECLINED


def test_close_from_the_page(client, challenge, resident):
    client.force_login(resident)
    url = reverse("challenges:close", args=[challenge.slug])
    assert client.post(url, {"reason": ""}).status_code == 400
    client.post(url, {"reason": "Le problème a disparu."})
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.CLOSED
    assert "Le problème a disparu." in _page(client, _detail(challenge))


def test_the_list_links_its_open_data(client):
    page = client.get(reverse("challenges:list")).content.decode()
    for name in ("challenge_export_csv", "challenge_export_json", "challenge_export_geojson"):
        assert reverse(f"api:{name}") in page
