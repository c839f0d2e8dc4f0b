"""The check as one types (POST /lisibilite/verifier/) and the no-JavaScript path in the forms."""

import pytest
from django.test import Client
from django.urls import reverse

from quartiers40.challenges.models import Challenge
from quartiers40.opportunities.models import Opportunity
from quartiers40.projects.models import Project
from tests.meetings.factories import EditionFactory
from tests.members.factories import MembershipFactory, UserFactory
from tests.opportunities.provider_helpers import form_data, member
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

CHECK = reverse("plainlanguage:check")
JARGON = "Le dispositif favorise l'inclusion numérique des usagers du QPV."


def test_the_check_returns_the_findings_as_a_fragment(client):
    client.force_login(UserFactory())
    response = client.post(CHECK, {"text": JARGON, "kind": "summary"})
    assert response.status_code == 200
    page = response.content.decode().replace("\u00a0", " ")
    assert "<html" not in page
    assert "« dispositif » : écrivez « aide »." in page
    assert "quartier prioritaire de la politique de la ville (QPV)" in page
    easy = client.post(CHECK, {"text": "Venez à l'atelier. C'est gratuit.", "kind": "summary"})
    assert "Facile à lire" in easy.content.decode().replace("\u00a0", " ")


def test_the_check_needs_an_account_a_post_and_a_known_kind(client):
    assert client.post(CHECK, {"text": JARGON, "kind": "summary"}).status_code == 302
    client.force_login(UserFactory())
    assert client.get(CHECK).status_code == 405
    assert client.post(CHECK, {"text": JARGON, "kind": "poem"}).status_code == 400
    assert client.post(CHECK, {"text": "a" * 20_001, "kind": "text"}).status_code == 400


def test_the_check_is_protected_from_cross_site_posts():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    assert client.post(CHECK, {"text": JARGON, "kind": "summary"}).status_code == 403
    page = client.get(reverse("projects:create"))  # sets the CSRF cookie
    assert page.status_code == 200
    token = client.cookies["csrftoken"].value
    response = client.post(
        CHECK, {"text": JARGON, "kind": "summary"}, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 200


def test_the_check_is_rate_limited_per_account(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "plain_check_account": (2, 600)}
    client.force_login(UserFactory())
    for _attempt in range(2):
        assert client.post(CHECK, {"text": JARGON, "kind": "summary"}).status_code == 200
    response = client.post(CHECK, {"text": JARGON, "kind": "summary"})
    assert response.status_code == 429 and "Retry-After" in response


def test_the_project_form_shows_the_check_button_under_its_plain_fields(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    page = client.get(reverse("projects:create")).content.decode().replace("\u00a0", " ")
    assert page.count("Vérifier la lisibilité") == 3
    assert 'data-plain-check="summary"' in page and "plain-language.js" in page


def test_without_javascript_the_button_checks_and_keeps_everything_typed(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    data = {
        "carrier": membership.organisation.pk,
        "title": "",  # missing: a check does not complain about it
        "summary": "Mon résumé en une ligne",
        "easy_read_summary": JARGON,
        "description": "Les démarches sont dématérialisées.",
        "action": "plain_check",
    }
    response = client.post(reverse("projects:create"), data)
    assert response.status_code == 200
    page = response.content.decode().replace("\u00a0", " ")
    assert not Project.objects.exists()
    assert "Mon résumé en une ligne" in page and "Les démarches sont dématérialisées." in page
    assert "inclusion numérique des usagers du QPV.</textarea>" in page
    assert "« dispositif » : écrivez « aide »." in page
    assert "« dématérialisées » : écrivez « en ligne »." in page
    assert "Ce champ est obligatoire" not in page


def test_the_edit_page_checks_without_saving(client):
    membership = MembershipFactory()
    project = ProjectFactory(carrier=membership.organisation, easy_read_summary="Avant.")
    client.force_login(membership.user)
    url = reverse("projects:edit", args=[project.slug])
    response = client.post(
        url,
        {"title": project.title, "summary": project.summary, "easy_read_summary": JARGON,
         "action": "plain_check"},
    )  # fmt: skip
    assert response.status_code == 200 and "« dispositif »" in response.content.decode().replace(
        "\u00a0", " "
    )
    project.refresh_from_db()
    assert project.easy_read_summary == "Avant."


def test_the_defi_form_checks_its_situation_without_posting(client):
    client.force_login(UserFactory())
    data = {
        "title": "Les papiers de la CAF",
        "situation": "Les démarches sont dématérialisées.",
        "affected": "Les familles.",
        "action": "plain_check",
    }
    response = client.post(reverse("challenges:create"), data)
    page = response.content.decode().replace("\u00a0", " ")
    assert response.status_code == 200 and not Challenge.objects.exists()
    assert "« dématérialisées » : écrivez « en ligne »." in page
    assert "Les papiers de la CAF" in page


def test_the_opportunity_form_checks_its_summary_and_keeps_the_places(client):
    user, organisation = member()
    client.force_login(user)
    data = form_data(organisation, summary=JARGON, action="plain_check")
    response = client.post(reverse("opportunities:create"), data)
    page = response.content.decode().replace("\u00a0", " ")
    assert response.status_code == 200 and not Opportunity.objects.exists()
    assert "« dispositif » : écrivez « aide »." in page
    assert "20 rue de la Goutte d&#x27;Or" in page or "20 rue de la Goutte d'Or" in page


def test_the_minutes_form_checks_at_its_own_address(client):
    edition = EditionFactory()
    organiser = UserFactory()
    edition.organisers.add(organiser)
    client.force_login(organiser)
    url = reverse("meetings:minutes_edit", args=[edition.slug])
    assert f'formaction="{url}#lisibilite-id_minutes"' in client.get(url).content.decode().replace(
        "\u00a0", " "
    )
    response = client.post(
        url, {"minutes": "Le comité de pilotage a validé.", "action": "plain_check"}
    )
    assert "« comité de pilotage »" in response.content.decode().replace("\u00a0", " ")
    edition.refresh_from_db()
    assert edition.minutes == ""
