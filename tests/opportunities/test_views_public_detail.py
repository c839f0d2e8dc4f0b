"""An opportunity's page (each status and role), "je suis intéressé·e", the short list, the map;
and no personal data on any public page."""

import html as html_lib
import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from quartiers40.opportunities.enums import (
    Accessibility,
    Cost,
    HowToGo,
    Language,
    Level,
    OpportunityStatus,
    QPVPriority,
    Situation,
)
from quartiers40.opportunities.models import ImportedStructure, OpportunityInterest
from quartiers40.opportunities.records import PlaceInput
from quartiers40.opportunities.services import opportunity_places_set
from tests.members.factories import CoordinatorFactory, MembershipFactory, UserFactory
from tests.opportunities.factories import InterestFactory, OpportunityFactory, SessionFactory
from tests.opportunities.public_fixtures import *  # noqa: F403
from tests.opportunities.public_fixtures import IN_GOUTTE_DOR

pytestmark = pytest.mark.django_db

CONTACT_EMAIL = "inscriptions-secretes@association.fr"


def _text(response) -> str:
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html_lib.unescape(text))


def _detail(opportunity) -> str:
    return reverse("opportunities:detail", kwargs={"slug": opportunity.slug})


def _interest(opportunity) -> str:
    return reverse("opportunities:interest", kwargs={"slug": opportunity.slug})


@pytest.fixture
def training(territory):
    opportunity = OpportunityFactory(
        title="Découvrir l'ordinateur",
        summary="Dix séances en petit groupe pour apprendre l'ordinateur.",
        description="Le **programme** complet.",
        opening_hours="Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00; PH off",
        cost=Cost.FREE,
        how_to_go=[HowToGo.COME, HowToGo.CALL, HowToGo.WRITE, HowToGo.PROFESSIONAL],
        contact_phone="01 23 45 67 89",
        contact_email=CONTACT_EMAIL,
        seats=12,
        deadline=timezone.localdate() + timedelta(days=40),
        age_min=16,
        age_max=25,
        situations=[Situation.YOUNG],
        qpv_priority=QPVPriority.FIRST,
        accessibility=[Accessibility.WHEELCHAIR],
        accessibility_url="https://acceslibre.beta.gouv.fr/app/erp/centre-social/",
        languages=[Language.FRENCH, Language.ARABIC],
    )
    opportunity_places_set(
        opportunity=opportunity,
        places=[
            PlaceInput(
                name="Centre social Belleville",
                address="20 rue de la Goutte d'Or",
                postcode="75018",
                commune_name="Paris",
                latitude=IN_GOUTTE_DOR[0],
                longitude=IN_GOUTTE_DOR[1],
            )
        ],
    )
    SessionFactory(opportunity=opportunity, details="groupe du matin")
    return opportunity


@pytest.fixture
def imported(territory):
    structure = ImportedStructure.objects.create(
        source="dora",
        source_id="dora--42",
        name="France Services Sevran",
        phone="01 98 76 54 32",
        email="accueil@france-services.example",
        website="https://france-services.example/sevran",
        source_url="https://dora.inclusion.beta.gouv.fr/services/42",
        opening_hours="Mo-Fr 09:00-12:00",
    )
    return OpportunityFactory(
        organisation=None,
        structure=structure,
        source="dora",
        source_id="dora--svc-42",
        title="Aide aux démarches en ligne",
        how_to_go=[HowToGo.COME, HowToGo.CALL, HowToGo.WRITE],
        opening_hours="",
    )


# --- The page ------------------------------------------------------------------------------


