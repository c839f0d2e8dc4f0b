"""The interests received: only the provider's people and the team read them, and the CSV."""

import csv
import io
from datetime import date

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from quartiers40.members.enums import OrganisationStatus
from quartiers40.opportunities.enums import InterestStatus, OpportunityStatus
from tests.members.factories import MembershipFactory, UserFactory
from tests.opportunities.factories import InterestFactory, OpportunityFactory, PlaceFactory
from tests.opportunities.provider_helpers import (
    _no_geocoder as _no_geocoder,
)
from tests.opportunities.provider_helpers import (
    coordinator,
    member,
)

pytestmark = pytest.mark.django_db


def _url(opportunity, name="opportunities:interests"):
    return reverse(name, kwargs={"slug": opportunity.slug})


@pytest.fixture
def received():
    user, organisation = member()
    opportunity = OpportunityFactory(organisation=organisation)
    mediator = UserFactory(display_name="Samia Médiatrice")
    MembershipFactory(user=mediator)
    InterestFactory(
        opportunity=opportunity,
        name="Awa",
        email="awa@exemple.fr",
        phone="0600000001",
        message="Je voudrais venir mardi.",
    )
    InterestFactory(
        opportunity=opportunity,
        name='=HYPERLINK("http://x")',
        email="",
        phone="0600000002",
        registered_by=mediator,
        consent_at=timezone.now(),
    )
    return user, opportunity


def test_the_provider_reads_each_interest(client, received):
    user, opportunity = received
    client.force_login(user)
    page = client.get(_url(opportunity)).content.decode()
    assert "Awa" in page
    assert "awa@exemple.fr" in page and "0600000001" in page
    assert "Je voudrais venir mardi." in page
    assert "Samia Médiatrice" in page and "avec son accord le" in page
    assert "2 à recontacter" in page
    assert page.count('action="/opportunites/') == 2  # one outcome form each


@pytest.mark.parametrize("who", ["anonymous", "outsider", "the person", "mediator", "member"])
def test_nobody_else_reads_them(client, received, who):
    _user, opportunity = received
    if who == "anonymous":
        response = client.get(_url(opportunity))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("members:login"))
        return
    if who == "outsider":
        viewer, _organisation = member()
    elif who == "the person":
        viewer = UserFactory()
        InterestFactory(opportunity=opportunity, person=viewer, email=viewer.email)
    elif who == "mediator":
        viewer = opportunity.interests.get(registered_by__isnull=False).registered_by
    else:  # a member organisation of the collective, but not this one
        viewer, _organisation = member(OrganisationStatus.MEMBER)
    client.force_login(viewer)
    for name in ("opportunities:interests", "opportunities:interests_csv"):
        response = client.get(_url(opportunity, name))
        assert response.status_code == 403
        assert b"awa@exemple.fr" not in response.content
    interest = opportunity.interests.first()
    response = client.post(
        reverse(
            "opportunities:interest_outcome",
            kwargs={"slug": opportunity.slug, "reference": interest.reference},
        ),
        {f"suite-{interest.pk}-status": "started"},
    )
    assert response.status_code == 403
    interest.refresh_from_db()
    assert interest.status == InterestStatus.NEW


def test_a_draft_s_interests_are_not_even_found(client):
    opportunity = OpportunityFactory(status=OpportunityStatus.DRAFT)
    viewer, _organisation = member()
    client.force_login(viewer)
    assert client.get(_url(opportunity)).status_code == 404


def test_the_coordination_reads_them(client, received):
    _user, opportunity = received
    client.force_login(coordinator())
    assert b"awa@exemple.fr" in client.get(_url(opportunity)).content


