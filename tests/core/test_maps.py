"""Every map page gets the same base layer and a CSP that lets in its tile host only."""

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

MAP_PAGES = ["projects:map", "challenges_open_data:map", "territories:directory"]


@pytest.mark.parametrize("page", MAP_PAGES)
def test_with_plan_ign_the_page_shows_it_and_allows_its_host(client, settings, page):
    settings.MAP_TILE_URL = django_settings.PLAN_IGN_TILE_URL
    settings.MAP_TILE_ATTRIBUTION = "© IGN – Plan IGN"
    response = client.get(reverse(page))
    assert "img-src 'self' data: https://data.geopf.fr;" in response["Content-Security-Policy"]
    assert "data-tile-url=" in response.content.decode()


@pytest.mark.parametrize("page", MAP_PAGES)
def test_without_tiles_nothing_leaves_the_site(client, page):
    response = client.get(reverse(page))
    assert "img-src 'self' data:;" in response["Content-Security-Policy"]
    assert "data-tile-url=" not in response.content.decode()
