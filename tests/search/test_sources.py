"""The search's sources: every kind's public items, and nothing else, as complete records."""

from dataclasses import asdict
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from quartiers40.challenges.enums import ChallengeStatus, ModerationState
from quartiers40.meetings.enums import AgendaItemKind, EditionFormat, EditionStatus, SeriesStatus
from quartiers40.members.enums import OrganisationStatus, Role
from quartiers40.opportunities.enums import OpportunityStatus
from quartiers40.opportunities.models import OpportunityPlaceQPV
from quartiers40.projects.enums import ProjectStatus, Stage
from quartiers40.search.enums import DocumentKind, DocumentState
from quartiers40.search.sources import kind_sources, kind_sources_for_topics
from quartiers40.search.sources._common import plain_text, shorten
from quartiers40.search.sources.communes import commune_code_of, commune_object_id
from quartiers40.territories.models import QPVCommune
from tests.challenges.factories import ChallengeFactory
from tests.meetings.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    EditionFactory,
    LocalSeriesFactory,
)
from tests.members.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.opportunities.factories import OpportunityFactory, PlaceFactory, SessionFactory
from tests.opportunities.public_fixtures import commune
from tests.projects.factories import ProjectFactory, PublishedProjectFactory
from tests.territories.factories import GoutteDOrFactory, QPVFactory, box

pytestmark = pytest.mark.django_db

SECRET_NAME = "Zébulon Secretname"
SECRET_EMAIL = "zebulon.secretname@exemple.fr"


@pytest.fixture
def goutte_dor():
    qpv = GoutteDOrFactory()
    paris = commune("75056", "Paris", ["75018"], "75")
    QPVCommune.objects.create(qpv=qpv, commune=paris)
    return qpv


@pytest.fixture
def saint_denis():
    return commune("93066", "Saint-Denis", ["93200", "93210"], "93")


def source(kind):
    return kind_sources()[kind]


def stamp_ids(kind):
    return {object_id for object_id, _updated_at in source(kind).stamps()}


def build_one(kind, object_id):
    records = source(kind).build([object_id])
    assert len(records) == 1
    return records[0]


def absent(kind, *object_ids):
    assert not set(object_ids) & stamp_ids(kind)
    assert source(kind).build(list(object_ids)) == []


def assert_page(client, record):
    response = client.get(record.url)
    assert response.status_code == 200, record.url


def all_text(record) -> str:
    return " ".join(str(value) for value in asdict(record).values())


# --- The registry ---------------------------------------------------------------------


def test_every_kind_has_a_source_in_document_kind_order():
    sources = kind_sources()
    assert list(sources) == list(DocumentKind.values)
    for kind, kind_source in sources.items():
        assert kind_source.kind == kind
        assert kind_source.topics


def test_sources_for_topics():
    kinds = {s.kind for s in kind_sources_for_topics(["projects"])}
    assert DocumentKind.PROJECT in kinds
    assert DocumentKind.QPV not in kinds
    assert {s.kind for s in kind_sources_for_topics(["territories"])} >= {
        DocumentKind.QPV,
        DocumentKind.COMMUNE,
        DocumentKind.PROJECT,
    }
    assert [s.kind for s in kind_sources_for_topics(["opportunities"])] == [
        DocumentKind.OPPORTUNITY,
        DocumentKind.COMMUNE,
    ]
    assert kind_sources_for_topics(["nothing"]) == []


# --- Projects ---------------------------------------------------------------------------