def test_recording_an_outcome(client, received):
    user, opportunity = received
    interest = opportunity.interests.get(name="Awa")
    url = reverse(
        "opportunities:interest_outcome",
        kwargs={"slug": opportunity.slug, "reference": interest.reference},
    )
    client.force_login(user)
    assert client.get(url).status_code == 405
    response = client.post(url, {f"suite-{interest.pk}-note": "Rappeler lundi"})
    assert response.status_code == 400  # no outcome chosen: said, note kept
    assert 'value="Rappeler lundi"' in response.content.decode()
    response = client.post(
        url,
        {f"suite-{interest.pk}-status": "contacted", f"suite-{interest.pk}-note": "Appelée"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#interet-{interest.pk}")
    interest.refresh_from_db()
    assert interest.status == InterestStatus.CONTACTED
    assert interest.outcome_note == "Appelée"
    assert interest.outcome_at is not None
    page = client.get(_url(opportunity)).content.decode()
    assert "1 à recontacter" in page


def test_csv_export_is_neutralised(client, received):
    user, opportunity = received
    client.force_login(user)
    response = client.get(_url(opportunity, "opportunities:interests_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Reçu le", "Nom", "Courriel"]
    assert len(rows) == 3
    names = {row[1] for row in rows[1:]}
    assert "Awa" in names
    assert '\'=HYPERLINK("http://x")' in names  # never a formula
    mediated = next(row for row in rows[1:] if row[5])
    assert mediated[5] == "Samia Médiatrice" and mediated[6]


def test_the_e_mail_link_leads_to_this_page(mailoutbox, django_capture_on_commit_callbacks):
    from quartiers40.opportunities import services

    _user, organisation = member()
    opportunity = OpportunityFactory(organisation=organisation, is_remote=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.interest_create(opportunity=opportunity, name="Awa", phone="0600000000")
    provider_mail = next(m for m in mailoutbox if "intéressée" in m.subject)
    assert _url(opportunity) in provider_mail.body


# --- The detail page's actions ------------------------------------------------------------


def _actions(opportunity, user):
    request = RequestFactory().get(opportunity.get_absolute_url())
    request.user = user
    return render_to_string(
        "opportunities/provider/_detail_actions.html",
        {"opportunity": opportunity, "user": user, "request": request},
        request=request,
    )


def test_detail_actions_for_anonymous_are_empty():
    from django.contrib.auth.models import AnonymousUser

    assert _actions(OpportunityFactory(), AnonymousUser()).strip() == ""


def test_detail_actions_for_the_provider(received):
    user, opportunity = received
    html = _actions(opportunity, user)
    assert reverse("opportunities:edit", kwargs={"slug": opportunity.slug}) in html
    assert _url(opportunity) in html
    assert "2 personnes intéressées" in html
    assert reverse("opportunities:withdraw", kwargs={"slug": opportunity.slug}) in html
    assert "approuver" not in html  # no review for her


def test_detail_actions_for_an_outsider_are_empty():
    outsider, _organisation = member()
    assert _actions(OpportunityFactory(), outsider).strip() == ""


def test_detail_actions_publish_or_send():
    user, organisation = member()
    draft = OpportunityFactory(organisation=organisation, status=OpportunityStatus.DRAFT)
    assert ">Publier</button>" in _actions(draft, user)
    user, organisation = member(OrganisationStatus.CANDIDATE)
    draft = OpportunityFactory(organisation=organisation, status=OpportunityStatus.DRAFT)
    html = _actions(draft, user)
    assert "Envoyer à la coordination</button>" in html
    assert reverse("opportunities:publish", kwargs={"slug": draft.slug}) in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_detail_actions_for_the_coordination_on_a_submitted_one():
    _user, organisation = member(OrganisationStatus.CANDIDATE)
    opportunity = OpportunityFactory(organisation=organisation, status=OpportunityStatus.SUBMITTED)
    PlaceFactory(opportunity=opportunity)
    html = _actions(opportunity, coordinator())
    assert reverse("opportunities:approve", kwargs={"slug": opportunity.slug}) in html
    assert reverse("opportunities:return", kwargs={"slug": opportunity.slug}) in html
    assert 'name="comments"' in html


def test_detail_actions_for_an_expired_one_ask_for_new_dates():
    user, organisation = member()
    opportunity = OpportunityFactory(
        organisation=organisation, status=OpportunityStatus.EXPIRED, deadline=date(2020, 1, 1)
    )
    html = _actions(opportunity, user)
    assert "Donner de nouvelles dates" in html
    opportunity.deadline = None
    opportunity.save()
    html = _actions(opportunity, user)
    assert reverse("opportunities:reopen", kwargs={"slug": opportunity.slug}) in html
