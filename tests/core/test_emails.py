"""E-mail leaves the request: queued per recipient, delivered by the worker to a real SMTP
server on 127.0.0.1, retried when the server fails, and never a failed write because of it.

The SMTP servers are aiosmtpd's: one that accepts, one that refuses once (451) then accepts,
and a port where nothing listens. The queue is the database backend, run by the real
`db_worker`, as in production.
"""

import logging
import socket
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from quartiers40.core.emails import email_each, email_send
from quartiers40.members.enums import Role
from quartiers40.members.models import User
from tests.members.factories import MembershipFactory, UserFactory
from tests.projects.factories import PublishedProjectFactory
from tests.tasks import run_worker

pytestmark = pytest.mark.django_db

DELIVER = "quartiers40.core.tasks.email_deliver"


class Inbox:
    """An aiosmtpd handler that keeps each message's envelope; `refuse` answers 451 first."""

    def __init__(self, *, refuse: int = 0) -> None:
        self.refuse = refuse
        self.received: list[tuple[list[str], str]] = []
        self.refused = 0

    async def handle_DATA(self, server, session, envelope):
        if self.refused < self.refuse:
            self.refused += 1
            return "451 4.3.0 Try again later"
        self.received.append((list(envelope.rcpt_tos), envelope.content.decode()))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """Start an SMTP server with the given handler; the e-mail settings point to it."""
    controllers = []

    def start(handler: Inbox) -> Inbox:
        port = _free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        controllers.append(controller)
        settings.EMAIL_PORT = port
        return handler

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = _free_port()  # nothing listens there until start()
    settings.EMAIL_TIMEOUT = 5
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TASK_BACKEND = "default"  # the database queue, as in production
    yield start
    for controller in controllers:
        controller.stop()


def _queued():
    return DBTaskResult.objects.filter(task_path=DELIVER)


def _contact(client, project, captured):
    with captured(execute=True):
        return client.post(
            reverse("projects:contact", args=[project.slug]),
            {"name": "Awa", "email": "awa@exemple.fr", "message": "Peut-on le tester ?"},
        )


def _project_with_owners(*emails):
    project = PublishedProjectFactory(title="Traduire les courriers")
    for email in emails:
        MembershipFactory(organisation=project.carrier, role=Role.MEMBER, user__email=email)
    return project


def test_each_owner_gets_their_own_message_through_the_smtp_server(
    client, smtp, django_capture_on_commit_callbacks
):
    inbox = smtp(Inbox())
    project = _project_with_owners("une@projet.fr", "deux@projet.fr")

    response = _contact(client, project, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert inbox.received == []  # nothing is sent inside the request
    run_worker()  # the fan-out task
    run_worker()  # one delivery per owner

    assert sorted(rcpt for rcpts, _content in inbox.received for rcpt in rcpts) == [
        "deux@projet.fr",
        "une@projet.fr",
    ]
    for rcpts, content in inbox.received:
        assert len(rcpts) == 1  # nobody sees another recipient
        assert "Peut-on le tester ?" in content
        assert "Reply-To: awa@exemple.fr" in content
        other = "deux@projet.fr" if rcpts == ["une@projet.fr"] else "une@projet.fr"
        assert other not in content
    assert _queued().successful().count() == 2


def test_a_refusal_is_retried_later_and_the_message_arrives_once(
    smtp, django_capture_on_commit_callbacks, caplog
):
    inbox = smtp(Inbox(refuse=1))
    user = UserFactory(email="awa@exemple.fr")
    with django_capture_on_commit_callbacks(execute=True):
        email_send(
            to=user.email,
            subject="Bienvenue",
            template="members/emails/verify_email.txt",
            context={"user": user, "link": "http://127.0.0.1:8000/lien/"},
        )
    with caplog.at_level(logging.WARNING, logger="quartiers40.emails"):
        run_worker()
    assert inbox.received == [] and inbox.refused == 1
    assert "next attempt" in caplog.text

    retry = _queued().filter(status="READY").get()
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    assert retry.run_after > timezone.now() + timedelta(seconds=50)  # EMAIL_RETRY_DELAYS[0]
    run_worker()
    assert inbox.received == []  # not before its time

    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_worker()
    assert [rcpts for rcpts, _content in inbox.received] == [["awa@exemple.fr"]]
    run_worker()
    assert len(inbox.received) == 1  # once, not twice


def test_a_write_succeeds_while_the_mail_server_is_down_and_the_mail_waits(
    client, smtp, django_capture_on_commit_callbacks, caplog
):
    # No server on EMAIL_PORT yet.
    project = _project_with_owners("une@projet.fr")
    response = _contact(client, project, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    with caplog.at_level(logging.WARNING, logger="quartiers40.emails"):
        run_worker()
    assert "une@projet.fr" in caplog.text and "next attempt" in caplog.text
    retry = _queued().filter(status="READY").get()
    assert retry.run_after > timezone.now()

    # The server comes back; the retry delivers.
    inbox = smtp(Inbox())
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_worker()
    assert [rcpts for rcpts, _content in inbox.received] == [["une@projet.fr"]]


def test_after_the_last_attempt_the_failure_is_logged_and_stops(
    smtp, settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_RETRY_DELAYS = (60,)
    with django_capture_on_commit_callbacks(execute=True):
        email_send(to="awa@exemple.fr", subject="Test", template="members/emails/verify_email.txt")
    run_worker()
    retry = _queued().filter(status="READY").get()
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    with caplog.at_level(logging.ERROR, logger="quartiers40.emails"):
        run_worker()
    assert "giving up" in caplog.text and "awa@exemple.fr" in caplog.text
    assert _queued().failed().count() == 1
    assert not _queued().filter(status="READY").exists()


def test_a_permanent_refusal_is_not_retried(smtp, django_capture_on_commit_callbacks, caplog):
    class Refusing(Inbox):
        async def handle_RCPT(self, server, session, envelope, address, options):
            return "550 5.1.1 No such user"

    smtp(Refusing())
    with django_capture_on_commit_callbacks(execute=True):
        email_send(
            to="nobody@exemple.fr", subject="Test", template="members/emails/verify_email.txt"
        )
    with caplog.at_level(logging.ERROR, logger="quartiers40.emails"):
        run_worker()
    assert "giving up" in caplog.text
    assert _queued().failed().count() == 1
    assert not _queued().filter(status="READY").exists()


def test_nothing_is_queued_when_the_transaction_rolls_back(smtp):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        email_send(to="awa@exemple.fr", subject="Test", template="members/emails/verify_email.txt")
        raise RuntimeError
    assert not _queued().exists()


def test_the_same_mail_to_many_is_one_task_in_the_request(
    smtp, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    inbox = smtp(Inbox())
    addresses = [f"personne{index}@exemple.fr" for index in range(30)]
    with django_capture_on_commit_callbacks(execute=True), django_assert_max_num_queries(2):
        assert (
            email_each(to=addresses, subject="Test", template="members/emails/verify_email.txt")
            == 30
        )
    run_worker()
    run_worker()
    assert sorted(rcpts[0] for rcpts, _content in inbox.received) == sorted(addresses)
    assert all(len(rcpts) == 1 for rcpts, _content in inbox.received)


def test_the_coordination_team_is_active_coordinators_and_superusers():
    coordinator = UserFactory(is_coordinator=True)
    superuser = UserFactory(is_superuser=True)
    UserFactory(is_coordinator=True, is_active=False)
    UserFactory(is_coordinator=True, deleted_at=timezone.now())
    UserFactory()
    assert set(User.objects.coordination()) == {coordinator, superuser}
