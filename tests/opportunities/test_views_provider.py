"""The provider's pages: create and edit an opportunity, publish or send it, review, withdraw."""

from datetime import date

import pytest
from django.urls import reverse

from quartiers40.core.models import ActionLog
from quartiers40.members.enums import OrganisationStatus
from quartiers40.opportunities.enums import OpportunityStatus
from quartiers40.opportunities.models import Opportunity
from tests.members.factories import UserFactory
from tests.opportunities.factories import OpportunityFactory, PlaceFactory
from tests.opportunities.provider_helpers import (
    THEME,
    coordinator,
    form_data,
    member,
)
from tests.opportunities.provider_helpers import (
    _no_geocoder as _no_geocoder,
)
from tests.territories.conftest import http_server as http_server  # a fixture, used below

pytestmark = pytest.mark.django_db

CREATE = reverse("opportunities:create")


def _edit(opportunity):
    return reverse("opportunities:edit", kwargs={"slug": opportunity.slug})


# --- Who may open the pages ---------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client):
    opportunity = OpportunityFactory()
    for url in [
        CREATE,
        _edit(opportunity),
        reverse("opportunities:mine"),
        reverse("opportunities:withdraw", kwargs={"slug": opportunity.slug}),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("members:login"))


def test_without_organisation_the_page_says_how_to_get_one(client):
    client.force_login(UserFactory())
    response = client.get(CREATE)
    assert response.status_code == 200
    assert "aucune organisation" in response.content.decode()


def test_another_organisation_may_not_edit(client):
    opportunity = OpportunityFactory()
    draft = OpportunityFactory(status=OpportunityStatus.DRAFT)
    outsider, _organisation = member()
    client.force_login(outsider)
    assert client.get(_edit(opportunity)).status_code == 403  # public: forbidden
    assert client.get(_edit(draft)).status_code == 404  # not even visible
    assert client.post(_edit(opportunity), form_data()).status_code == 403
    opportunity.refresh_from_db()
    assert opportunity.title != "Atelier CV"


def test_create_page_offers_only_her_organisations(client):
    user, organisation = member()
    other = OpportunityFactory().organisation
    client.force_login(user)
    page = client.get(CREATE).content.decode()
    assert organisation.name in page
    assert other.name not in page
    # Posting someone else's organisation is refused by the form.
    response = client.post(CREATE, form_data(other))
    assert response.status_code == 400
    assert not Opportunity.objects.filter(title="Atelier CV").exists()


def test_create_page_shows_groups_themes_by_category_and_three_place_rows(client):
    user, _organisation = member()
    client.force_login(user)
    page = client.get(CREATE).content.decode()
    for group in ("essentiel", "thematiques", "ou", "quand", "cout", "inscription", "public"):
        assert f'id="groupe-{group}"' in page
    assert page.count('class="theme-category"') == 16
    assert 'name="lieux-TOTAL_FORMS" value="3"' in page
    assert 'name="sessions-TOTAL_FORMS" value="2"' in page
    assert 'data-count-max="400"' in page
    assert "Jamais affiché" in page  # the contact e-mail
    assert "acceslibre.beta.gouv.fr" in page
    assert "wiki.openstreetmap.org" in page
    assert ">Publier</button>" in page


def test_candidate_organisation_sees_send_to_coordination(client):
    user, _organisation = member(OrganisationStatus.CANDIDATE)
    client.force_login(user)
    page = client.get(CREATE).content.decode()
    assert "Envoyer à la coordination</button>" in page
    assert ">Publier</button>" not in page


# --- Saving -------------------------------------------------------------------------------


def test_save_a_draft_then_edit_it(client):
    user, organisation = member()
    client.force_login(user)
    response = client.post(CREATE, form_data(organisation))
    opportunity = Opportunity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _edit(opportunity)
    assert opportunity.status == OpportunityStatus.DRAFT
    assert opportunity.organisation == organisation
    assert opportunity.themes == [THEME]
    place = opportunity.places.get()
    assert place.commune_name == "Paris"
    # The edit page shows the saved place (not located: the geocoder is off here).
    page = client.get(_edit(opportunity)).content.decode()
    assert "Adresse non localisée" in page
    assert 'value="Centre social"' in page
    response = client.post(
        _edit(opportunity), form_data(title="Atelier CV et lettre", **{"lieux-INITIAL_FORMS": "1"})
    )
    assert response.status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.title == "Atelier CV et lettre"
    assert opportunity.places.count() == 1


