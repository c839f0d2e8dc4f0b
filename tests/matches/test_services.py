"""What came of a suggestion, read from the other apps' own records and linked, and the
figures the observatory will count."""

from django.utils import timezone

from quartiers40.challenges.services.offers import challenge_offer_accept, challenge_offer_make
from quartiers40.matches.enums import Feedback, MatchContext, MatchOutcome, MatchStep
from quartiers40.matches.models import Match
from quartiers40.matches.sections import (
    agenda_section,
    challenge_section,
    near_me_section,
    project_section,
)
from quartiers40.matches.selectors import match_figures
from quartiers40.matches.services import match_feedback, match_open, match_outcomes_link
from quartiers40.matches.tasks import matches_link_queue
from quartiers40.meetings.services.registrations import registration_create
from quartiers40.opportunities.enums import InterestStatus
from quartiers40.opportunities.selectors import NearResult
from quartiers40.opportunities.services.interests import interest_create, interest_outcome_record
from tests.challenges.factories import OfferFactory
from tests.members.factories import MembershipFactory, ResidentFactory


def shown(section) -> dict[str, Match]:
    return {item.suggestion.key: item.match for g in section["groups"] for item in g["items"]}


def test_an_offer_made_after_the_suggestion_is_linked_then_its_acceptance(world, someone):
    matches = shown(challenge_section(world.challenge, someone))
    match = matches[f"organisation:{world.association.pk}"]
    project_match = matches[f"project:{world.project.pk}"]
    offer = challenge_offer_make(
        challenge=world.challenge,
        actor=world.association_member,
        organisation=world.association,
        proposal="Des ateliers CV le mercredi.",
        project=world.project,
    )
    report = match_outcomes_link()
    assert report.linked >= 2
    match.refresh_from_db()
    assert (match.offer, match.step, match.outcome) == (
        offer,
        MatchStep.OFFER_MADE,
        MatchOutcome.PENDING,
    )
    project_match.refresh_from_db()
    assert project_match.offer == offer  # the offer of the suggested project's carrier
    challenge_offer_accept(offer=offer, actor=world.challenge.author)
    match_outcomes_link()
    match.refresh_from_db()
    assert match.outcome == MatchOutcome.SUCCEEDED
    assert match.step == MatchStep.PROJECT_STARTED and match.outcome_project == world.project
    assert match_outcomes_link().linked == 0  # idempotent


def test_an_offer_made_before_the_suggestion_is_not_its_outcome(world, someone):
    OfferFactory(challenge=world.challenge, organisation=world.association)
    matches = shown(challenge_section(world.challenge, someone))
    match_outcomes_link()
    match = matches[f"organisation:{world.association.pk}"]
    match.refresh_from_db()
    assert match.offer is None and match.step == MatchStep.NONE


def test_an_interest_in_the_suggested_opportunity_is_linked(world):
    resident = ResidentFactory()
    matches = shown(challenge_section(world.challenge, resident))
    match = matches[f"opportunity:{world.opportunity.pk}"]
    interest = interest_create(
        opportunity=world.opportunity, name="Awa", email="awa@exemple.fr", person=resident
    )
    match_outcomes_link()
    match.refresh_from_db()
    assert (match.interest, match.step, match.outcome) == (
        interest,
        MatchStep.CONTACTED,
        MatchOutcome.PENDING,
    )
    interest_outcome_record(
        interest=interest, actor=world.association_member, status=InterestStatus.STARTED
    )
    match_outcomes_link()
    match.refresh_from_db()
    assert match.step == MatchStep.OPPORTUNITY_TAKEN and match.outcome == MatchOutcome.SUCCEEDED


def test_an_anonymous_visitors_interest_is_never_linked_to_anybody(world):
    results = [NearResult(opportunity=world.opportunity, distance_m=800, reasons=["À 800 m"])]
    near_me_section(results, None)
    match = Match.objects.get(context=MatchContext.NEAR_ME, user=None)
    interest_create(opportunity=world.opportunity, name="Awa", email="awa@exemple.fr")
    match_outcomes_link()
    match.refresh_from_db()
    assert match.interest is None


def test_near_me_keeps_her_reasons_only_when_she_is_signed_in(world):
    results = [
        NearResult(opportunity=world.opportunity, distance_m=800, reasons=["Gratuit · à 800 m"])
    ]
    assert near_me_section(results, None) == {"groups": []}  # recorded, not shown again
    anonymous = Match.objects.get(context=MatchContext.NEAR_ME, user=None)
    assert "800 m" not in anonymous.explanation
    resident = ResidentFactory()
    (hers,) = shown(near_me_section(results, resident)).values()
    assert "à 800 m" in hers.explanation
    assert hers.context == MatchContext.NEAR_ME and hers.user == resident


