"""The observatory's "Français facile" section: the share of published texts easy to read,
per scope and quarter."""

import pytest
from django.urls import reverse

from quartiers40.observatory.enums import EasyToRead, Metric
from quartiers40.observatory.models import Figure
from quartiers40.observatory.selectors import dashboard_get, scope_get
from quartiers40.observatory.services import observatory_recompute
from quartiers40.projects.enums import ProjectStatus
from tests.challenges.factories import ChallengeFactory
from tests.observatory.conftest import at
from tests.opportunities.factories import OpportunityFactory
from tests.projects.factories import ProjectFactory, PublishedProjectFactory

pytestmark = pytest.mark.django_db


def _value(dimension: str = "", period: str = "") -> int:
    row = Figure.objects.filter(
        scope_kind="national",
        scope_code="",
        metric=Metric.EASY_TO_READ,
        dimension=dimension,
        period=period,
    ).first()
    return row.value if row else 0


def test_the_share_counts_published_texts_of_the_three_kinds_per_quarter():
    PublishedProjectFactory(easy_to_read=True, published_at=at(2026, 2, 1))
    PublishedProjectFactory(easy_to_read=False, published_at=at(2026, 2, 2))
    ProjectFactory(status=ProjectStatus.DRAFT, easy_to_read=True)  # not published: not counted
    ChallengeFactory(easy_to_read=True)
    OpportunityFactory(easy_to_read=False, published_at=at(2026, 5, 3))
    observatory_recompute()

    assert _value() == 4
    assert _value(EasyToRead.EASY) == 2
    assert _value(EasyToRead.NOT_YET) == 2
    assert _value("", "2026-t1") == 2 and _value(EasyToRead.EASY, "2026-t1") == 1

    board = dashboard_get(scope_get("national"), last=None)
    assert board.easy_share == 50
    assert ("plain_language", "Français facile") in [(k, t) for k, t, _b in board.sections]


def test_the_dashboard_shows_the_share(client):
    PublishedProjectFactory(easy_to_read=True)
    observatory_recompute()
    page = client.get(reverse("observatory:national")).content.decode().replace("\u00a0", " ")
    assert "Français facile" in page
    assert "100 %</strong> des textes publiés sont faciles à lire" in page