def test_published_project_record(client, goutte_dor):
    partner = OrganisationFactory(name="Les Partenaires du Nord")
    project = PublishedProjectFactory(
        title="Assistant des démarches",
        results="Deux cents personnes aidées.",
        funding="Fonds de la ville.",
    )
    project.qpvs.add(goutte_dor)
    project.partners.add(partner)

    record = build_one(DocumentKind.PROJECT, project.pk)

    assert record.title == "Assistant des démarches"
    assert record.url == f"/projets/{project.slug}/"
    assert record.summary == project.easy_read_summary
    assert "assistant conversationnel" in record.body
    assert "**" not in record.body
    assert "Deux cents personnes" in record.body and "Fonds de la ville" in record.body
    assert {"Services publics", "Langage et texte", "Expérimentation", "Habitants"} <= set(
        record.tags
    )
    assert {project.carrier.name, "Association", "Les Partenaires du Nord"} <= set(record.tags)
    assert record.places[:2] == ("Goutte D'Or", "Paris")
    assert "Seine-Saint-Denis" in record.places  # its department of its own
    assert record.qpv_codes == ("QN07511M",)
    assert record.commune_codes == ("75056",)
    assert set(record.department_codes) == {"75", "93"}
    assert record.point == (goutte_dor.centroid_lat, goutte_dor.centroid_lon)
    assert record.place_label == "Goutte D'Or, Paris"
    assert record.state == DocumentState.ACTIVE
    assert record.status_label == "Expérimentation"
    assert record.updated_at == project.last_updated_at
    assert (project.pk, project.last_updated_at) in set(source(DocumentKind.PROJECT).stamps())
    assert_page(client, record)


def test_stopped_or_ended_project_is_closed():
    stopped = PublishedProjectFactory(stage=Stage.STOPPED)
    ended = PublishedProjectFactory(
        started_on=timezone.localdate() - timedelta(days=400),
        ended_on=timezone.localdate() - timedelta(days=1),
    )
    records = source(DocumentKind.PROJECT).build([stopped.pk, ended.pk])
    assert {record.state for record in records} == {DocumentState.CLOSED}


@pytest.mark.parametrize(
    "status",
    [ProjectStatus.DRAFT, ProjectStatus.SUBMITTED, ProjectStatus.RETURNED, ProjectStatus.ARCHIVED],
)
def test_unpublished_projects_are_absent(status):
    project = ProjectFactory(status=status)
    absent(DocumentKind.PROJECT, project.pk)


# --- Défis ------------------------------------------------------------------------------


def test_visible_challenge_record(client, goutte_dor):
    challenge = ChallengeFactory(title="L'école en ligne")
    challenge.qpvs.add(goutte_dor)

    record = build_one(DocumentKind.CHALLENGE, challenge.pk)

    assert record.title == "L'école en ligne"
    assert record.url == f"/defis/{challenge.slug}/"
    assert record.summary == challenge.situation
    assert challenge.affected in record.body and challenge.solved_when in record.body
    assert "Éducation" in record.tags
    assert record.places[:2] == ("Goutte D'Or", "Paris")
    assert record.qpv_codes == ("QN07511M",)
    assert record.commune_codes == ("75056",)
    assert record.department_codes == ("75",)
    assert record.state == DocumentState.ACTIVE
    assert record.status_label == "Ouvert"
    # The author is a resident with a private profile: nothing of theirs.
    assert challenge.author.display_name not in all_text(record)
    assert challenge.author.email not in all_text(record)
    assert_page(client, record)


def test_solved_challenge_is_closed_with_its_outcome():
    challenge = ChallengeFactory(
        status=ChallengeStatus.SOLVED, outcome_result="Ateliers tous les mercredis"
    )
    record = build_one(DocumentKind.CHALLENGE, challenge.pk)
    assert record.state == DocumentState.CLOSED
    assert record.status_label == "Résolu"
    assert "Ateliers tous les mercredis" in record.body


def test_pending_hidden_and_merged_challenges_are_absent():
    pending = ChallengeFactory(moderation=ModerationState.PENDING)
    hidden = ChallengeFactory(moderation=ModerationState.HIDDEN)
    target = ChallengeFactory()
    merged = ChallengeFactory(merged_into=target)
    absent(DocumentKind.CHALLENGE, pending.pk, hidden.pk, merged.pk)
    assert target.pk in stamp_ids(DocumentKind.CHALLENGE)


# --- Opportunities ------------------------------------------------------------------------


