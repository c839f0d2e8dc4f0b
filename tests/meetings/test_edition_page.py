"""The edition page and the list as a newcomer reads them (issue 11): the key facts and the one
main action first, a look per status, filters that fold away."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quartiers40.meetings import selectors, services
from quartiers40.meetings.enums import EditionStatus
from tests.members.factories import UserFactory

from .factories import AgendaItemFactory, EditionFactory, HybridEditionFactory, SeriesFactory

pytestmark = pytest.mark.django_db


def detail(client, edition) -> str:
    return client.get(reverse("meetings:edition_detail", args=[edition.slug])).content.decode()


def past_edition(**fields):
    starts = timezone.now() - timedelta(days=30)
    return EditionFactory(starts_at=starts, ends_at=starts + timedelta(hours=2), **fields)


def test_edition_state_words():
    now = timezone.now()
    assert selectors.edition_state(EditionFactory(), now=now) == "open"
    assert selectors.edition_state(EditionFactory(status=EditionStatus.DRAFT), now=now) == "draft"
    cancelled = EditionFactory(status=EditionStatus.CANCELLED)
    assert selectors.edition_state(cancelled, now=now) == "cancelled"
    assert selectors.edition_state(past_edition(), now=now) == "past"
    full = HybridEditionFactory(onsite_capacity=1, online_capacity=1)
    services.registration_create(edition=full, actor=UserFactory(), attendance="on_site")
    assert selectors.edition_state(full, now=now) == "open"  # seats left online
    services.registration_create(edition=full, actor=UserFactory(), attendance="online")
    assert selectors.edition_state(full, now=now) == "full"
    counted = selectors.editions_with_seat_counts(selectors.editions_public()).get(pk=full.pk)
    assert selectors.edition_state(counted, now=now) == "full"


def test_the_key_facts_and_the_main_action_come_before_the_agenda(client):
    edition = EditionFactory(onsite_capacity=3, address="6 rue de la République, Saint-Denis")
    AgendaItemFactory(edition=edition, title="Accueil et café")
    page = detail(client, edition)
    facts, action, agenda = (
        page.index('class="card edition-facts"'),
        page.index("""class="button edition-main-action" href="#registration">S'inscrire<"""),
        page.index('id="agenda"'),
    )
    assert facts < action < agenda < page.index('id="registration"')
    key_facts = page[facts:agenda]
    assert "6 rue de la République, Saint-Denis" in key_facts
    assert "3 places restantes" in key_facts
    assert "edition-state-open" in page and "Inscriptions ouvertes" in page


def test_an_online_edition_says_en_ligne_where_it_happens(client):
    edition = HybridEditionFactory(format="online", address="")
    page = detail(client, edition)
    assert "<dt>Où</dt>" in page and "<strong>En ligne</strong>" in page


def test_a_full_edition_leads_to_the_waiting_list(client):
    edition = EditionFactory(onsite_capacity=1)
    services.registration_create(edition=edition, actor=UserFactory())
    page = detail(client, edition)
    assert "edition-state-full" in page and "Complet : liste d'attente" in page
    assert """edition-main-action" href="#registration">Rejoindre la liste d'attente<""" in page


def test_cancelled_and_past_editions_look_so_and_offer_no_registration(client):
    cancelled = EditionFactory(status=EditionStatus.CANCELLED, cancellation_reason="Grève.")
    page = detail(client, cancelled)
    assert "edition-state-cancelled" in page and "Cette rencontre est annulée." in page
    assert "edition-main-action" not in page and 'id="registration"' not in page
    past = past_edition()
    page = detail(client, past)
    assert "edition-state-past" in page and "Cette rencontre a eu lieu." in page
    assert "edition-main-action" not in page and 'id="registration"' not in page


def test_a_registered_person_sees_her_registration_as_the_main_action(client):
    edition = EditionFactory()
    user = UserFactory()
    services.registration_create(edition=edition, actor=user)
    client.force_login(user)
    page = detail(client, edition)
    assert "Voir ou annuler mon inscription" in page
    assert (
        "edition-main-action" not in page and '<form method="post" action="/rencontres' not in page
    )


# The list: filters in a <details>, closed unless a filter is active; each card its status.


def test_list_filters_fold_away_unless_one_is_active(client):
    page = client.get(reverse("meetings:list")).content.decode()
    assert '<details class="list-filters">' in page
    page = client.get(reverse("meetings:list"), {"attendance": "online"}).content.decode()
    assert '<details class="list-filters" open>' in page
    assert "Tout effacer" in page


def test_list_filters_by_attendance_and_series(client):
    series = SeriesFactory(name="Ateliers de Sevran")
    on_site = EditionFactory(title="Sur place seulement", series=series)
    online = HybridEditionFactory(title="À distance", format="online", address="")
    hybrid = HybridEditionFactory(title="Les deux")
    url = reverse("meetings:list")

    def titles(**query):
        page = client.get(url, query).content.decode()
        return {e.title for e in (on_site, online, hybrid) if f">{e.title}<" in page}

    assert titles() == {"Sur place seulement", "À distance", "Les deux"}
    assert titles(attendance="on_site") == {"Sur place seulement", "Les deux"}
    assert titles(attendance="online") == {"À distance", "Les deux"}
    assert titles(serie=series.slug) == {"Sur place seulement"}
    # An unknown value is ignored, not an error.
    assert client.get(url, {"serie": "nope"}).status_code == 200


def test_list_cards_show_each_status(client):
    EditionFactory(title="Ouverte")
    full = EditionFactory(title="Pleine", onsite_capacity=1)
    services.registration_create(edition=full, actor=UserFactory())
    past_edition(title="Ancienne")
    page = client.get(reverse("meetings:list")).content.decode()
    for state in ("open", "full", "past"):
        assert f"edition-state-{state}" in page
