"""The content apps record their events: a new opportunity, project or défi where people
follow reaches their next digest (and only theirs)."""

import pytest
from django.core import mail

from quartiers40.notifications import services
from quartiers40.notifications.digests import digest_run
from quartiers40.notifications.enums import Frequency
from quartiers40.notifications.models import Event
from quartiers40.opportunities import services as opportunity_services
from quartiers40.opportunities.records import PlaceInput
from quartiers40.territories.lookup import qpv_index_invalidate
from quartiers40.territories.models import Commune
from tests.members.factories import UserFactory
from tests.opportunities.test_services_core import FIELDS, _member
from tests.territories.factories import QPVFactory, box

pytestmark = pytest.mark.django_db


def test_an_opportunity_published_in_a_followed_qpv_or_commune_is_in_the_next_digest(
    django_capture_on_commit_callbacks,
):
    qpv_index_invalidate()
    qpv = QPVFactory(code="QN07577Z", geometry=box(2.35, 48.88))
    qpv_index_invalidate()
    commune = Commune.objects.create(
        code="75056", name="Paris", department_code="75", search_name="paris", search_postcodes=""
    )
    by_qpv, by_commune, by_organisation, elsewhere = UserFactory.create_batch(4)
    user, organisation = _member()
    services.follow_create(user=by_qpv, target=qpv)
    services.follow_create(user=by_commune, target=commune)
    services.follow_create(user=by_organisation, target=organisation)
    services.follow_create(user=elsewhere, target=QPVFactory(code="QN07588Z"))
    with django_capture_on_commit_callbacks(execute=True):
        opportunity = opportunity_services.opportunity_create(
            actor=user,
            organisation=organisation,
            places=[
                PlaceInput(name="Centre", longitude=2.355, latitude=48.885, commune_code="75056")
            ],
            **FIELDS,
        )
        opportunity_services.opportunity_publish(opportunity=opportunity, actor=user)
    assert Event.objects.filter(kind="opportunity_new").count() == 1
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        digest_run(frequency=Frequency.WEEKLY)
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [by_qpv.email, by_commune.email, by_organisation.email]
    )
    assert all("Atelier CV" in message.body for message in mail.outbox)


def test_a_followed_defi_that_moves_is_in_its_followers_digest(django_capture_on_commit_callbacks):
    from quartiers40.challenges.services import challenge_close
    from tests.challenges.factories import ChallengeFactory
    from tests.members.factories import CoordinatorFactory

    challenge = ChallengeFactory(title="Les courriers de la CAF")
    follower = UserFactory()
    services.follow_create(user=follower, target=challenge)
    with django_capture_on_commit_callbacks(execute=True):
        challenge_close(challenge=challenge, actor=CoordinatorFactory(), reason="Doublon.")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert digest_run(frequency=Frequency.WEEKLY).messages == 1
    [message] = mail.outbox
    assert message.to == [follower.email]
    assert "Nouvelles des défis suivis" in message.body
    assert "Les courriers de la CAF" in message.body


def test_supports_and_comments_on_my_defi_are_one_line_in_my_digest(
    django_capture_on_commit_callbacks,
):
    from quartiers40.challenges.services import challenge_comment_add, challenge_support
    from tests.challenges.factories import ChallengeFactory

    author = UserFactory()
    challenge = ChallengeFactory(title="Imprimer mes papiers", author=author)
    with django_capture_on_commit_callbacks(execute=True):
        for supporter in UserFactory.create_batch(2):
            challenge_support(challenge=challenge, user=supporter)
        challenge_comment_add(challenge=challenge, author=UserFactory(), body="Moi aussi.")
        challenge_comment_add(challenge=challenge, author=author, body="Merci !")  # mine
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert digest_run(frequency=Frequency.WEEKLY).messages == 1
    [message] = mail.outbox
    assert message.to == [author.email]
    assert "== Vos contenus ==" in message.body
    assert "- Imprimer mes papiers (3 nouvelles)" in message.body


def test_a_new_address_for_my_meeting_is_in_my_digest(django_capture_on_commit_callbacks):
    from quartiers40.meetings.services import edition_update
    from tests.meetings.factories import EditionFactory, RegistrationFactory
    from tests.members.factories import CoordinatorFactory

    edition = EditionFactory(title="Petit déj de Saint-Denis")
    registered = RegistrationFactory(edition=edition).user
    cancelled = RegistrationFactory(edition=edition, status="cancelled").user
    with django_capture_on_commit_callbacks(execute=True):
        edition_update(edition=edition, actor=CoordinatorFactory(), title=edition.title)
        assert not Event.objects.exists()  # nothing people must know
        edition_update(edition=edition, actor=CoordinatorFactory(), address="1 place Nouvelle")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        digest_run(frequency=Frequency.WEEKLY)
    assert [message.to for message in mail.outbox] == [[registered.email]]
    assert cancelled.email not in mail.outbox[0].to
    assert "== Vos rencontres ==" in mail.outbox[0].body
