import re
from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from quartiers40.meetings import ics, services
from quartiers40.meetings.enums import (
    ActionItemStatus,
    EditionStatus,
    RegistrationStatus,
    SeriesStatus,
)
from quartiers40.meetings.models import ActionItem, Edition, Registration, Series
from tests.members.factories import CoordinatorFactory, MembershipFactory, UserFactory
from tests.projects.factories import PublishedProjectFactory

from .factories import (
    ActionItemFactory,
    AgendaItemFactory,
    EditionFactory,
    HybridEditionFactory,
    LocalSeriesFactory,
)

pytestmark = pytest.mark.django_db


def organiser_of(edition):
    organiser = UserFactory()
    edition.organisers.add(organiser)
    return organiser


def test_list_shows_upcoming_and_past_editions_not_drafts(client):
    upcoming = EditionFactory(title="Petit déj de printemps")
    past = EditionFactory(
        title="Petit déj d'hiver",
        starts_at=timezone.now() - timedelta(days=60),
        ends_at=timezone.now() - timedelta(days=60, hours=-2),
    )
    EditionFactory(title="Brouillon secret", status=EditionStatus.DRAFT)
    page = client.get(reverse("meetings:list")).content.decode()
    assert upcoming.title in page and past.title in page.replace("&#x27;", "'")
    assert "Brouillon secret" not in page


def test_draft_edition_is_hidden_from_the_public(client):
    edition = EditionFactory(status=EditionStatus.DRAFT)
    assert client.get(reverse("meetings:edition_detail", args=[edition.slug])).status_code == 404
    client.force_login(organiser_of(edition))
    assert client.get(reverse("meetings:edition_detail", args=[edition.slug])).status_code == 200


def test_edition_page_shows_times_in_paris_and_seats_left(client):
    starts = timezone.make_aware(
        timezone.datetime(2031, 3, 12, 8, 30), timezone.get_fixed_timezone(60)
    )
    edition = EditionFactory(
        starts_at=starts, ends_at=starts + timedelta(hours=2), onsite_capacity=3
    )
    services.registration_create(edition=edition, actor=UserFactory())
    page = client.get(reverse("meetings:edition_detail", args=[edition.slug])).content.decode()
    assert "de 08:30 à 10:30" in page
    assert "2 places restantes" in page
    assert edition.accessibility_info in page


def test_online_link_only_for_confirmed_registrants_and_organisers(client):
    edition = HybridEditionFactory(online_capacity=1)
    url = reverse("meetings:edition_detail", args=[edition.slug])
    assert edition.online_url not in client.get(url).content.decode()
    confirmed, waiting = UserFactory(), UserFactory()
    services.registration_create(edition=edition, actor=confirmed, attendance="online")
    services.registration_create(edition=edition, actor=waiting, attendance="online")
    client.force_login(waiting)
    assert edition.online_url not in client.get(url).content.decode()
    client.force_login(confirmed)
    assert edition.online_url in client.get(url).content.decode()
    client.force_login(organiser_of(edition))
    assert edition.online_url in client.get(url).content.decode()


def test_registration_without_account_through_the_pages(client, django_capture_on_commit_callbacks):
    edition = EditionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("meetings:register", args=[edition.slug]),
            {"attendance": "on_site", "name": "Lina Haddad", "email": "lina@exemple.fr"},
        )
    assert "confirmez votre adresse e-mail" in response.content.decode()
    registration = Registration.objects.get()
    assert registration.status == RegistrationStatus.PENDING_CONFIRMATION
    link = re.search(r"http://\S+/confirmer/", mail.outbox[0].body).group(0)
    path = urlparse(link).path
    assert client.get(path).status_code == 200  # a button: mail scanners do not confirm
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.PENDING_CONFIRMATION
    response = client.post(path, follow=True)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert "Inscription confirmée" in response.content.decode()