def test_detail_says_everything_in_words(client, training):
    response = client.get(_detail(training))
    assert response.status_code == 200
    assert response.context["opportunity"] == training
    assert "user" in response.context
    page = _text(response)
    # Summary first, right after the title.
    assert page.index("Découvrir l'ordinateur") < page.index("Dix séances en petit groupe")
    assert page.index("Dix séances") < page.index("Quand ?")
    for words in [
        "Du lundi au vendredi, de 9 h à 12 h et de 14 h à 17 h ; le samedi, de 9 h à 12 h ;"
        " fermé les jours fériés",
        "groupe du matin",
        "12 places",
        "Centre social Belleville",
        "20 rue de la Goutte d'Or",
        "Dans le quartier Goutte D'Or",
        "Gratuit",
        "Pour les 16–25 ans",
        "Pour les jeunes",
        "Habitants des quartiers prioritaires en priorité",
        "Pas besoin de diplôme",
        "Accessible en fauteuil roulant",
        "L'accessibilité du lieu sur Acceslibre",
        "Langues parlées : français, arabe.",
        "Téléphoner : 01 23 45 67 89",
        "Avec le formulaire « Je suis intéressé·e »",
        "Passer par un professionnel",
        training.organisation.name,
    ]:
        assert words in page, words
    html = response.content.decode()
    assert '<a href="tel:0123456789">' in html
    assert f'href="{training.organisation.get_absolute_url()}"' in html
    assert "<strong>programme</strong>" in html
    assert f'action="{_interest(training)}"' in html
    assert "Inscrire une autre personne" not in page  # anonymous: not a mediator
    assert "fictif" not in page


def test_a_members_item_never_shows_an_email_address(client, training):
    for url in (_detail(training), _interest(training)):
        html = client.get(url).content.decode()
        assert CONTACT_EMAIL not in html
        assert "mailto:" not in html


def test_the_place_near_a_qpv_says_the_distance(client, training, territory):
    place = training.places.get()
    link = place.qpv_links.get()
    link.distance_m = 1240
    link.save()
    assert "À 1,2 km du quartier Goutte D'Or" in _text(client.get(_detail(training)))


def test_an_imported_item_gives_its_sources_ways(client, imported):
    response = client.get(_detail(imported))
    page = _text(response)
    html = response.content.decode()
    assert "France Services Sevran" in page
    assert "Source : Dora" in page
    assert 'href="https://dora.inclusion.beta.gouv.fr/services/42"' in html
    assert 'href="tel:0198765432"' in html
    assert 'href="mailto:accueil@france-services.example"' in html
    assert 'href="https://france-services.example/sevran"' in html
    assert "Du lundi au vendredi, de 9 h à 12 h" in page  # the structure's hours
    assert f'action="{_interest(imported)}"' not in html  # no inbox here


def test_a_fictional_item_is_marked(client, training):
    training.is_fictional = True
    training.save()
    assert "fictif (démonstration)" in _text(client.get(_detail(training)))


def test_an_expired_item_says_terminee_and_is_not_offered(client, training):
    training.status = OpportunityStatus.EXPIRED
    training.save()
    response = client.get(_detail(training))
    assert response.status_code == 200
    page = _text(response)
    assert "Terminée" in page
    assert f'action="{_interest(training)}"' not in response.content.decode()
    response = client.post(_interest(training), {"name": "Awa", "phone": "0600000000"})
    assert response.status_code == 400
    assert not OpportunityInterest.objects.exists()


def test_a_passed_deadline_closes_the_form(client, training):
    training.deadline = timezone.localdate() - timedelta(days=1)
    training.save()
    response = client.get(_detail(training))
    assert "Les inscriptions sont terminées." in _text(response)
    assert client.post(_interest(training), {"name": "A", "phone": "06"}).status_code == 400


