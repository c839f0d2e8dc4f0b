from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from quartiers40.meetings import selectors, services
from quartiers40.meetings.enums import ActionItemStatus
from tests.members.factories import CoordinatorFactory, MembershipFactory, UserFactory

from .factories import ActionItemFactory, EditionFactory

pytestmark = pytest.mark.django_db


def test_organisers_create_action_items_and_owners_are_told(django_capture_on_commit_callbacks):
    edition = EditionFactory()
    owner = MembershipFactory()
    with django_capture_on_commit_callbacks(execute=True):
        item = services.action_item_create(
            edition=edition,
            actor=CoordinatorFactory(),
            title="Cartographier les lieux d'aide",
            owner_organisation=owner.organisation,
            due_date=timezone.localdate() + timedelta(days=30),
        )
    assert item.status == ActionItemStatus.OPEN
    assert mail.outbox[0].to == [owner.user.email]
    assert f"/rencontres/actions/{item.pk}/" in mail.outbox[0].body


def test_an_action_needs_an_owner():
    with pytest.raises(ValidationError):
        services.action_item_create(
            edition=EditionFactory(), actor=CoordinatorFactory(), title="Personne"
        )


def test_only_organisers_create_actions():
    with pytest.raises(PermissionDenied):
        services.action_item_create(
            edition=EditionFactory(), actor=UserFactory(), title="x", owner_user=UserFactory()
        )


def test_owners_move_their_items_along():
    person = UserFactory()
    item = ActionItemFactory(owner_organisation=None, owner_user=person)
    services.action_item_set_status(
        item=item, actor=person, status=ActionItemStatus.IN_PROGRESS, note="Démarré"
    )
    services.action_item_set_status(item=item, actor=person, status=ActionItemStatus.DONE)
    item.refresh_from_db()
    assert (item.status, item.status_note) == (ActionItemStatus.DONE, "Démarré")
    with pytest.raises(ValidationError):
        services.action_item_set_status(item=item, actor=person, status=ActionItemStatus.DROPPED)


def test_members_of_the_owner_organisation_update_others_do_not():
    item = ActionItemFactory()
    member = MembershipFactory(organisation=item.owner_organisation).user
    services.action_item_set_status(item=item, actor=member, status=ActionItemStatus.DROPPED)
    with pytest.raises(PermissionDenied):
        services.action_item_set_status(
            item=item, actor=UserFactory(), status=ActionItemStatus.OPEN
        )


def test_overdue_means_past_due_and_still_open():
    today = timezone.localdate()
    late = ActionItemFactory(due_date=today - timedelta(days=1))
    late_in_progress = ActionItemFactory(
        due_date=today - timedelta(days=1), status=ActionItemStatus.IN_PROGRESS
    )
    done = ActionItemFactory(due_date=today - timedelta(days=1), status=ActionItemStatus.DONE)
    due_today = ActionItemFactory(due_date=today)
    assert late.overdue and late_in_progress.overdue
    assert not done.overdue and not due_today.overdue
    assert set(type(late).objects.overdue(today)) == {late, late_in_progress}


def test_follow_up_comes_from_the_previous_published_edition_of_the_same_series():
    now = timezone.now()
    first = EditionFactory(
        starts_at=now - timedelta(days=180), ends_at=now - timedelta(days=180, hours=-2)
    )
    series = first.series
    second = EditionFactory(
        series=series,
        starts_at=now - timedelta(days=90),
        ends_at=now - timedelta(days=90, hours=-2),
    )
    cancelled = EditionFactory(
        series=series,
        status="cancelled",
        starts_at=now - timedelta(days=10),
        ends_at=now - timedelta(days=10, hours=-2),
    )
    third = EditionFactory(series=series)
    EditionFactory(
        starts_at=now - timedelta(days=5), ends_at=now - timedelta(days=5, hours=-2)
    )  # other series
    item = ActionItemFactory(edition=second)
    previous, items = selectors.follow_up_actions(third)
    assert previous == second and items == [item]
    assert selectors.follow_up_actions(second)[0] == first
    assert selectors.follow_up_actions(first) == (None, [])
    assert cancelled != previous


def test_public_pages_name_a_person_only_with_a_public_profile(client):
    from django.urls import reverse

    edition = EditionFactory()
    ActionItemFactory(
        edition=edition, owner_organisation=None, owner_user=UserFactory(display_name="Awa Privée")
    )
    ActionItemFactory(
        edition=edition,
        owner_organisation=None,
        owner_user=UserFactory(display_name="Karim Public", profile_public=True),
    )
    page = client.get(reverse("meetings:edition_detail", args=[edition.slug])).content.decode()
    assert "Karim Public" in page
    assert "Awa Privée" not in page
    assert "Une personne du collectif" in page