def test_published_opportunity_record(client, goutte_dor):
    near = QPVFactory(name="Quartier voisin")
    opportunity = OpportunityFactory(
        title="Ordinateur pas à pas",
        eligibility_details="Pour les adultes du quartier.",
        situations=["job_seeker"],
        contact_email="contact.prive@exemple.fr",
        contact_phone="01 23 45 67 89",
    )
    place = PlaceFactory(opportunity=opportunity)
    OpportunityPlaceQPV.objects.create(place=place, qpv=goutte_dor, distance_m=0)
    OpportunityPlaceQPV.objects.create(place=place, qpv=near, distance_m=800)
    SessionFactory(opportunity=opportunity, details="Session du printemps")

    record = build_one(DocumentKind.OPPORTUNITY, opportunity.pk)

    assert record.title == "Ordinateur pas à pas"
    assert record.url == f"/opportunites/{opportunity.slug}/"
    assert record.summary == opportunity.summary
    assert "Pour les adultes du quartier." in record.body
    assert "Maison de quartier" in record.body and "Session du printemps" in record.body
    assert {"Formation", "Gratuit", "Je cherche un emploi", opportunity.organisation.name} <= set(
        record.tags
    )
    assert record.places[:2] == ("Goutte D'Or", "Paris")
    assert "Quartier voisin" not in record.places  # near, not in it
    assert record.qpv_codes == ("QN07511M", near.code)
    assert record.commune_codes == ("75056",)
    assert record.department_codes == ("75",)
    assert record.point == (48.8850, 2.3540)
    assert record.state == DocumentState.ACTIVE
    assert "contact.prive" not in all_text(record) and "01 23 45" not in all_text(record)
    assert_page(client, record)


def test_remote_opportunity_has_no_place():
    opportunity = OpportunityFactory(is_remote=True)
    record = build_one(DocumentKind.OPPORTUNITY, opportunity.pk)
    assert record.places == ()
    assert record.place_label == "À distance"
    assert record.point is None


def test_opportunity_past_its_deadline_is_closed():
    opportunity = OpportunityFactory(deadline=timezone.localdate() - timedelta(days=1))
    record = build_one(DocumentKind.OPPORTUNITY, opportunity.pk)
    assert record.state == DocumentState.CLOSED
    assert record.status_label == "Terminée"


@pytest.mark.parametrize(
    "status",
    [
        OpportunityStatus.DRAFT,
        OpportunityStatus.SUBMITTED,
        OpportunityStatus.RETURNED,
        OpportunityStatus.EXPIRED,
        OpportunityStatus.WITHDRAWN,
    ],
)
def test_unpublished_opportunities_are_absent(status):
    opportunity = OpportunityFactory(status=status)
    absent(DocumentKind.OPPORTUNITY, opportunity.pk)


# --- Organisations ------------------------------------------------------------------------


def test_member_organisation_record_without_its_people(client, goutte_dor):
    organisation = OrganisationFactory(
        name="Les Amis du Numérique",
        description=f"Une association de quartier. Écrire à {SECRET_EMAIL} ou au 06 12 34 56 78.",
        commune_code="93066",
    )
    organisation.qpvs.add(goutte_dor)
    person = UserFactory(
        display_name=SECRET_NAME, email=SECRET_EMAIL, phone="0698765432", profile_public=True
    )
    MembershipFactory(organisation=organisation, user=person, role=Role.ADMIN)

    record = build_one(DocumentKind.ORGANISATION, organisation.pk)

    assert record.title == "Les Amis du Numérique"
    assert record.url == f"/organisations/{organisation.slug}/"
    assert record.summary.startswith("Une association de quartier.")
    assert record.tags == ("Association",)
    assert record.places[:2] == ("Saint-Denis", "Goutte D'Or")
    assert record.place_label == "Saint-Denis"
    assert record.qpv_codes == ("QN07511M",)
    assert set(record.commune_codes) == {"93066", "75056"}
    assert set(record.department_codes) == {"93", "75"}
    text = all_text(record)
    for secret in ("Zébulon", "Secretname", SECRET_EMAIL, "06 12 34 56 78", "0698765432"):
        assert secret not in text
    assert_page(client, record)


@pytest.mark.parametrize("status", [OrganisationStatus.CANDIDATE, OrganisationStatus.REFUSED])
def test_organisations_outside_the_collective_are_absent(status):
    organisation = OrganisationFactory(status=status, joined_at=None)
    absent(DocumentKind.ORGANISATION, organisation.pk)