@pytest.mark.parametrize(
    "status",
    [
        OpportunityStatus.DRAFT,
        OpportunityStatus.SUBMITTED,
        OpportunityStatus.RETURNED,
        OpportunityStatus.WITHDRAWN,
    ],
)
def test_non_public_statuses_are_404_but_for_provider_and_coordination(client, training, status):
    training.status = status
    training.save()
    assert client.get(_detail(training)).status_code == 404
    assert client.get(_interest(training)).status_code == 404
    client.force_login(UserFactory())
    assert client.get(_detail(training)).status_code == 404
    client.force_login(MembershipFactory().user)  # a member of another organisation
    assert client.get(_detail(training)).status_code == 404
    client.force_login(MembershipFactory(organisation=training.organisation).user)
    response = client.get(_detail(training))
    assert response.status_code == 200
    assert training.get_status_display() in _text(response)
    assert f'action="{_interest(training)}"' not in response.content.decode()
    client.force_login(CoordinatorFactory())
    assert client.get(_detail(training)).status_code == 200


def test_unknown_slug_is_404(client, db):
    assert client.get(reverse("opportunities:detail", kwargs={"slug": "nope"})).status_code == 404


def test_the_provider_actions_slot_is_included(client, training):
    response = client.get(_detail(training))
    assert "opportunities/provider/_detail_actions.html" in [t.name for t in response.templates]


# --- "Je suis intéressé·e" -------------------------------------------------------------------


def test_anonymous_interest_is_sent_to_the_provider(
    client, training, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _interest(training),
            {"name": "Awa", "email": "awa@exemple.fr", "phone": "", "message": "Le matin ?"},
        )
    assert response.status_code == 302
    assert response["Location"] == _interest(training) + "?transmis=1"
    interest = OpportunityInterest.objects.get()
    assert (interest.name, interest.email, interest.message) == (
        "Awa",
        "awa@exemple.fr",
        "Le matin ?",
    )
    assert interest.person is None and interest.registered_by is None
    assert {m.to[0] for m in mail.outbox} == {CONTACT_EMAIL, "awa@exemple.fr"}
    page = _text(client.get(response["Location"]))
    assert "a reçu votre demande. L'organisme va vous rappeler ou vous écrire." in page
    assert "awa@exemple.fr" not in page


def test_interest_needs_a_way_to_call_back_and_keeps_what_was_typed(client, training):
    response = client.post(_interest(training), {"name": "Awa", "message": "Bonjour"})
    assert response.status_code == 200
    page = _text(response)
    assert "Indiquez un courriel ou un téléphone pour être recontacté·e." in page
    assert 'value="Awa"' in response.content.decode() and "Bonjour" in page
    html = response.content.decode()
    assert 'aria-describedby="id_email_error"' in html or 'id="id_email_error"' in html
    assert not OpportunityInterest.objects.exists()


def test_interest_page_says_who_reads_it(client, training):
    page = _text(client.get(_interest(training)))
    assert f"Votre message est envoyé à {training.organisation.name}, et à personne d'autre" in page


def test_signed_in_person_is_prefilled_and_counted_once(client, training):
    person = UserFactory(display_name="Fatou Diallo", email="fatou@exemple.fr")
    client.force_login(person)
    html = client.get(_detail(training)).content.decode()
    assert 'value="Fatou Diallo"' in html and 'value="fatou@exemple.fr"' in html
    data = {"name": "Fatou Diallo", "email": "fatou@exemple.fr"}
    assert client.post(_interest(training), data).status_code == 302
    assert OpportunityInterest.objects.get().person == person
    again = client.post(_interest(training), data)
    assert again.status_code == 200
    assert "Vous avez déjà dit votre intérêt" in _text(again)
    assert OpportunityInterest.objects.count() == 1


