from datetime import date

import pytest
from django.utils import translation

from quartiers40.opportunities.enums import Cost, Level, QPVPriority, Situation
from quartiers40.opportunities.explain import (
    distance_words,
    explanation,
    reason_line,
    reasons,
    result_explain,
)
from quartiers40.opportunities.models import Opportunity
from quartiers40.opportunities.selectors import Criteria, NearResult

TODAY = date(2025, 3, 3)


def _item(**fields) -> Opportunity:
    """An unsaved opportunity: the reasons read its fields only."""
    defaults = {"cost": Cost.FREE, "level_required": Level.NONE, "is_remote": False}
    return Opportunity(**{**defaults, **fields})


@pytest.mark.parametrize(
    ("metres", "words"),
    [
        (3, "50 m"),
        (120, "100 m"),
        (800, "800 m"),
        (810, "800 m"),
        (826, "850 m"),
        (949, "950 m"),
        (960, "1 km"),
        (2040, "2 km"),
        (1240, "1,2 km"),
        (9400, "9,4 km"),
        (18_300, "18 km"),
    ],
)
def test_distances_in_words_with_a_french_decimal_comma(metres, words):
    assert distance_words(metres) == words


def test_distance_follows_the_active_language():
    with translation.override("en"):
        assert distance_words(1240) == "1.2 km"


def test_the_example_of_the_issue():
    opportunity = _item(age_min=16, age_max=25)
    line = reason_line(reasons(opportunity, distance_m=790, today=TODAY))
    assert line == "Gratuit · à 800 m · pour les 16–25 ans · sans diplôme"


def test_remote_only_and_both():
    assert reasons(_item(is_remote=True), distance_m=None, today=TODAY)[1] == "à distance"
    both = reasons(_item(is_remote=True), distance_m=2500, today=TODAY)
    assert both[1] == "à 2,5 km ou à distance"


def test_cost_words():
    assert reasons(_item(cost=Cost.COVERED), today=TODAY)[0] == "Pris en charge"
    assert reasons(_item(cost=Cost.PAID), today=TODAY)[0] == "Payant"


def test_open_ended_ages():
    assert "à partir de 18 ans" in reasons(_item(age_min=18), today=TODAY)
    assert "jusqu'à 30 ans" in reasons(_item(age_max=30), today=TODAY)


def test_level_asked():
    assert "diplôme demandé : Baccalauréat" in reasons(_item(level_required=Level.BAC), today=TODAY)
    assert "sans diplôme" not in reasons(_item(level_required=Level.BAC), today=TODAY)


def test_her_situation_is_said_first():
    opportunity = _item(situations=[Situation.YOUNG, Situation.JOB_SEEKER])
    criteria = Criteria(situations=(Situation.JOB_SEEKER,))
    said = reasons(opportunity, criteria=criteria, today=TODAY)
    assert "pour les personnes qui cherchent un emploi" in said
    assert "pour les jeunes" not in said
    assert "pour les jeunes" in reasons(opportunity, today=TODAY)


def test_for_everybody_says_no_situation():
    said = reasons(_item(situations=[]), today=TODAY)
    assert not any(reason.startswith("pour les personnes") for reason in said)


def test_deadline_soon_is_said_far_is_not():
    assert "inscription avant le 10 mars" in reasons(_item(deadline=date(2025, 3, 10)), today=TODAY)
    assert "inscription jusqu'à ce soir" in reasons(_item(deadline=TODAY), today=TODAY)
    far = reasons(_item(deadline=date(2025, 6, 1)), today=TODAY)
    assert not any("inscription" in reason for reason in far)


def test_qpv_rule_names_her_quartier():
    opportunity = _item(qpv_priority=QPVPriority.ONLY)
    lines = explanation(opportunity, distance_m=300, home_qpv_name="Goutte d'Or", today=TODAY)
    assert lines == [
        "Gratuit · à 300 m · sans diplôme",
        "Réservé aux habitants des quartiers prioritaires — vous habitez Goutte d'Or",
    ]
    assert explanation(opportunity, today=TODAY)[-1] == (
        "Réservé aux habitants des quartiers prioritaires"
    )
    first = explanation(_item(qpv_priority=QPVPriority.FIRST), today=TODAY)
    assert first[-1] == "Priorité aux habitants des quartiers prioritaires"
    assert len(explanation(_item(), today=TODAY)) == 1


def test_result_explain_fills_the_result():
    result = NearResult(opportunity=_item(is_remote=True), distance_m=None)
    assert result_explain(result).reasons[0].startswith("Gratuit · à distance")