def test_invalid_registration_keeps_what_was_typed(client):
    edition = EditionFactory()
    response = client.post(
        reverse("meetings:register", args=[edition.slug]),
        {"attendance": "on_site", "name": "Lina Haddad", "email": "pas-une-adresse"},
    )
    page = response.content.decode()
    assert 'value="Lina Haddad"' in page
    assert "aria-describedby" in page
    assert not Registration.objects.exists()


def test_anonymous_registrations_are_rate_limited(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "meeting_registration_ip": (2, 3600)}
    edition = EditionFactory()
    for n in range(3):
        client.post(
            reverse("meetings:register", args=[edition.slug]),
            {"attendance": "on_site", "name": f"P{n}", "email": f"p{n}@exemple.fr"},
        )
    assert Registration.objects.count() == 2


def test_signed_in_registration_and_cancellation_from_the_link(client):
    edition = EditionFactory()
    person = UserFactory()
    client.force_login(person)
    response = client.post(
        reverse("meetings:register", args=[edition.slug]), {"attendance": "on_site"}
    )
    registration = Registration.objects.get()
    assert response.url == reverse("meetings:registration_manage", args=[registration.token])
    client.logout()  # the link works without signing in
    cancel = reverse("meetings:registration_cancel", args=[registration.token])
    assert "Oui, j'annule" in client.get(cancel).content.decode()
    client.post(cancel)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED


def test_accepting_an_offer_through_the_page(client):
    edition = EditionFactory(onsite_capacity=1)
    first = services.registration_create(edition=edition, actor=UserFactory())
    second = services.registration_create(edition=edition, actor=UserFactory())
    services.registration_cancel_from_link(registration=first)
    url = reverse("meetings:registration_accept_offer", args=[second.token])
    assert "Je prends cette place" in client.get(url).content.decode()
    client.post(url)
    second.refresh_from_db()
    assert second.status == RegistrationStatus.CONFIRMED


def test_unknown_token_is_404(client):
    assert client.get(reverse("meetings:registration_cancel", args=["nope"])).status_code == 404


def test_mediator_registers_a_resident(client):
    edition = EditionFactory()
    mediator = MembershipFactory().user
    client.force_login(mediator)
    url = reverse("meetings:register_on_behalf", args=[edition.slug])
    assert client.get(url).status_code == 200
    client.post(url, {"attendance": "on_site", "name": "Mme Benali", "consent": "on"})
    registration = Registration.objects.get()
    assert registration.registered_by == mediator
    page = client.get(reverse("meetings:my_registrations")).content.decode()
    assert "Mme Benali" in page
    # Never on the public page.
    client.logout()
    assert (
        "Benali"
        not in client.get(reverse("meetings:edition_detail", args=[edition.slug])).content.decode()
    )


def test_registrants_page_and_csv_show_notes_to_organisers_only(client):
    edition = EditionFactory()
    services.registration_create(
        edition=edition,
        actor=UserFactory(display_name="Awa"),
        accessibility_needs="Fauteuil roulant",
        dietary_notes="Sans porc",
    )
    client.force_login(UserFactory())
    assert client.get(reverse("meetings:registrants", args=[edition.slug])).status_code == 403
    assert client.get(reverse("meetings:registrants_csv", args=[edition.slug])).status_code == 403
    client.force_login(organiser_of(edition))
    page = client.get(reverse("meetings:registrants", args=[edition.slug])).content.decode()
    assert "Fauteuil roulant" in page and "Sans porc" in page
    response = client.get(reverse("meetings:registrants_csv", args=[edition.slug]))
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8-sig")
    assert body.splitlines()[0].startswith("nom,email")
    assert "Fauteuil roulant" in body


