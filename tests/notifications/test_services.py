import pytest
from django.core.exceptions import ValidationError

from quartiers40.notifications import selectors, services
from quartiers40.notifications.enums import Category, Frequency
from quartiers40.notifications.models import (
    EmailAddressHealth,
    Event,
    EventRecipient,
    EventTarget,
    Follow,
    Recipient,
)
from tests.members.factories import OrganisationFactory, UserFactory
from tests.territories.factories import QPVFactory

pytestmark = pytest.mark.django_db


def test_following_twice_is_following_once_and_sets_the_language():
    user, qpv = UserFactory(), QPVFactory()
    services.follow_create(user=user, target=qpv, language="en")
    services.follow_create(user=user, target=qpv, language="fr")
    assert Follow.objects.filter(user=user).count() == 1
    assert Recipient.objects.get(user=user).language == "en"  # the first one stays
    assert selectors.is_following(user, qpv)
    assert services.follow_delete(user=user, target=qpv)
    assert not selectors.is_following(user, qpv)
    assert not services.follow_delete(user=user, target=qpv)


def test_only_followable_things_can_be_followed():
    user = UserFactory()
    with pytest.raises(ValidationError):
        services.follow_create(user=user, target=UserFactory())


def test_preferences_default_to_weekly_and_are_set_per_category():
    user = UserFactory()
    assert set(selectors.preferences_of(user).values()) == {Frequency.WEEKLY}
    services.preferences_set(
        user=user, frequencies={Category.MEETINGS: Frequency.DAILY}, language="en"
    )
    preferences = selectors.preferences_of(user)
    assert preferences[Category.MEETINGS] == Frequency.DAILY
    assert preferences[Category.FOLLOWS] == Frequency.WEEKLY
    assert Recipient.objects.get(user=user).language == "en"
    with pytest.raises(ValidationError):
        services.preferences_set(user=user, frequencies={Category.MEETINGS: "hourly"})


def test_an_event_is_recorded_once_with_its_targets_and_named_recipients(
    django_capture_on_commit_callbacks,
):
    qpvs = QPVFactory.create_batch(2)
    organisation = OrganisationFactory()
    people = UserFactory.create_batch(3)
    with django_capture_on_commit_callbacks(execute=True):
        event = services.notification_record(
            kind="coordination_queue",
            item=organisation,
            title="Une demande d'adhésion",
            path="/coordination/",
            audience=qpvs,
            recipients=[*people, people[0]],
        )
    assert Event.objects.count() == 1
    assert event.category == Category.COORDINATION
    assert EventTarget.objects.filter(event=event).count() == 3  # the item and two QPVs
    assert EventRecipient.objects.filter(event=event).count() == 3


def test_an_address_fails_after_n_final_refusals_in_a_row_and_heals_when_delivered(settings):
    settings.NOTIFICATIONS_FAILING_AFTER = 2
    services.email_outcome("a@exemple.fr", False, "550")
    assert not EmailAddressHealth.objects.get().failing
    services.email_outcome("a@exemple.fr", False, "550")
    assert EmailAddressHealth.objects.get().failing
    services.email_outcome("a@exemple.fr", True, "")
    health = EmailAddressHealth.objects.get()
    assert (health.failing, health.failures) == (False, 0)
