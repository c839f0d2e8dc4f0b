"""The quarterly report's editorial: « Proposer un éditorial avec l'IA », reviewed, labelled."""

# ruff: noqa: F811 - the fixtures come from tests/observatory
import pytest

from quartiers40.assist.models import AIDraft
from quartiers40.assist.services import ai_draft_token
from quartiers40.core.models import ActionLog
from quartiers40.observatory.enums import ReportStatus
from tests.members.factories import CoordinatorFactory
from tests.observatory.conftest import territory  # noqa: F401 (fixtures)
from tests.observatory.test_report import petit_dej, report  # noqa: F401

pytestmark = pytest.mark.django_db

EDIT = "/observatoire/rapports/2025-t4/modifier/"
PUBLISH = "/observatoire/rapports/2025-t4/publier/"
PAGE = "/observatoire/rapports/2025-t4/"
EDITORIAL = "Ce trimestre, les quartiers ont accueilli de nouveaux projets."


def test_no_button_when_the_help_is_off(client, report, settings):
    settings.ASSIST_ENABLED = False
    client.force_login(CoordinatorFactory())
    assert "Proposer un éditorial avec l" not in client.get(EDIT).content.decode()


def test_draft_review_publish_and_the_label(client, report, chat_api):
    client.force_login(CoordinatorFactory())
    chat_api.reply = EDITORIAL
    page = client.get(EDIT).content.decode()
    assert 'name="assist" value="editorial"' in page
    page = client.post(EDIT, {"editorial": "", "assist": "editorial"}).content.decode()
    assert EDITORIAL in page and "Texte proposé par une IA (albert-large)" in page
    report.refresh_from_db()
    assert report.editorial == "" and report.status == ReportStatus.DRAFT  # nothing saved
    assert "2025" in chat_api.seen[0].body["messages"][1]["content"]  # the figures were sent

    token = AIDraft.objects.get()
    response = client.post(
        PUBLISH,
        {"editorial": EDITORIAL + " Merci à tous.", "ai_draft_editorial": ai_draft_token(token)},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED
    assert report.editorial_drafted_by_ai and report.editorial_ai_model == "albert-large"
    assert ActionLog.objects.filter(action="ai_draft_accepted").exists()
    client.logout()
    page = client.get(PAGE).content.decode()
    assert (
        "Texte proposé par une IA (albert-large), relu par l&#x27;équipe de coordination" in (page)
        or "Texte proposé par une IA (albert-large), relu par l'équipe de coordination" in page
    )


def test_an_editorial_written_by_hand_is_not_labelled(client, report, chat_api):
    client.force_login(CoordinatorFactory())
    client.post(EDIT, {"editorial": "Écrit à la main."})
    report.refresh_from_db()
    assert report.editorial == "Écrit à la main." and not report.editorial_drafted_by_ai