def test_unchanged_places_are_not_written_again(client):
    user, organisation = member()
    client.force_login(user)
    client.post(CREATE, form_data(organisation))
    opportunity = Opportunity.objects.get()
    place_pk = opportunity.places.get().pk
    client.post(_edit(opportunity), form_data(title="Autre titre"))
    assert opportunity.places.get().pk == place_pk


def test_sessions_are_saved_and_removed(client):
    user, organisation = member()
    client.force_login(user)
    sessions = [
        {"starts_on": "2031-03-02", "ends_on": "2031-03-06", "details": "le matin"},
        {"starts_on": "2031-04-06"},
    ]
    client.post(CREATE, form_data(organisation, sessions=sessions))
    opportunity = Opportunity.objects.get()
    assert [str(s.starts_on) for s in opportunity.sessions.all()] == ["2031-03-02", "2031-04-06"]
    client.post(_edit(opportunity), form_data(sessions=[sessions[1]]))
    assert [str(s.starts_on) for s in opportunity.sessions.all()] == ["2031-04-06"]


def test_invalid_form_keeps_everything_typed_formsets_too(client):
    user, organisation = member()
    client.force_login(user)
    data = form_data(
        organisation,
        places=[
            {"name": "Médiathèque", "address": "3 place du Marché", "commune_name": "Sevran"},
            {"name": "Sans ville"},  # a row without a commune: its own error
        ],
        sessions=[{"starts_on": "2031-05-10", "ends_on": "2031-05-01"}],
        title="",  # required
        summary="x" * 401,  # too long
        age_min="30",
        age_max="20",
        cost_details="Pris en charge par le CPF",
    )
    response = client.post(CREATE, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert not Opportunity.objects.exists()
    assert 'value="Médiathèque"' in page
    assert 'value="3 place du Marché"' in page
    assert 'value="Sans ville"' in page
    assert "Indiquez au moins la commune" in page
    assert 'value="2031-05-10"' in page
    assert "La fin est avant le début." in page
    assert "L&#x27;âge maximum est plus petit" in page
    assert 'value="Pris en charge par le CPF"' in page
    assert f'value="{THEME}" id="id_themes_' in page and "checked" in page
    assert "à corriger" in page


def test_add_places_button_keeps_what_was_typed_and_adds_rows(client):
    user, organisation = member()
    client.force_login(user)
    data = form_data(organisation, title="", add_places="1")  # nothing is checked yet
    response = client.post(CREATE, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert not Opportunity.objects.exists()
    assert 'name="lieux-TOTAL_FORMS" value="5"' in page
    assert 'value="Centre social"' in page
    assert "Ce champ est obligatoire" not in page  # no error before she asks to save
    response = client.post(CREATE, form_data(organisation, add_sessions="1"))
    assert 'name="sessions-TOTAL_FORMS" value="4"' in response.content.decode()


def test_service_error_lands_on_its_field(client):
    """The model's own rule (dates in order) comes back on the field, input kept."""
    user, organisation = member()
    client.force_login(user)
    response = client.post(
        CREATE, form_data(organisation, starts_on="2031-06-01", ends_on="2031-05-01")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "id_ends_on_error" in page
    assert 'value="2031-06-01"' in page


# --- Publishing -----------------------------------------------------------------------------


def test_member_organisation_publishes_at_once(client):
    user, organisation = member()
    client.force_login(user)
    response = client.post(CREATE, form_data(organisation, then="publish"))
    opportunity = Opportunity.objects.get()
    assert opportunity.status == OpportunityStatus.PUBLISHED
    assert response["Location"] == opportunity.get_absolute_url()


def test_candidate_organisation_sends_to_coordination(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    team = coordinator()
    user, organisation = member(OrganisationStatus.CANDIDATE)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(CREATE, form_data(organisation, then="publish"))
    opportunity = Opportunity.objects.get()
    assert opportunity.status == OpportunityStatus.SUBMITTED
    assert [message.to for message in mailoutbox] == [[team.email]]
    # The team finds it in "À traiter".
    client.force_login(team)
    page = client.get(reverse("home:coordination")).content.decode()
    assert "Opportunités à relire avant publication" in page
    assert opportunity.title in page


def test_publish_with_missing_fields_keeps_the_draft_and_says_what_lacks(client):
    user, organisation = member()
    client.force_login(user)
    response = client.post(
        CREATE, form_data(organisation, places=[], themes=None, how_to_go=None, then="publish")
    )
    assert response.status_code == 400
    opportunity = Opportunity.objects.get()
    assert opportunity.status == OpportunityStatus.DRAFT
    page = response.content.decode()
    assert "ne peut pas encore être publiée" in page
    assert "Choisissez au moins une thématique." in page
    assert "Indiquez au moins un lieu" in page
    # The form now posts to the draft's page: saving again does not make a second one.
    assert f'action="{_edit(opportunity)}"' in page


def test_publish_button_on_the_page(client):
    user, organisation = member()
    opportunity = OpportunityFactory(organisation=organisation, status=OpportunityStatus.DRAFT)
    PlaceFactory(opportunity=opportunity)
    url = reverse("opportunities:publish", kwargs={"slug": opportunity.slug})
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(user)
    assert client.get(url).status_code == 405  # POST only
    response = client.post(url)
    assert response.status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.status == OpportunityStatus.PUBLISHED


def test_another_organisation_cannot_publish(client):
    opportunity = OpportunityFactory(status=OpportunityStatus.RETURNED)
    outsider, _organisation = member()
    client.force_login(outsider)
    response = client.post(reverse("opportunities:publish", kwargs={"slug": opportunity.slug}))
    assert response.status_code == 404
    opportunity.refresh_from_db()
    assert opportunity.status == OpportunityStatus.RETURNED


# --- Review ------------------------------------------------------------------------------


def _submitted():
    user, organisation = member(OrganisationStatus.CANDIDATE)
    opportunity = OpportunityFactory(organisation=organisation, status=OpportunityStatus.SUBMITTED)
    PlaceFactory(opportunity=opportunity)
    return user, opportunity


def test_coordination_approves(client, mailoutbox, django_capture_on_commit_callbacks):
    user, opportunity = _submitted()
    url = reverse("opportunities:approve", kwargs={"slug": opportunity.slug})
    client.force_login(user)
    assert client.post(url).status_code == 403  # not her own review
    client.force_login(coordinator())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    opportunity.refresh_from_db()
    assert opportunity.status == OpportunityStatus.PUBLISHED
    assert [message.to for message in mailoutbox] == [[user.email]]


def test_coordination_returns_with_comments(client, mailoutbox, django_capture_on_commit_callbacks):
    user, opportunity = _submitted()
    url = reverse("opportunities:return", kwargs={"slug": opportunity.slug})
    client.force_login(coordinator())
    response = client.post(url, {"comments": ""})
    assert response.status_code == 400  # the page says what is missing
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"comments": "Précisez les horaires."})
    opportunity.refresh_from_db()
    assert opportunity.status == OpportunityStatus.RETURNED
    assert opportunity.review_comments == "Précisez les horaires."
    assert "Précisez les horaires." in mailoutbox[0].body
    # She sees the comments on the form and may send it again.
    client.force_login(user)
    page = client.get(_edit(opportunity)).content.decode()
    assert "Précisez les horaires." in page
    assert "Envoyer à la coordination</button>" in page


def test_provider_cannot_return(client):
    user, opportunity = _submitted()
    client.force_login(user)
    url = reverse("opportunities:return", kwargs={"slug": opportunity.slug})
    assert client.post(url, {"comments": "Moi-même"}).status_code == 403


# --- Withdraw and reopen -----------------------------------------------------------------


def test_withdraw_asks_first_then_withdraws(client):
    user, organisation = member()
    opportunity = OpportunityFactory(organisation=organisation)
    url = reverse("opportunities:withdraw", kwargs={"slug": opportunity.slug})
    client.force_login(user)
    page = client.get(url).content.decode()
    assert "Oui, la retirer" in page
    opportunity.refresh_from_db()
    assert opportunity.status == OpportunityStatus.PUBLISHED  # nothing done on GET
    client.post(url, {"reason": "Plus de financement"})
    opportunity.refresh_from_db()
    assert opportunity.status == OpportunityStatus.WITHDRAWN
    log = ActionLog.objects.filter(action="opportunity_withdrawn").get()
    assert log.reason == "Plus de financement"
    # Withdrawn: no more editing.
    assert client.get(_edit(opportunity)).status_code == 302


def test_another_organisation_cannot_withdraw(client):
    opportunity = OpportunityFactory()
    outsider, _organisation = member()
    client.force_login(outsider)
    url = reverse("opportunities:withdraw", kwargs={"slug": opportunity.slug})
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    opportunity.refresh_from_db()
    assert opportunity.status == OpportunityStatus.PUBLISHED


def test_reopen_an_expired_one_after_new_dates(client):
    user, organisation = member()
    opportunity = OpportunityFactory(
        organisation=organisation,
        status=OpportunityStatus.EXPIRED,
        deadline=date(2020, 1, 10),
        is_remote=True,
    )
    client.force_login(user)
    page = client.get(_edit(opportunity)).content.decode()
    assert "Enregistrer et republier" in page
    # The old deadline is still there: it stays expired, with a message, saved as typed.
    response = client.post(
        _edit(opportunity),
        form_data(places=[], is_remote="on", deadline="2020-01-10", then="reopen"),
    )
    assert response.status_code == 400
    assert "reste terminée" in response.content.decode()
    opportunity.refresh_from_db()
    assert opportunity.status == OpportunityStatus.EXPIRED
    response = client.post(
        _edit(opportunity),
        form_data(places=[], is_remote="on", deadline="2099-01-10", then="reopen"),
    )
    assert response.status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.status == OpportunityStatus.PUBLISHED
    assert str(opportunity.deadline) == "2099-01-10"


def test_reopen_button(client):
    user, organisation = member()
    opportunity = OpportunityFactory(
        organisation=organisation, status=OpportunityStatus.EXPIRED, is_remote=True
    )
    url = reverse("opportunities:reopen", kwargs={"slug": opportunity.slug})
    outsider, _organisation = member()
    client.force_login(outsider)
    client.post(url)
    opportunity.refresh_from_db()
    assert opportunity.status == OpportunityStatus.EXPIRED
    client.force_login(user)
    client.post(url)
    opportunity.refresh_from_db()
    assert opportunity.status == OpportunityStatus.PUBLISHED


def test_imported_items_are_not_edited_here(client):
    opportunity = OpportunityFactory(organisation=None, source="dora", source_id="dora--1")
    client.force_login(coordinator())
    assert client.get(_edit(opportunity)).status_code == 403


def test_coordination_may_edit_any(client):
    opportunity = OpportunityFactory()
    client.force_login(coordinator())
    assert client.get(_edit(opportunity)).status_code == 200


# --- Mine --------------------------------------------------------------------------------


def test_mine_lists_my_organisations_by_status(client):
    user, organisation = member()
    draft = OpportunityFactory(organisation=organisation, status=OpportunityStatus.DRAFT)
    published = OpportunityFactory(organisation=organisation)
    other = OpportunityFactory()
    client.force_login(user)
    page = client.get(reverse("opportunities:mine")).content.decode()
    assert draft.title in page and published.title in page
    assert other.title not in page
    assert page.index("Brouillon") < page.index("Publiée")


# --- Geocoding (a real local HTTP server speaking the Géoplateforme's format) -------------


@pytest.fixture
def fresh_qpv_index():
    """The QPV index is cached per process: built here from this test's QPVs, then dropped."""
    from quartiers40.territories.lookup import qpv_index_invalidate

    qpv_index_invalidate()
    yield
    qpv_index_invalidate()


def test_places_are_geocoded_and_their_qpvs_shown(client, http_server, settings, fresh_qpv_index):
    from tests.territories import fake_geocoder
    from tests.territories.factories import GoutteDOrFactory, QPVFactory, box

    settings.GEOCODER_ENABLED = True
    fake_geocoder.install(http_server, settings)
    GoutteDOrFactory()
    QPVFactory(name="La Chapelle", geometry=box(2.36, 48.886, 0.005))  # a few hundred m east
    user, organisation = member()
    client.force_login(user)
    places = [
        {
            "name": "Centre",
            "address": "20 rue de la Goutte d'Or",
            "postcode": "75018",
            "commune_name": "Paris",
        },
        {"name": "Ailleurs", "address": "Nulle part", "commune_name": "Inconnue"},
    ]
    client.post(CREATE, form_data(organisation, places=places))
    opportunity = Opportunity.objects.get()
    located, unplaced = opportunity.places.order_by("pk")
    assert located.geocoding == "geocoded" and located.commune_code == "75118"
    assert unplaced.geocoding == "unplaced"
    page = client.get(_edit(opportunity)).content.decode()
    assert "dans le quartier prioritaire Goutte D&#x27;Or" in page
    assert "du quartier prioritaire La Chapelle" in page
    assert "Adresse non localisée" in page
    searched = [r.query["q"][0] for r in http_server.requests]
    assert len(searched) == 2
    # Saved again unchanged: nobody asks the geocoder again.
    client.post(_edit(opportunity), form_data(places=places, title="Autre titre"))
    assert len(http_server.requests) == 2