def test_a_registration_of_the_pitchs_people_is_linked(world, edition):
    matches = shown(agenda_section(edition["edition"], edition["organiser"]))
    match = matches[f"pitch:{edition['fits'].pk}"]
    speaker = MembershipFactory(organisation=world.association).user
    registration = registration_create(edition=edition["edition"], actor=speaker)
    match_outcomes_link()
    match.refresh_from_db()
    assert match.registration == registration and match.step == MatchStep.REGISTERED
    assert match.outcome == MatchOutcome.SUCCEEDED


def test_a_suggested_partner_or_pilot_site_taken_is_linked_to_the_project(world, someone):
    matches = shown(project_section(world.project, someone))
    partner = matches[f"organisation:{world.startup.pk}"]
    site = matches[f"qpv:{world.cosmonautes.code}"]
    world.project.partners.add(world.startup)
    world.project.qpvs.add(world.cosmonautes)
    match_outcomes_link()
    for match in (partner, site):
        match.refresh_from_db()
        assert match.step == MatchStep.PROJECT_STARTED
        assert match.outcome_project == world.project
        assert match.outcome == MatchOutcome.SUCCEEDED


def test_the_listener_links_after_a_write_of_an_outcome_topic(world, someone, settings):
    settings.SEARCH_TASK_BACKEND = "immediate"
    settings.TASKS = {
        **settings.TASKS,
        "immediate": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    }
    matches = shown(challenge_section(world.challenge, someone))
    OfferFactory(challenge=world.challenge, organisation=world.association)
    matches_link_queue(("members",))  # not an outcome topic: nothing runs
    match = matches[f"organisation:{world.association.pk}"]
    match.refresh_from_db()
    assert match.offer is None
    matches_link_queue(("challenges",))
    match.refresh_from_db()
    assert match.offer is not None


def test_the_figures_by_context(world, someone, edition):
    anonymous = shown(challenge_section(world.challenge, None))
    mine = shown(challenge_section(world.challenge, someone))
    shown(agenda_section(edition["edition"], edition["organiser"]))
    match_open(match=mine[f"project:{world.project.pk}"], viewer=someone)
    match_feedback(match=mine[f"project:{world.project.pk}"], viewer=someone, feedback="useful")
    match_feedback(
        match=mine[f"organisation:{world.startup.pk}"],
        viewer=someone,
        feedback=Feedback.NOT_USEFUL,
    )
    OfferFactory(challenge=world.challenge, organisation=world.association)
    match_outcomes_link()
    figures = match_figures()
    challenge = figures[MatchContext.CHALLENGE]
    assert challenge["suggested"] == len(anonymous) + len(mine)
    assert challenge["opened"] == 1
    assert (challenge["useful"], challenge["not_useful"]) == (1, 1)
    # The association's offer answers its own suggestion and its project's, for both viewers.
    assert challenge["led_to_something"] == 4
    assert figures[MatchContext.AGENDA]["suggested"] == 1
    assert figures["all"]["suggested"] == challenge["suggested"] + 1
    assert match_figures(context=MatchContext.AGENDA).keys() == {MatchContext.AGENDA, "all"}
    later = match_figures(since=timezone.now() + timezone.timedelta(days=1))
    assert later["all"]["suggested"] == 0


def test_the_nightly_command_links_them_all(world, someone):
    from io import StringIO

    from django.core.management import call_command

    matches = shown(challenge_section(world.challenge, someone))
    OfferFactory(challenge=world.challenge, organisation=world.association)
    out = StringIO()
    call_command("matches_outcomes_link", stdout=out)
    assert "linked" in out.getvalue()
    match = matches[f"organisation:{world.association.pk}"]
    match.refresh_from_db()
    assert match.step == MatchStep.OFFER_MADE


def test_an_offer_made_through_the_site_is_linked_once_committed(
    world, someone, django_capture_on_commit_callbacks
):
    matches = shown(challenge_section(world.challenge, someone))
    with django_capture_on_commit_callbacks(execute=True):
        challenge_offer_make(
            challenge=world.challenge,
            actor=world.association_member,
            organisation=world.association,
            proposal="Des ateliers CV le mercredi.",
        )
    match = matches[f"organisation:{world.association.pk}"]
    match.refresh_from_db()
    assert match.step == MatchStep.OFFER_MADE  # the listener queued the linking (immediate)
