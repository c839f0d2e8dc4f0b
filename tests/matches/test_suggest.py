"""The suggestions of every type: who is suggested, who never is, and why, in words."""

from quartiers40.matches import suggest
from quartiers40.matches.enums import SuggestionKind


def keys(suggestions):
    return [s.key for s in suggestions]


def says(suggestion, words: str) -> bool:
    """The explanation says these words (its first letter is a capital)."""
    return words.lower() in suggestion.explanation.lower()


def test_on_a_challenge_the_projects_that_could_answer_it_with_their_reasons(world):
    found = suggest.challenge_suggestions(world.challenge)
    projects = found[SuggestionKind.PROJECT]
    assert keys(projects) == [f"project:{world.project.pk}", f"project:{world.startup_project.pk}"]
    first, second = projects
    assert first.explanation.startswith("Déjà présent dans Franc-Moisin")
    assert says(first, "même thème : emploi")
    assert says(second, "à 1 km de Franc-Moisin")  # Floréal's centroid to Franc-Moisin's
    assert all(reason.text for reason in first.reasons)
    assert {reason.code for reason in first.reasons} >= {"theme", "active_in"}


def test_on_a_challenge_never_a_draft_project_nor_a_candidate_organisation(world):
    found = suggest.challenge_suggestions(world.challenge)
    assert f"project:{world.draft_project.pk}" not in keys(found[SuggestionKind.PROJECT])
    organisations = keys(found[SuggestionKind.ORGANISATION])
    assert f"organisation:{world.candidate.pk}" not in organisations
    assert organisations[0] == f"organisation:{world.association.pk}"


def test_on_a_challenge_the_organisations_say_where_they_act_and_their_kind(world):
    organisations = suggest.challenge_suggestions(world.challenge)[SuggestionKind.ORGANISATION]
    association = organisations[0]
    assert says(association, "déjà active dans Franc-Moisin")
    assert says(association, "même thème : emploi")
    assert says(association, "Association : un savoir-faire complémentaire")
    startup = next(s for s in organisations if s.object_id == world.startup.pk)
    assert says(startup, "Start-up : un savoir-faire complémentaire")


def test_on_a_challenge_the_opportunities_near_it_never_a_draft_nor_a_far_one(world):
    opportunities = suggest.challenge_suggestions(world.challenge)[SuggestionKind.OPPORTUNITY]
    assert keys(opportunities) == [f"opportunity:{world.opportunity.pk}"]
    (opportunity,) = opportunities
    assert says(opportunity, "dans le quartier Franc-Moisin")
    assert says(opportunity, "même thème : préparer sa candidature")


def test_a_hidden_or_pending_challenge_gets_no_suggestions(world):
    assert suggest.challenge_suggestions(world.hidden_challenge) == {}
    assert suggest.challenge_suggestions(world.pending_challenge) == {}


def test_geography_alone_suggests_nothing(world):
    world.challenge.themes = ["culture"]
    world.challenge.save()
    found = suggest.challenge_suggestions(world.challenge)
    assert found[SuggestionKind.PROJECT] == []  # same QPV, but nothing in common


def test_the_suggestions_of_a_subject_are_cached_a_few_minutes(world, django_assert_num_queries):
    suggest.challenge_suggestions(world.challenge)
    with django_assert_num_queries(0):
        suggest.challenge_suggestions(world.challenge)


def test_on_a_project_the_pilot_sites_where_it_is_asked_for_and_nothing_similar_exists(world):
    found = suggest.project_suggestions(world.project)
    sites = found[SuggestionKind.PILOT_SITE]
    # Cosmonautes asks (an open défi on employment), has no project; Floréal has one;
    # the hidden and the pending défis' QPVs are never suggested.
    assert keys(sites) == [f"qpv:{world.cosmonautes.code}"]
    (site,) = sites
    assert site.explanation.startswith("1 défi ouvert dans ce quartier (emploi)")
    assert says(site, "aucun projet semblable n'y existe encore")
    assert says(site, "km de Franc-Moisin")


def test_on_a_project_partners_of_complementary_kinds_already_active_there(world):
    partners = suggest.project_suggestions(world.project)[SuggestionKind.PARTNER]
    found = keys(partners)
    assert f"organisation:{world.startup.pk}" in found
    assert f"organisation:{world.town_hall.pk}" not in found  # nothing in common but place
    assert f"organisation:{world.candidate.pk}" not in found
    assert f"organisation:{world.association.pk}" not in found  # the carrier itself
    startup = partners[found.index(f"organisation:{world.startup.pk}")]
    assert says(startup, "Start-up : un savoir-faire complémentaire")
    assert says(startup, "même thème : emploi")


def test_on_a_project_no_funding_when_aides_territoires_is_off(world, settings):
    settings.AIDES_TERRITOIRES_KEY = ""
    assert suggest.project_suggestions(world.project)[SuggestionKind.FUNDING] == []


def test_on_the_agenda_builder_the_pitches_of_the_theme_and_the_city(world, edition):
    pitches = suggest.edition_suggestions(edition["edition"])[SuggestionKind.PITCH]
    assert keys(pitches) == [f"pitch:{edition['fits'].pk}"]
    (pitch,) = pitches
    assert says(pitch, "même thème : emploi")
    assert says(pitch, "à Saint-Denis, comme la rencontre")


def test_on_my_space_the_open_challenges_my_organisation_could_answer(world):
    found = suggest.organisation_suggestions(world.association)[SuggestionKind.CHALLENGE]
    found_keys = keys(found)
    assert f"challenge:{world.challenge.pk}" in found_keys
    assert f"challenge:{world.hidden_challenge.pk}" not in found_keys
    assert f"challenge:{world.pending_challenge.pk}" not in found_keys
    challenge = found[found_keys.index(f"challenge:{world.challenge.pk}")]
    assert says(challenge, "même thème : emploi")


def test_the_cache_keeps_each_language_apart(world):
    from django.utils import translation

    french = suggest.challenge_suggestions(world.challenge)[SuggestionKind.PROJECT][0]
    with translation.override("en"):
        english = suggest.challenge_suggestions(world.challenge)[SuggestionKind.PROJECT][0]
    assert french is not english
    assert says(suggest.challenge_suggestions(world.challenge)[SuggestionKind.PROJECT][0], "thème")


def test_a_declined_pitch_is_not_suggested(world, edition):
    from quartiers40.meetings.enums import PitchStatus

    edition["fits"].status = PitchStatus.DECLINED
    edition["fits"].save()
    assert suggest.edition_suggestions(edition["edition"])[SuggestionKind.PITCH] == []
