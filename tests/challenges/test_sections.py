from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quartiers40.challenges import sections, services
from quartiers40.challenges.enums import ModerationState
from quartiers40.challenges.models import Challenge
from quartiers40.members.enums import Role
from tests.members.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.territories.factories import QPVFactory

pytestmark = pytest.mark.django_db


def post(*, author=None, qpvs=(), **fields) -> Challenge:
    author = author or UserFactory(date_joined=timezone.now() - timedelta(days=60))
    fields.setdefault("title", "Pas de wifi")
    fields.setdefault("situation", "Les enfants font leurs devoirs dans l'escalier.")
    fields.setdefault("affected", "Les collégiens.")
    fields.setdefault("solved_when", "Un wifi gratuit ouvert le soir.")
    if not qpvs:
        fields.setdefault("commune_name", "Saint-Denis")
    return services.challenge_post(actor=author, qpvs=qpvs, **fields)


def qpv_page(client, qpv) -> str:
    response = client.get(reverse("territories:detail", kwargs={"code": qpv.code}))
    assert response.status_code == 200
    return response.content.decode()


def organisation_page(client, organisation) -> str:
    url = reverse("members:organisation_detail", kwargs={"slug": organisation.slug})
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# --- The QPV page ---------------------------------------------------------------


def test_the_qpv_page_lists_its_public_challenges_only(client):
    qpv, elsewhere = QPVFactory(), QPVFactory()
    post(title="Pas de wifi dans les halls", qpvs=[qpv])
    post(title="Ailleurs", qpvs=[elsewhere])
    pending = post(title="En attente secrète", qpvs=[qpv])
    Challenge.objects.filter(pk=pending.pk).update(moderation=ModerationState.PENDING)
    hidden = post(title="Masqué secret", qpvs=[qpv])
    Challenge.objects.filter(pk=hidden.pk).update(moderation=ModerationState.HIDDEN)

    page = qpv_page(client, qpv)

    assert page.count('aria-labelledby="qpv-defis"') == 1  # one défis section only
    assert "Pas de wifi dans les halls" in page
    assert "Ailleurs" not in page
    assert "secret" not in page
    assert f"/defis/?qpv={qpv.code}" in page


def test_the_qpv_page_invites_to_post_a_challenge_when_there_is_none(client):
    qpv = QPVFactory()

    page = qpv_page(client, qpv)

    assert page.count('aria-labelledby="qpv-defis"') == 1
    assert "Aucun défi pour l'instant" in page
    assert reverse("challenges:create") in page


def test_the_qpv_section_shows_a_few_and_counts_them_all(client):
    qpv = QPVFactory()
    for index in range(8):
        post(title=f"Défi numéro {index}", qpvs=[qpv])

    page = qpv_page(client, qpv)

    assert page.count('class="card challenge-card"') == 6
    assert "Voir les 8 défis de ce quartier" in page


def test_the_qpv_section_query_count_does_not_grow(client):
    qpv = QPVFactory()

    def queries(total: int) -> int:
        while Challenge.objects.count() < total:
            post(title="Défi", qpvs=[qpv])
        with CaptureQueriesContext(connection) as captured:
            qpv_page(client, qpv)
        return len(captured)

    assert queries(2) == queries(9)


# --- The organisation page ------------------------------------------------------


def test_the_organisation_page_lists_what_it_posted_and_offered_help_on(client):
    organisation = OrganisationFactory(name="Clic Solidaire")
    admin = MembershipFactory(organisation=organisation, role=Role.ADMIN).user
    post(author=admin, organisation=organisation, title="Posté par elle")
    helped = post(title="Aidé par elle")
    services.challenge_offer_make(
        challenge=helped, actor=admin, organisation=organisation, proposal="Nous aidons."
    )
    post(title="Sans rapport")
    hidden = post(author=admin, organisation=organisation, title="Masqué secret")
    Challenge.objects.filter(pk=hidden.pk).update(moderation=ModerationState.HIDDEN)

    page = organisation_page(client, organisation)

    assert 'aria-labelledby="organisation-defis"' in page
    posted_at = page.index("Posté par elle")
    helped_at = page.index("Aidé par elle")
    assert page.index("a fait connaître") < posted_at < page.index("proposé son aide") < helped_at
    assert "Sans rapport" not in page
    assert "secret" not in page


def test_the_organisation_page_without_challenges(client):
    page = organisation_page(client, OrganisationFactory())

    assert "Aucun défi posté ni aucune proposition d'aide" in page


def test_the_organisation_section_shows_a_few_and_counts_them_all():
    organisation = OrganisationFactory()
    admin = MembershipFactory(organisation=organisation, role=Role.ADMIN).user
    for index in range(sections.CHALLENGES_ON_ORGANISATION_PAGE + 2):
        post(author=admin, organisation=organisation, title=f"Défi {index}")

    context = sections.organisation_section_context(organisation, None)

    assert len(context["posted"]) == sections.CHALLENGES_ON_ORGANISATION_PAGE
    assert context["challenges_count"] == sections.CHALLENGES_ON_ORGANISATION_PAGE + 2
    assert context["more"] is True


def test_the_organisation_section_query_count_does_not_grow(client):
    organisation = OrganisationFactory()
    admin = MembershipFactory(organisation=organisation, role=Role.ADMIN).user
    qpv = QPVFactory()

    def queries(total: int) -> int:
        while Challenge.objects.count() < total:
            post(author=admin, organisation=organisation, qpvs=[qpv])
        with CaptureQueriesContext(connection) as captured:
            sections.organisation_section_context(organisation, None)
        return len(captured)

    assert queries(2) == queries(8) <= 2