def test_no_record_of_any_kind_names_an_organisations_people(goutte_dor, saint_denis):
    """An organisation with a person everywhere a person could be attached: carrier of a
    project, author of a défi, provider of an opportunity, series owner, organiser, action
    owner, agenda speaker."""
    organisation = OrganisationFactory(name="Collectif Horizon")
    person = UserFactory(display_name=SECRET_NAME, email=SECRET_EMAIL, profile_public=True)
    MembershipFactory(organisation=organisation, user=person, role=Role.ADMIN)
    project = PublishedProjectFactory(carrier=organisation, created_by=person)
    project.qpvs.add(goutte_dor)
    ChallengeFactory(author=person, organisation=organisation)
    OpportunityFactory(organisation=organisation, created_by=person)
    edition = EditionFactory(
        series=LocalSeriesFactory(organisation=organisation),
        minutes="Tout s'est bien passé.",
        minutes_published_at=timezone.now(),
    )
    edition.organisers.add(person)
    AgendaItemFactory(edition=edition, speakers=SECRET_NAME, project=project)
    ActionItemFactory(edition=edition, owner_organisation=organisation, owner_user=person)

    for kind_source in kind_sources().values():
        ids = [object_id for object_id, _updated_at in kind_source.stamps()]
        for record in kind_source.build(ids):
            text = all_text(record)
            assert "Zébulon" not in text and "Secretname" not in text, record.kind
            assert SECRET_EMAIL not in text, record.kind


# --- Meetings: editions, agenda items, minutes -----------------------------------------


def test_upcoming_edition_record(client, saint_denis):
    edition = EditionFactory(title="Petit déj à Saint-Denis", description="On parle d'IA.")
    AgendaItemFactory(edition=edition, title="Le projet des démarches")

    record = build_one(DocumentKind.EDITION, edition.pk)

    assert record.title == "Petit déj à Saint-Denis"
    assert record.url == f"/rencontres/{edition.slug}/"
    assert record.summary == "On parle d'IA."
    assert "Le projet des démarches" in record.body
    assert edition.series.name in record.tags
    assert record.places == ("Saint-Denis", "Seine-Saint-Denis")
    assert record.commune_codes == ("93066",)
    assert record.department_codes == ("93",)
    assert record.place_label == "Saint-Denis"
    assert record.state == DocumentState.ACTIVE
    assert record.status_label == "À venir"
    assert record.extra["starts_at"] == edition.starts_at.isoformat()
    assert_page(client, record)


def test_past_and_cancelled_editions_are_closed():
    past = EditionFactory(starts_at=timezone.now() - timedelta(days=3))
    cancelled = EditionFactory(status=EditionStatus.CANCELLED)
    online = EditionFactory(format=EditionFormat.ONLINE, address="")
    records = {
        r.object_id: r
        for r in source(DocumentKind.EDITION).build([past.pk, cancelled.pk, online.pk])
    }
    assert records[past.pk].state == DocumentState.CLOSED
    assert records[past.pk].status_label == "Passée"
    assert records[cancelled.pk].state == DocumentState.CLOSED
    assert records[cancelled.pk].status_label == "Annulée"
    assert records[online.pk].place_label == "En ligne"
    assert records[online.pk].places == ()


def test_draft_editions_and_editions_of_unapproved_series_are_absent():
    draft = EditionFactory(status=EditionStatus.DRAFT)
    pending = EditionFactory(series=LocalSeriesFactory(status=SeriesStatus.PENDING))
    refused = EditionFactory(series=LocalSeriesFactory(status=SeriesStatus.REFUSED))
    absent(DocumentKind.EDITION, draft.pk, pending.pk, refused.pk)
    items = [AgendaItemFactory(edition=edition) for edition in (draft, pending, refused)]
    absent(DocumentKind.AGENDA_ITEM, *(item.pk for item in items))


