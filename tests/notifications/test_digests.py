"""Digests and immediate messages, received by a real SMTP server on 127.0.0.1 (aiosmtpd)
through core's queued delivery task and the real database worker."""

import email
import email.policy
from email.message import EmailMessage
from urllib.parse import urlparse

import pytest
from django.test import Client
from django.utils import timezone

from quartiers40.notifications import services
from quartiers40.notifications.digests import digest_run
from quartiers40.notifications.enums import Category, Frequency
from quartiers40.notifications.models import EmailAddressHealth
from tests.core.test_emails import Inbox
from tests.members.factories import OrganisationFactory, UserFactory
from tests.opportunities.factories import OpportunityFactory
from tests.projects.factories import PublishedProjectFactory
from tests.tasks import run_worker
from tests.territories.factories import QPVFactory

pytestmark = pytest.mark.django_db


class RefusingInbox(Inbox):
    """Refuses one address for good (550), accepts the others."""

    def __init__(self, refused: str) -> None:
        super().__init__()
        self.refused_address = refused

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == self.refused_address:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def _messages(inbox: Inbox) -> list[tuple[list[str], EmailMessage]]:
    return [
        (rcpts, email.message_from_bytes(content.encode(), policy=email.policy.default))
        for rcpts, content in inbox.received
    ]


def _parts(message: EmailMessage) -> dict[str, str]:
    return {
        part.get_content_type(): part.get_content()
        for part in message.walk()
        if not part.is_multipart()
    }


def _record(kind, item, *, audience=(), recipients=(), capture):
    with capture(execute=True):
        return services.notification_record(
            kind=kind, item=item, audience=audience, recipients=recipients, path="/x/"
        )


@pytest.fixture
def qpv():
    return QPVFactory(name="Les Tarterêts")


def test_weekly_digest_groups_by_kind_and_item_in_one_message(
    smtp, qpv, django_capture_on_commit_callbacks
):
    inbox = smtp(Inbox())
    awa = UserFactory(email="awa@exemple.fr")
    project = PublishedProjectFactory(title="Un assistant pour les courriers")
    services.follow_create(user=awa, target=qpv)
    services.follow_create(user=awa, target=project)
    capture = django_capture_on_commit_callbacks
    for title in ("Atelier IA", "Formation numérique"):
        _record("opportunity_new", OpportunityFactory(title=title), audience=[qpv], capture=capture)
    for _update in range(3):
        _record("project_update", project, capture=capture)
    _record("opportunity_new", OpportunityFactory(title="Ailleurs"), capture=capture)
    run_worker()  # the immediate tasks: nobody asked for "at once"
    assert inbox.received == []

    stats = digest_run(frequency=Frequency.WEEKLY)
    run_worker()

    assert (stats.messages, stats.events) == (1, 5)
    [(rcpts, message)] = _messages(inbox)
    assert rcpts == ["awa@exemple.fr"]
    assert "5 nouveautés" in message["Subject"]
    parts = _parts(message)
    assert set(parts) == {"text/plain", "text/html"}
    text = parts["text/plain"]
    assert "== Nouvelles opportunités ==" in text
    assert "- Atelier IA" in text and "- Formation numérique" in text
    assert "Ailleurs" not in text  # not in a followed place
    assert text.count("Un assistant pour les courriers") == 1
    assert "(3 nouvelles)" in text
    assert '<html lang="fr">' in parts["text/html"]
    assert "<h2" in parts["text/html"]


def test_nothing_is_sent_when_nothing_happened_nor_twice(
    smtp, qpv, django_capture_on_commit_callbacks
):
    inbox = smtp(Inbox())
    quiet, busy = UserFactory(), UserFactory()
    services.follow_create(user=quiet, target=QPVFactory())
    services.follow_create(user=busy, target=qpv)
    _record(
        "challenge_new",
        OrganisationFactory(),
        audience=[qpv],
        capture=django_capture_on_commit_callbacks,
    )
    assert digest_run(frequency=Frequency.WEEKLY).messages == 1
    assert digest_run(frequency=Frequency.WEEKLY).messages == 0  # already in the last one
    run_worker()
    assert [rcpts for rcpts, _m in inbox.received] == [[busy.email]]


