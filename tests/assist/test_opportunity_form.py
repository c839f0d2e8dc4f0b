"""The opportunity form's « Proposer un résumé avec l'IA »: the same helper as the project's."""

import pytest
from django.urls import reverse

from quartiers40.assist.models import AIDraft
from quartiers40.opportunities.models import Opportunity
from tests.opportunities.provider_helpers import _no_geocoder, form_data, member  # noqa: F401

pytestmark = pytest.mark.django_db

DRAFT = "Un atelier pour écrire son CV, avec une personne qui aide. C'est gratuit."


def test_draft_review_save_and_the_label(client, chat_api):
    person, organisation = member()
    client.force_login(person)
    chat_api.reply = DRAFT
    create = reverse("opportunities:create")
    assert 'name="assist" value="summary"' in client.get(create).content.decode()
    data = form_data(organisation, title="Atelier CV du mardi", summary="")
    page = client.post(create, {**data, "assist": "summary"}).content.decode()
    assert DRAFT.replace("'", "&#x27;") in page or DRAFT in page
    assert "Atelier CV du mardi" in page and "Texte proposé par une IA" in page
    assert 'class="error-text"' not in page
    assert not Opportunity.objects.exists()
    answer = client.post(create, {**data, "assist": "summary"}, HTTP_ACCEPT="application/json")
    token = answer.json()["token"]
    response = client.post(create, {**data, "summary": DRAFT, "ai_draft_summary": token})
    assert response.status_code == 302, response.content.decode()[:2000]
    opportunity = Opportunity.objects.get()
    draft = AIDraft.objects.filter(reviewed_at__isnull=False).get()
    assert draft.target == opportunity and draft.reviewer_organisation == organisation
    page = client.get(opportunity.get_absolute_url()).content.decode()
    assert f"Proposé par une IA (albert-large), relu par {organisation.name} le " in page


def test_no_button_when_off(client, settings):
    settings.ASSIST_ENABLED = False
    person, _organisation = member()
    client.force_login(person)
    page = client.get(reverse("opportunities:create")).content.decode()
    assert 'name="assist"' not in page


def test_the_label_in_the_api_and_the_exports(client, chat_api):
    person, organisation = member()
    client.force_login(person)
    chat_api.reply = DRAFT
    create = reverse("opportunities:create")
    data = form_data(organisation, summary="")
    token = client.post(
        create, {**data, "assist": "summary"}, HTTP_ACCEPT="application/json"
    ).json()["token"]
    client.post(create, {**data, "summary": DRAFT, "ai_draft_summary": token, "then": "publish"})
    opportunity = Opportunity.objects.get()
    client.logout()
    assert opportunity.is_public  # a member organisation publishes at once
    (item,) = client.get("/api/v1/opportunities/").json()["items"]
    assert item["ai_provenance"][0]["field"] == "summary"
    assert item["ai_provenance"][0]["label"].startswith("Proposé par une IA (albert-large)")
    detail = client.get(f"/api/v1/opportunities/{opportunity.slug}/").json()
    assert detail["ai_provenance"][0]["reviewed_by"] == organisation.name
    body = client.get("/api/v1/opportunities/export.csv").content.decode()
    assert "summary: Proposé par une IA (albert-large)" in body