def test_agenda_item_record(client, saint_denis):
    project = PublishedProjectFactory(title="Assistant des démarches")
    draft = ProjectFactory(title="Projet encore secret")
    edition = EditionFactory(title="Rencontre de mai")
    item = AgendaItemFactory(
        edition=edition, title="Présentation", kind=AgendaItemKind.PITCH, project=project
    )
    hidden_subject = AgendaItemFactory(edition=edition, project=draft)
    pause = AgendaItemFactory(edition=edition, kind=AgendaItemKind.BREAK)

    record = build_one(DocumentKind.AGENDA_ITEM, item.pk)

    assert record.title == "Présentation"
    assert record.url == f"/rencontres/{edition.slug}/#agenda"
    assert "Rencontre de mai" in record.summary
    assert "Assistant des démarches" in record.body
    assert record.tags[0] == "Présentation"
    assert record.places == ("Saint-Denis", "Seine-Saint-Denis")
    assert record.updated_at is None
    assert_page(client, record)
    assert "Projet encore secret" not in all_text(
        build_one(DocumentKind.AGENDA_ITEM, hidden_subject.pk)
    )
    absent(DocumentKind.AGENDA_ITEM, pause.pk)


def test_minutes_record(client, saint_denis):
    edition = EditionFactory(
        title="Rencontre de mars",
        starts_at=timezone.now() - timedelta(days=10),
        minutes="## Ce qui a été dit\n\nLes **ateliers** continuent.",
        minutes_published_at=timezone.now(),
    )
    action = ActionItemFactory(edition=edition, title="Écrire la charte")

    record = build_one(DocumentKind.MINUTES, edition.pk)

    assert record.title == "Compte rendu : Rencontre de mars"
    assert record.url == f"/rencontres/{edition.slug}/#minutes"
    assert "Les ateliers continuent." in record.body
    assert "Écrire la charte" in record.body
    assert record.places == ("Saint-Denis", "Seine-Saint-Denis")
    assert record.state == DocumentState.CLOSED
    assert record.updated_at == max(edition.updated_at, action.updated_at)
    assert_page(client, record)


def test_unpublished_minutes_are_absent():
    unpublished = EditionFactory(minutes="Brouillon du compte rendu")
    empty = EditionFactory(minutes="  ", minutes_published_at=timezone.now())
    draft = EditionFactory(
        status=EditionStatus.DRAFT, minutes="Texte", minutes_published_at=timezone.now()
    )
    absent(DocumentKind.MINUTES, unpublished.pk, empty.pk, draft.pk)


# --- Territories --------------------------------------------------------------------------


def test_current_qpv_record(client, goutte_dor):
    record = build_one(DocumentKind.QPV, goutte_dor.pk)

    assert record.title == "Goutte D'Or"
    assert record.url == "/territoires/qpv/QN07511M/"
    assert record.summary == "Quartier prioritaire de Paris (Paris)"
    assert record.tags == ("quartier prioritaire", "QPV")
    assert record.places == ("Paris", "Île-de-France")
    assert record.qpv_codes == ("QN07511M",)
    assert record.commune_codes == ("75056",)
    assert record.department_codes == ("75",)
    assert record.point == (goutte_dor.centroid_lat, goutte_dor.centroid_lon)
    assert record.updated_at == goutte_dor.updated_at
    assert_page(client, record)


def test_qpvs_no_longer_in_force_are_absent():
    inactive = QPVFactory(is_active=False)
    former = QPVFactory(generation=2015)
    absent(DocumentKind.QPV, inactive.pk, former.pk)


def test_commune_with_a_qpv(client, goutte_dor):
    record = build_one(DocumentKind.COMMUNE, commune_object_id("75056"))

    assert record.title == "Paris"
    assert record.url == "/territoires/?q=75056"
    assert record.summary == "Commune (Paris) : 1 quartier prioritaire"
    assert "Goutte D'Or" in record.body
    assert record.qpv_codes == ("QN07511M",)
    assert record.commune_codes == ("75056",)
    assert record.department_codes == ("75",)
    assert record.point == (goutte_dor.centroid_lat, goutte_dor.centroid_lon)
    response = client.get(record.url)
    assert response.status_code == 200
    assert "Goutte D" in response.content.decode()


def test_commune_with_an_opportunity_only(client, saint_denis):
    opportunity = OpportunityFactory()
    PlaceFactory(
        opportunity=opportunity, commune_code="93066", commune_name="Saint-Denis", postcode="93200"
    )
    record = build_one(DocumentKind.COMMUNE, commune_object_id("93066"))
    assert record.url.startswith("/opportunites/?")
    assert record.qpv_codes == ()
    assert_page(client, record)