def test_pitch_apply_then_accept_builds_the_agenda(client):
    edition = EditionFactory(call_for_pitches_open=True)
    membership = MembershipFactory()
    project = PublishedProjectFactory(
        carrier=membership.organisation, title="Traduire les courriers"
    )
    client.force_login(membership.user)
    url = reverse("meetings:pitch_apply", args=[edition.slug])
    assert client.get(url).status_code == 200
    client.post(
        url,
        {"project": project.pk, "pitch": "Trois minutes de démonstration.", "speaker_name": "Awa"},
    )
    pitch = edition.pitches.get()
    organiser = organiser_of(edition)
    client.force_login(organiser)
    builder = reverse("meetings:agenda_builder", args=[edition.slug])
    assert "Traduire les courriers" in client.get(builder).content.decode()
    client.post(reverse("meetings:pitch_accept", args=[edition.slug, pitch.pk]))
    item = edition.agenda_items.get()
    assert item.project == project and item.speakers == "Awa"
    client.post(
        reverse("meetings:agenda_item_save", args=[edition.slug]),
        {
            "title": "Accueil café",
            "kind": "break",
            "duration_minutes": 15,
            "starts_at": "08:30",
        },
    )
    assert edition.agenda_items.count() == 2
    public = client.get(reverse("meetings:edition_detail", args=[edition.slug])).content.decode()
    assert "Traduire les courriers" in public and "Accueil café" in public


def test_minutes_and_actions_through_the_pages(client):
    edition = EditionFactory()
    organiser = organiser_of(edition)
    client.force_login(organiser)
    client.post(
        reverse("meetings:minutes_publish", args=[edition.slug]),
        {
            "minutes": "## Décisions\n\n<script>alert(1)</script>Un pilote à Sevran.",
            "replay_url": "",
            "slides_url": "",
        },
    )
    edition.refresh_from_db()
    assert edition.minutes_published_at is not None
    owner = MembershipFactory()
    client.post(
        reverse("meetings:actions_manage", args=[edition.slug]),
        {
            "title": "Lancer le pilote",
            "owner_organisation": owner.organisation.pk,
            "due_date": "2031-01-15",
        },
    )
    item = ActionItem.objects.get()
    page = client.get(reverse("meetings:edition_detail", args=[edition.slug])).content.decode()
    assert "Un pilote à Sevran" in page and "<script>alert" not in page
    assert "Lancer le pilote" in page
    client.force_login(owner.user)
    client.post(
        reverse("meetings:action_update", args=[item.pk]),
        {"status": "in_progress", "status_note": "Lancé"},
    )
    item.refresh_from_db()
    assert item.status == ActionItemStatus.IN_PROGRESS


def test_next_edition_shows_the_follow_up_of_the_previous_one_by_itself(client):
    series = EditionFactory().series
    now = timezone.now()
    previous = EditionFactory(
        series=series,
        starts_at=now - timedelta(days=90),
        ends_at=now - timedelta(days=90, hours=-2),
    )
    ActionItemFactory(
        edition=previous,
        title="Cartographier les lieux d'aide",
        due_date=timezone.localdate() - timedelta(days=3),
    )
    ActionItemFactory(
        edition=previous,
        title="Action terminée",
        status=ActionItemStatus.DONE,
        due_date=timezone.localdate() - timedelta(days=3),
    )
    following = EditionFactory(
        series=series, starts_at=now + timedelta(days=5), ends_at=now + timedelta(days=5, hours=2)
    )
    page = client.get(reverse("meetings:edition_detail", args=[following.slug])).content.decode()
    assert (
        "Suivi des actions de l&#x27;édition précédente" in page
        or "Suivi des actions de l'édition précédente" in page
    )
    assert "Cartographier les lieux d" in page
    # Overdue is said in words, not only with a colour; a done item is not overdue.
    assert page.count("En retard") == 1