def test_each_category_leaves_at_its_frequency(smtp, qpv, django_capture_on_commit_callbacks):
    inbox = smtp(Inbox())
    daily, never, immediate = UserFactory(), UserFactory(), UserFactory()
    for person, frequency in (
        (daily, Frequency.DAILY),
        (never, Frequency.NEVER),
        (immediate, Frequency.IMMEDIATE),
    ):
        services.follow_create(user=person, target=qpv)
        services.preferences_set(user=person, frequencies={Category.FOLLOWS: frequency})

    _record(
        "project_new",
        PublishedProjectFactory(title="Traduire"),
        audience=[qpv],
        capture=django_capture_on_commit_callbacks,
    )
    run_worker()  # the event's immediate task
    [(rcpts, message)] = _messages(inbox)
    assert rcpts == [immediate.email]
    assert "Nouveaux projets : Traduire" in message["Subject"]

    assert digest_run(frequency=Frequency.WEEKLY).messages == 0
    assert digest_run(frequency=Frequency.DAILY).messages == 1
    run_worker()
    assert [rcpts for rcpts, _m in inbox.received] == [[immediate.email], [daily.email]]
    assert "résumé du jour" in _messages(inbox)[1][1]["Subject"]


def test_named_recipients_get_their_own_items_life(smtp, django_capture_on_commit_callbacks):
    inbox = smtp(Inbox())
    author, other = UserFactory(), UserFactory()
    _record(
        "own_item",
        OrganisationFactory(),
        recipients=[author],
        capture=django_capture_on_commit_callbacks,
    )
    assert digest_run(frequency=Frequency.WEEKLY).messages == 1
    run_worker()
    assert [rcpts for rcpts, _m in inbox.received] == [[author.email]]
    assert other.email not in inbox.received[0][1]


def test_the_list_unsubscribe_headers_unsubscribe_in_one_post_without_session_or_csrf(
    smtp, qpv, django_capture_on_commit_callbacks
):
    inbox = smtp(Inbox())
    person = UserFactory()
    services.follow_create(user=person, target=qpv)
    _record(
        "opportunity_new",
        OpportunityFactory(),
        audience=[qpv],
        capture=django_capture_on_commit_callbacks,
    )
    digest_run(frequency=Frequency.WEEKLY)
    run_worker()
    [(_rcpts, message)] = _messages(inbox)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = message["List-Unsubscribe"].strip().strip("<>")
    assert url in _parts(message)["text/plain"]  # the same link in the body

    client = Client(enforce_csrf_checks=True)  # as a mail client: no cookie, no token
    response = client.post(
        urlparse(url).path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200

    _record(
        "opportunity_new",
        OpportunityFactory(),
        audience=[qpv],
        capture=django_capture_on_commit_callbacks,
    )
    assert digest_run(frequency=Frequency.WEEKLY, now=timezone.now()).messages == 0


def test_each_person_reads_their_own_language(smtp, qpv, django_capture_on_commit_callbacks):
    inbox = smtp(Inbox())
    english, french = UserFactory(), UserFactory()
    services.follow_create(user=english, target=qpv, language="en")
    services.follow_create(user=french, target=qpv, language="fr")
    _record(
        "opportunity_new",
        OpportunityFactory(),
        audience=[qpv],
        capture=django_capture_on_commit_callbacks,
    )
    digest_run(frequency=Frequency.WEEKLY)
    run_worker()
    languages = {
        rcpts[0]: _parts(message)["text/html"].split('<html lang="')[1][:2]
        for rcpts, message in _messages(inbox)
    }
    assert languages == {english.email: "en", french.email: "fr"}


def test_a_refused_address_is_marked_failing_and_gets_nothing_more(
    smtp, settings, qpv, django_capture_on_commit_callbacks
):
    settings.NOTIFICATIONS_FAILING_AFTER = 2
    inbox = smtp(RefusingInbox("parti@exemple.fr"))
    gone, here = UserFactory(email="parti@exemple.fr"), UserFactory()
    for person in (gone, here):
        services.follow_create(user=person, target=qpv)
    for _week in range(3):
        _record(
            "opportunity_new",
            OpportunityFactory(),
            audience=[qpv],
            capture=django_capture_on_commit_callbacks,
        )
        stats = digest_run(frequency=Frequency.WEEKLY)
        run_worker()
    health = EmailAddressHealth.objects.get(email=gone.email)
    assert health.failing and health.failures == 2
    assert stats.messages == 1  # the third week: only the address that works
    assert all(rcpts == [here.email] for rcpts, _m in inbox.received)
    assert len(inbox.received) == 3