def test_a_mediator_registers_someone_with_consent(client, training):
    mediator = MembershipFactory().user
    client.force_login(mediator)
    detail = client.get(_detail(training))
    assert "Inscrire une autre personne" in _text(detail)
    form = client.get(_interest(training) + "?pour=autre")
    page = _text(form)
    assert "La personne est d'accord pour que ses coordonnées soient transmises" in page
    assert f'value="{mediator.email}"' not in form.content.decode()  # not her own address
    data = {"pour": "autre", "name": "Mme K.", "phone": "06 11 22 33 44"}
    refused = client.post(_interest(training), data)
    assert refused.status_code == 200
    assert "Il faut l'accord de la personne." in _text(refused)
    assert 'value="Mme K."' in refused.content.decode()
    assert not OpportunityInterest.objects.exists()
    response = client.post(_interest(training), {**data, "consent": "on"})
    assert response.status_code == 302
    interest = OpportunityInterest.objects.get()
    assert interest.registered_by == mediator and interest.person is None
    assert interest.consent_at is not None and interest.phone == "06 11 22 33 44"
    assert "L'organisme va la rappeler" in _text(client.get(response["Location"]))


def test_only_a_mediator_registers_someone(client, training):
    client.force_login(UserFactory())
    form = client.get(_interest(training) + "?pour=autre")
    assert "La personne est d'accord" not in _text(form)  # her own form instead
    response = client.post(
        _interest(training), {"pour": "autre", "name": "X", "phone": "06", "consent": "on"}
    )
    assert response.status_code == 403
    assert not OpportunityInterest.objects.exists()


def test_an_imported_item_refuses_interest_and_gives_its_ways(client, imported):
    page = client.get(_interest(imported))
    assert page.status_code == 200
    assert "contactez directement France Services Sevran" in _text(page)
    response = client.post(_interest(imported), {"name": "Awa", "phone": "0600000000"})
    assert response.status_code == 400
    assert not OpportunityInterest.objects.exists()


def test_interest_is_rate_limited_per_address(client, training, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "opportunity_interest_ip": (2, 3600)}
    for i in range(2):
        data = {"name": f"P{i}", "phone": f"060000000{i}"}
        assert client.post(_interest(training), data).status_code == 302
    response = client.post(_interest(training), {"name": "P3", "phone": "0600000003"})
    assert response.status_code == 429
    assert "Trop de demandes envoyées" in _text(response)
    assert response["Retry-After"]
    assert OpportunityInterest.objects.count() == 2


def test_a_signed_in_interest_needs_the_csrf_token(training):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    response = client.post(_interest(training), {"name": "Awa", "phone": "0600000000"})
    assert response.status_code == 403
    assert not OpportunityInterest.objects.exists()


