"""The interface in French, English and Arabic: `lang` and `dir` on every layout, and a
language switch that names each language in itself."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from quartiers40.core import views as core_views

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "direction"), [("fr", "ltr"), ("en", "ltr"), ("ar", "rtl")])
def test_the_layout_carries_the_language_and_its_direction(client, language, direction):
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    page = client.get("/").content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in page


@pytest.mark.parametrize(("language", "direction"), [("fr", "ltr"), ("ar", "rtl")])
def test_a_missing_page_carries_the_language_and_its_direction(language, direction):
    response = Client().get("/nulle-part/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    assert f'<html lang="{language}" dir="{direction}">' in response.content.decode()


def test_the_standalone_error_page_is_right_to_left_in_arabic(rf):
    with translation.override("ar"):
        response = core_views.server_error(rf.get("/"))
    assert b'<html lang="ar" dir="rtl">' in response.content


def test_the_switch_offers_the_two_other_languages_each_named_in_itself(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    buttons = re.findall(
        r'<button type="submit" name="language" value="(\w+)" lang="(\w+)" dir="(\w+)"', page
    )
    assert buttons == [("fr", "fr", "ltr"), ("en", "en", "ltr")]
    assert "Français" in page and "English" in page
    french = client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'value="ar" lang="ar" dir="rtl"' in french and "العربية" in french
