"""Expiry and freshness with a controlled clock, their commands and their tasks."""

import io
from datetime import date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from quartiers40.members.enums import Role
from quartiers40.opportunities import lifecycle_tasks, services
from quartiers40.opportunities.enums import OpportunityStatus
from tests.members.factories import MembershipFactory
from tests.opportunities.factories import OpportunityFactory, SessionFactory
from tests.opportunities.provider_helpers import _no_geocoder, member  # noqa: F401 (fixture)
from tests.tasks import run_worker

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime(2031, 6, 15, 3, 0))
TODAY = date(2031, 6, 15)


def _expire(now=NOW) -> int:
    return services.opportunities_expire(now=now)


def _status(opportunity) -> str:
    opportunity.refresh_from_db()
    return opportunity.status


def test_expires_the_day_after_the_deadline_not_before():
    on_the_day = OpportunityFactory(deadline=TODAY)
    passed = OpportunityFactory(deadline=TODAY - timedelta(days=1))
    assert _expire() == 1
    assert _status(passed) == OpportunityStatus.EXPIRED
    assert _status(on_the_day) == OpportunityStatus.PUBLISHED
    passed.refresh_from_db()
    assert passed.expired_at == NOW
    assert _expire(NOW + timedelta(days=1)) == 1
    assert _status(on_the_day) == OpportunityStatus.EXPIRED


def test_expires_when_the_last_session_has_passed():
    opportunity = OpportunityFactory()
    SessionFactory(opportunity=opportunity, starts_on=TODAY - timedelta(days=30))
    last = SessionFactory(
        opportunity=opportunity,
        starts_on=TODAY - timedelta(days=5),
        ends_on=TODAY + timedelta(days=2),
    )
    assert _expire() == 0  # the last session still runs
    assert _expire(NOW + timedelta(days=2)) == 0
    assert _expire(NOW + timedelta(days=3)) == 1
    assert _status(opportunity) == OpportunityStatus.EXPIRED
    assert last.ends_on < TODAY + timedelta(days=3)


def test_without_dates_it_never_expires_and_drafts_are_left_alone():
    lasting = OpportunityFactory()
    draft = OpportunityFactory(status=OpportunityStatus.DRAFT, deadline=TODAY - timedelta(days=9))
    assert _expire(NOW + timedelta(days=3650)) == 0
    assert _status(lasting) == OpportunityStatus.PUBLISHED
    assert _status(draft) == OpportunityStatus.DRAFT


def test_reopening_needs_new_dates(client):
    user, organisation = member()
    opportunity = OpportunityFactory(organisation=organisation, is_remote=True)
    SessionFactory(opportunity=opportunity, starts_on=TODAY - timedelta(days=1))
    assert services.opportunities_expire(now=timezone.now() + timedelta(days=400 * 6)) == 1
    client.force_login(user)
    url = reverse("opportunities:reopen", kwargs={"slug": opportunity.slug})
    # Its session has passed (the real clock is before 2031, so set one in the past).
    opportunity.sessions.update(starts_on=date(2020, 1, 1))
    response = client.post(url)
    assert response["Location"].endswith("#groupe-quand")
    assert _status(opportunity) == OpportunityStatus.EXPIRED
    opportunity.sessions.update(starts_on=timezone.localdate() + timedelta(days=20))
    client.post(url)
    assert _status(opportunity) == OpportunityStatus.PUBLISHED
    opportunity.refresh_from_db()
    assert opportunity.expired_at is None


# --- Freshness --------------------------------------------------------------------------

SEVEN_MONTHS_BEFORE = NOW - timedelta(days=213)


def _with_people(count=2):
    _user, organisation = member()
    for _index in range(count - 1):
        MembershipFactory(organisation=organisation, role=Role.MEMBER)
    return organisation


def test_freshness_reminds_once_until_updated(mailoutbox, django_capture_on_commit_callbacks):
    organisation = _with_people(2)
    stale = OpportunityFactory(organisation=organisation, last_updated_at=SEVEN_MONTHS_BEFORE)
    fresh = OpportunityFactory(organisation=organisation, last_updated_at=NOW - timedelta(days=30))
    OpportunityFactory(
        organisation=organisation,
        status=OpportunityStatus.DRAFT,
        last_updated_at=SEVEN_MONTHS_BEFORE,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.opportunity_freshness_remind(now=NOW) == 1
    # One message per person of the organisation: nobody sees another's address.
    assert len(mailoutbox) == 2
    assert all(len(message.to) == 1 for message in mailoutbox)
    assert {message.to[0] for message in mailoutbox} == set(
        organisation.memberships.values_list("user__email", flat=True)
    )
    assert stale.get_absolute_url() in mailoutbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assert services.opportunity_freshness_remind(now=NOW + timedelta(days=1)) == 0
    assert len(mailoutbox) == 2
    # Updated: not stale again until six months after the update.
    owner = organisation.memberships.first().user
    updated_at = NOW + timedelta(days=2)
    services.opportunity_update(
        opportunity=stale, actor=owner, schedule_details="Le mardi", now=updated_at
    )
    assert services.opportunity_freshness_remind(now=updated_at + timedelta(days=100)) == 0
    fresh.delete()  # it would be due by then too
    with django_capture_on_commit_callbacks(execute=True):
        assert services.opportunity_freshness_remind(now=updated_at + timedelta(days=190)) == 1
    assert len(mailoutbox) == 4


def test_freshness_goes_to_the_contact_address_when_there_is_one(
    mailoutbox, django_capture_on_commit_callbacks
):
    OpportunityFactory(
        organisation=_with_people(2),
        contact_email="accueil@exemple.fr",
        last_updated_at=SEVEN_MONTHS_BEFORE,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.opportunity_freshness_remind(now=NOW)
    assert [message.to for message in mailoutbox] == [["accueil@exemple.fr"]]


# --- Commands and tasks -----------------------------------------------------------------


def test_commands_run_the_services(mailoutbox, django_capture_on_commit_callbacks):
    past = OpportunityFactory(deadline=timezone.localdate() - timedelta(days=1))
    OpportunityFactory(
        organisation=_with_people(1), last_updated_at=timezone.now() - timedelta(days=200)
    )
    out = io.StringIO()
    call_command("opportunities_expire", stdout=out)
    assert "1" in out.getvalue()
    assert _status(past) == OpportunityStatus.EXPIRED
    with django_capture_on_commit_callbacks(execute=True):
        call_command("opportunities_freshness", stdout=io.StringIO())
    assert len(mailoutbox) == 1


def test_enqueued_tasks_run_in_the_worker(mailoutbox, django_capture_on_commit_callbacks):
    past = OpportunityFactory(deadline=timezone.localdate() - timedelta(days=1))
    OpportunityFactory(
        organisation=_with_people(1), last_updated_at=timezone.now() - timedelta(days=200)
    )
    out = io.StringIO()
    call_command("opportunities_expire", "--enqueue", stdout=out)
    call_command("opportunities_freshness", "--enqueue", stdout=out)
    assert out.getvalue().count("Tâche mise en file") == 2
    assert _status(past) == OpportunityStatus.PUBLISHED  # not yet: the worker does it
    with django_capture_on_commit_callbacks(execute=True):
        run_worker()
    assert _status(past) == OpportunityStatus.EXPIRED
    assert len(mailoutbox) == 1
    # Called directly too (nothing left to do).
    assert lifecycle_tasks.opportunities_expire_task.call() == 0
    assert lifecycle_tasks.opportunities_freshness_remind_task.call() == 0