def test_a_guest_s_interest_form_carries_no_token_and_the_page_is_cached(training):
    """The page served to every anonymous visitor holds no token bound to one of them; a
    guest's form is accepted without one (its rate limit still holds)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(enforce_csrf_checks=True)
    page = client.get(training.get_absolute_url())
    assert "csrfmiddlewaretoken" not in page.content.decode()
    assert 'action="' + _interest(training) + '"' in page.content.decode()
    with CaptureQueriesContext(connection) as queries:
        again = client.get(training.get_absolute_url())
    assert again.content == page.content and len(queries) == 0
    response = client.post(_interest(training), {"name": "Awa", "phone": "0600000000"})
    assert response.status_code == 302
    assert OpportunityInterest.objects.count() == 1


# --- The short list ------------------------------------------------------------------------


def test_selection_lists_items_with_how_to_go_and_place(client, training, imported):
    url = reverse("opportunities:selection")
    response = client.get(url, {"ids": [str(training.pk), str(imported.pk)]})
    assert response.status_code == 200
    page = _text(response)
    assert page.index("Découvrir l'ordinateur") < page.index("Aide aux démarches en ligne")
    assert "Centre social Belleville, 20 rue de la Goutte d'Or 75018 Paris" in page
    assert "Téléphoner : 01 23 45 67 89" in page
    assert "Gratuit · pour les 16–25 ans · pour les jeunes · sans diplôme" in page
    html = response.content.decode()
    share = f"http://testserver{url}?ids={training.pk}%2C{imported.pk}"
    assert f'value="{share}"' in html
    assert html.count("hidden data-print") == 1  # "Imprimer": JavaScript only
    assert 'href="mailto:?subject=Des%20opportunit%C3%A9s%20pour%20vous&amp;body=http' in html
    assert CONTACT_EMAIL not in html
    # The same list from the comma form of the link.
    same = client.get(url, {"ids": f"{training.pk},{imported.pk}"})
    assert _text(same).count("Comment y aller :") == 2


def test_selection_skips_what_is_not_public_and_bad_ids(client, training):
    withdrawn = OpportunityFactory(status=OpportunityStatus.WITHDRAWN, title="Retirée")
    response = client.get(
        reverse("opportunities:selection"), {"ids": [str(training.pk), str(withdrawn.pk), "x"]}
    )
    page = _text(response)
    assert "Retirée" not in page
    assert "1 opportunité n'est plus proposée" in page


def test_empty_selection(client, db):
    response = client.get(reverse("opportunities:selection"))
    assert response.status_code == 200
    assert "La sélection est vide" in _text(response)


def test_selection_prints_on_its_own(client, training):
    html = client.get(
        reverse("opportunities:selection"), {"ids": str(training.pk)}
    ).content.decode()
    assert "opportunities/opportunities.css" in html
    css = (
        Path(__file__).resolve().parents[2]
        / "quartiers40/opportunities/static/opportunities/opportunities.css"
    ).read_text()
    assert "@media print" in css and ".site-header, .site-footer" in css


# --- The map -------------------------------------------------------------------------------


def test_map_page_lists_the_qpvs_in_text(client, training, imported):
    response = client.get(reverse("opportunities:map"))
    assert response.status_code == 200
    page = _text(response)
    assert "Goutte D'Or" in page and "Découvrir l'ordinateur" in page
    assert "1 autre opportunité est à distance ou loin des quartiers" in page
    assert "data-points-map" in response.content.decode()


def test_map_data_is_the_points_script_format(client, training):
    response = client.get(reverse("opportunities:map_data"))
    data = json.loads(response.content)
    assert data["url_template"] == reverse("opportunities:detail", args=["SLUG"])
    assert data["points"] == [
        {
            "code": "QN07511M",
            "name": "Goutte D'Or",
            "lon": 2.355,
            "lat": 48.885,
            "items": [[training.title, training.slug]],
        }
    ]
    assert data["unplaced"] == 0
    filtered = json.loads(client.get(reverse("opportunities:map_data"), {"type": "job"}).content)
    assert filtered["points"] == []


# --- No personal data on a public page -------------------------------------------------------


def test_no_personal_data_on_any_public_page(client, training, territory):
    mediator = MembershipFactory(organisation=training.organisation).user
    InterestFactory(
        opportunity=training,
        name="Zoé Secrète",
        email="zoe.secrete@exemple.fr",
        phone="0699999999",
        message="Mon histoire personnelle",
        registered_by=mediator,
        consent_at=timezone.now(),
    )
    secrets = ["Zoé Secrète", "zoe.secrete@exemple.fr", "0699999999", "Mon histoire", CONTACT_EMAIL]
    urls = [
        reverse("opportunities:search"),
        reverse("opportunities:search") + "?lieu=Sevran",
        reverse("opportunities:search") + "?qpv=QN07511M",
        _detail(training),
        _interest(training),
        _interest(training) + "?transmis=1",
        reverse("opportunities:selection") + f"?ids={training.pk}",
        reverse("opportunities:map"),
        reverse("opportunities:map_data"),
        reverse("territories:detail", args=["QN07511M"]),
        training.organisation.get_absolute_url(),
        reverse("home:home"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for secret in secrets:
            assert secret not in body, (url, secret)


def test_level_and_paid_words_on_the_page(client, territory):
    opportunity = OpportunityFactory(
        cost=Cost.PAID, cost_details="20 € par mois", level_required=Level.BAC
    )
    page = _text(client.get(_detail(opportunity)))
    assert "Payant — 20 € par mois" in page
    assert "Diplôme demandé : Baccalauréat" in page
