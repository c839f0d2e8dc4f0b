"""Every figure against the hand-counted territory of conftest.py."""

import pytest
from django.utils import timezone

from quartiers40.observatory.models import Figure, Refresh
from quartiers40.observatory.services import observatory_recompute
from tests.observatory.conftest import at

pytestmark = pytest.mark.django_db


def figures(kind: str, code: str = "") -> dict[tuple[str, str, str], int]:
    rows = Figure.objects.filter(scope_kind=kind, scope_code=code)
    return {(row.metric, row.dimension, row.period): row.value for row in rows}


def value(found, metric, dimension="", period=""):
    return found.get((metric, dimension, period), 0)


@pytest.fixture
def computed(territory):
    observatory_recompute()
    return territory


def test_members_acting_there_by_kind(computed):
    a, b = figures("qpv", "QN09310M"), figures("qpv", "QN09311M")
    assert value(a, "members") == 2  # the association and the start-up; not the candidate
    assert value(a, "members", "association") == 1
    assert value(a, "members", "startup") == 1
    assert value(b, "members") == 1
    assert value(figures("commune", "93066"), "members") == 2
    assert value(figures("department", "93"), "members") == 2
    assert value(figures("region", "11"), "members") == 2
    national = figures("national")
    assert value(national, "members") == 3
    assert value(national, "members", "company") == 1
    # Their trend: the quarter each joined.
    assert value(national, "members", "", "2025-t3") == 1
    assert value(national, "members", "", "2025-t4") == 2
    assert value(national, "members", "startup", "2025-t4") == 1


def test_projects_by_stage_and_ai_category(computed):
    a = figures("qpv", "QN09310M")
    assert value(a, "projects_stage") == 2  # the draft is not counted
    assert value(a, "projects_stage", "pilot") == 1
    assert value(a, "projects_stage", "deployed") == 1
    assert value(figures("qpv", "QN09311M"), "projects_stage") == 1
    assert value(figures("commune", "93066"), "projects_stage") == 2
    department = figures("department", "93")
    # p1 and p2 by their QPVs, p4 by its department (it has no QPV).
    assert value(department, "projects_stage") == 3
    assert value(department, "projects_stage", "idea") == 1
    assert value(figures("region", "11"), "projects_stage") == 3
    assert value(figures("department", "13"), "projects_stage") == 1
    national = figures("national")
    assert value(national, "projects_stage") == 4
    assert value(national, "projects_ai", "language") == 2
    assert value(national, "projects_ai", "vision") == 1
    assert value(national, "projects_ai", "unspecified") == 1
    assert value(national, "projects_stage", "", "2025-t3") == 1
    assert value(national, "projects_stage", "", "2025-t4") == 2
    assert value(national, "projects_stage", "", "2026-t1") == 1
    assert value(figures("theme", "employment"), "projects_stage") == 3
    assert value(figures("theme", "education"), "projects_stage") == 1
    assert value(figures("theme", "health"), "projects_stage") == 1


def test_challenges_by_status_solved_and_median_days(computed):
    a = figures("qpv", "QN09310M")
    assert value(a, "challenges") == 3  # the hidden one is not counted
    assert value(a, "challenges", "open") == 1
    assert value(a, "challenges", "solved") == 2
    assert value(a, "challenges_solve_days") == 20  # 30 and 10 days
    b = figures("qpv", "QN09311M")
    assert value(b, "challenges") == 1
    assert value(b, "challenges_solve_days") == 10
    department = figures("department", "93")
    assert value(department, "challenges") == 4  # with the one placed by its department
    assert value(department, "challenges", "being_addressed") == 1
    assert value(department, "challenges_solved") == 2
    assert value(department, "challenges_solved", "", "2025-t3") == 1
    assert value(department, "challenges_solved", "", "2025-t4") == 1
    national = figures("national")
    assert value(national, "challenges") == 5
    assert value(national, "challenges", "closed") == 1
    assert value(national, "challenges_solve_days") == 20
    assert value(national, "challenges_solve_days", "", "2025-t4") == 10
    assert value(national, "challenges", "", "2025-t3") == 3  # posted in T3: c1, c2, c5
    # The oldest open défi of A was posted on 5 July 2025.
    posted = at(2025, 7, 5)
    expected = (timezone.now() - posted).days
    assert abs(value(a, "challenges_wait_days") - expected) <= 1


def test_opportunities_by_kind_and_interests_by_outcome(computed):
    a, b = figures("qpv", "QN09310M"), figures("qpv", "QN09311M")
    assert value(a, "opportunities") == 1
    assert value(a, "opportunities", "training") == 1
    assert value(b, "opportunities") == 2  # one 800 m away, one 1.5 km away
    assert value(a, "interests") == 3
    assert value(a, "interests", "new") == 2
    assert value(b, "interests") == 9
    assert value(b, "interests", "contacted") == 6
    national = figures("national")
    assert value(national, "opportunities") == 3  # with the remote one; not the draft
    assert value(national, "opportunities", "workshop") == 1
    assert value(national, "interests") == 9
    assert value(national, "interests", "", "2025-t3") == 3
    assert value(national, "interests", "", "2026-t1") == 6


def test_meetings_editions_attendance_and_actions(computed):
    department = figures("department", "93")
    assert value(department, "editions") == 1
    assert value(department, "editions", "on_site") == 1
    assert value(department, "registrations") == 8  # not the cancelled one
    assert value(department, "registrations", "on_site") == 6
    assert value(department, "registrations", "online") == 2
    assert value(department, "attendance") == 5
    assert value(department, "attendance", "on_site") == 4
    assert value(department, "actions") == 4
    for state in ("done", "open", "overdue", "dropped"):
        assert value(department, "actions", state) == 1
    assert value(figures("region", "11"), "registrations") == 8
    assert value(figures("commune", "93066"), "editions") == 1
    national = figures("national")
    assert value(national, "editions") == 2  # not the draft
    assert value(national, "editions", "hybrid") == 1
    assert value(national, "registrations") == 11
    assert value(national, "registrations", "", "2025-t4") == 3
    assert value(national, "attendance") == 5
    # Meetings have no QPV.
    assert value(figures("qpv", "QN09310M"), "editions") == 0


def test_suggestions_made_and_led_to_something(computed):
    a = figures("qpv", "QN09310M")
    assert value(a, "suggestions") == 2
    assert value(a, "suggestions", "led") == 1
    assert value(a, "suggestions", "not_yet") == 1
    assert value(figures("qpv", "QN01305M"), "suggestions") == 1  # about p5, in C
    national = figures("national")
    assert value(national, "suggestions") == 3
    assert value(national, "suggestions", "led") == 1


def test_recompute_swaps_every_row_and_records_the_refresh(computed):
    first = Refresh.objects.get()
    count = Figure.objects.count()
    report = observatory_recompute()
    assert Figure.objects.count() == count == report.rows
    assert Refresh.objects.count() == 2
    assert report.version != first.version


def test_recompute_reads_in_a_bounded_number_of_queries(computed, django_assert_max_num_queries):
    # One grouped query per (source, placement), not one per object.
    with django_assert_max_num_queries(120):
        observatory_recompute()