def test_communes_with_nothing_public_are_absent(saint_denis):
    commune("93001", "Aubervilliers", ["93300"], "93")
    OpportunityFactory(status=OpportunityStatus.DRAFT)
    PlaceFactory(
        opportunity=OpportunityFactory(status=OpportunityStatus.DRAFT), commune_code="93001"
    )
    absent(DocumentKind.COMMUNE, commune_object_id("93066"), commune_object_id("93001"))


@pytest.mark.parametrize("code", ["93066", "01001", "97411", "2A004", "2B033"])
def test_commune_object_ids_round_trip(code):
    assert commune_code_of(commune_object_id(code)) == code


# --- Query counts: constant whatever the batch --------------------------------------------


def _make_projects(n, qpv):
    for _index in range(n):
        project = PublishedProjectFactory()
        project.qpvs.add(qpv)
        project.partners.add(OrganisationFactory())


def _make_challenges(n, qpv):
    for _index in range(n):
        ChallengeFactory().qpvs.add(qpv)


def _make_opportunities(n, qpv):
    for _index in range(n):
        place = PlaceFactory()
        OpportunityPlaceQPV.objects.create(place=place, qpv=qpv)
        SessionFactory(opportunity=place.opportunity)


def _make_organisations(n, qpv):
    for _index in range(n):
        OrganisationFactory().qpvs.add(qpv)


def _make_editions(n, qpv):
    for _index in range(n):
        edition = EditionFactory(minutes="Compte rendu.", minutes_published_at=timezone.now())
        AgendaItemFactory(edition=edition, project=PublishedProjectFactory())
        ActionItemFactory(edition=edition)


def _make_qpvs(n, qpv):
    for index in range(n):
        QPVFactory(geometry=box(2.0 + index / 10, 48.0))


def _make_communes(n, qpv):
    for index in range(n):
        code = f"93{index + 100:03d}"
        linked = commune(code, f"Commune {index}", [], "93")
        QPVCommune.objects.create(qpv=QPVFactory(), commune=linked)


MAKERS = {
    DocumentKind.PROJECT: _make_projects,
    DocumentKind.CHALLENGE: _make_challenges,
    DocumentKind.OPPORTUNITY: _make_opportunities,
    DocumentKind.ORGANISATION: _make_organisations,
    DocumentKind.EDITION: _make_editions,
    DocumentKind.AGENDA_ITEM: _make_editions,
    DocumentKind.MINUTES: _make_editions,
    DocumentKind.QPV: _make_qpvs,
    DocumentKind.COMMUNE: _make_communes,
}


def _queries_to_build(kind, ids):
    with CaptureQueriesContext(connection) as queries:
        records = source(kind).build(ids)
    return len(queries), records


@pytest.mark.parametrize("kind", list(DocumentKind))
def test_build_takes_as_many_queries_for_one_item_as_for_twenty(kind, goutte_dor, saint_denis):
    MAKERS[kind](20, goutte_dor)
    ids = sorted(stamp_ids(kind))
    assert len(ids) >= 20
    one, records = _queries_to_build(kind, ids[:1])
    assert len(records) == 1
    twenty, records = _queries_to_build(kind, ids[:20])
    assert len(records) == 20
    assert one == twenty


def test_stamps_take_a_constant_number_of_queries(goutte_dor):
    # Communes: their codes with a QPV, those with a public place, then the communes.
    expected = {"commune": 3}
    _make_projects(3, goutte_dor)
    for kind_source in kind_sources().values():
        with CaptureQueriesContext(connection) as queries:
            list(kind_source.stamps())
        assert len(queries) == expected.get(kind_source.kind, 1), kind_source.kind


# --- Texts ---------------------------------------------------------------------------------


def test_plain_text_drops_markup_links_and_contacts():
    text = plain_text(
        "## Titre\n\nUn **texte** avec [un lien](https://exemple.fr) et `du code`.\n\n"
        "- écrire à jean@exemple.fr\n- appeler le +33 6 12 34 56 78"
    )
    assert text.startswith("Titre\n\nUn texte avec un lien et du code.")
    assert "https" not in text and "@" not in text and "12 34" not in text


def test_shorten_cuts_between_words():
    text = shorten("mot " * 100, 20)
    assert len(text) <= 20
    assert text.endswith("mot…")