def test_local_series_proposed_then_approved(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    client.post(
        reverse("meetings:series_create"),
        {
            "name": "Petit déj de Sevran",
            "organisation": membership.organisation.pk,
            "description": "",
        },
    )
    series = Series.objects.get()
    assert series.status == SeriesStatus.PENDING
    assert client.get(reverse("meetings:series_queue")).status_code == 403
    client.force_login(CoordinatorFactory())
    assert "Petit déj de Sevran" in client.get(reverse("meetings:series_queue")).content.decode()
    client.post(reverse("meetings:series_approve", args=[series.slug]))
    series.refresh_from_db()
    assert series.status == SeriesStatus.APPROVED


def test_organiser_creates_and_publishes_an_edition(client):
    series = LocalSeriesFactory()
    member = MembershipFactory(organisation=series.organisation).user
    client.force_login(member)
    response = client.post(
        reverse("meetings:edition_create", args=[series.slug]),
        {
            "title": "Petit déj de mai",
            "starts_at": "2031-05-12T08:30",
            "ends_at": "2031-05-12T10:30",
            "format": "on_site",
            "address": "Mairie de Sevran",
            "onsite_capacity": "30",
            "registration_open": "on",
        },
    )
    edition = Edition.objects.get()
    assert response.url == reverse("meetings:organiser_home", args=[edition.slug])
    assert timezone.localtime(edition.starts_at).hour == 8
    client.post(reverse("meetings:edition_publish", args=[edition.slug]))
    edition.refresh_from_db()
    assert edition.status == EditionStatus.PUBLISHED


def test_every_page_renders(client):
    edition = HybridEditionFactory(call_for_pitches_open=True)
    AgendaItemFactory(edition=edition)
    ActionItemFactory(edition=edition)
    organiser = organiser_of(edition)
    client.force_login(organiser)
    for name in (
        "edition_detail",
        "register",
        "register_on_behalf",
        "pitch_apply",
        "organiser_home",
        "edition_edit",
        "registrants",
        "checkin",
        "agenda_builder",
        "minutes_edit",
        "actions_manage",
    ):
        assert client.get(reverse(f"meetings:{name}", args=[edition.slug])).status_code == 200, name
    for name in ("list", "my_registrations", "series_create"):
        assert client.get(reverse(f"meetings:{name}")).status_code in (200, 403), name
    assert (
        client.get(reverse("meetings:series_detail", args=[edition.series.slug])).status_code == 200
    )


def test_calendar_links_on_the_edition_series_and_my_meetings_pages(client):
    edition = EditionFactory()
    page = client.get(reverse("meetings:edition_detail", args=[edition.slug])).content.decode()
    assert reverse("meetings_calendar:edition", args=[edition.slug]) in page
    series = edition.series
    page = client.get(reverse("meetings:series_detail", args=[series.slug])).content.decode()
    assert reverse("meetings_calendar:series", args=[series.slug]) in page
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("meetings:my_registrations")).content.decode()
    assert ics.personal_feed_url(user).replace(settings.SITE_URL, "http://testserver") in page


def test_a_full_edition_says_registering_joins_the_waiting_list(client):
    edition = EditionFactory(onsite_capacity=1)
    services.registration_create(edition=edition, actor=UserFactory())
    page = client.get(reverse("meetings:edition_detail", args=[edition.slug])).content.decode()
    assert "c&#x27;est complet" in page or "c'est complet" in page
    assert "liste d&#x27;attente" in page or "liste d'attente" in page


def test_an_online_edition_cannot_be_published_without_its_link(client):
    edition = HybridEditionFactory(status=EditionStatus.DRAFT, online_url="")
    client.force_login(organiser_of(edition))
    response = client.post(reverse("meetings:edition_publish", args=[edition.slug]), follow=True)
    edition.refresh_from_db()
    assert edition.status == EditionStatus.DRAFT
    assert "Indiquez le lien de connexion avant de publier" in response.content.decode()
    edition.online_url = "https://visio.exemple.fr/salle"
    edition.save()
    client.post(reverse("meetings:edition_publish", args=[edition.slug]))
    edition.refresh_from_db()
    assert edition.status == EditionStatus.PUBLISHED
