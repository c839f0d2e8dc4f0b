"""The workflow helper: who may, from which state, under the row lock, logged by name."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from quartiers40.core.models import ActionLog
from quartiers40.core.workflows import Transition, Workflow, workflows_markdown
from quartiers40.members.enums import MembershipRequestStatus as Status
from quartiers40.members.models import MembershipRequest
from tests.members.factories import CoordinatorFactory, MembershipRequestFactory, UserFactory

pytestmark = pytest.mark.django_db


def coordinator_only(user, request) -> bool:
    return bool(getattr(user, "is_coordinator", False))


def requester_only(user, request) -> bool:
    return user == request.requester


WORKFLOW = Workflow(
    name="test-request",
    title="Test requests",
    field="status",
    states=Status,
    initial=[Status.PENDING],
    transitions=(
        Transition(
            "accept",
            sources={Status.PENDING},
            target=Status.ACCEPTED,
            who="tests.core.test_workflows.coordinator_only",
            log="test_accepted",
        ),
        Transition(
            "withdraw",
            sources={Status.PENDING, Status.REFUSED},
            target=Status.WITHDRAWN,
            who="tests.core.test_workflows.requester_only",
            log="test_withdrawn",
        ),
        Transition("expire", sources={Status.PENDING}, target=Status.REFUSED, who=None, log="x"),
    ),
    invalid_message="Impossible pour une demande « %(status)s ».",
    registered=False,
)


def test_allowed_lists_what_this_person_may_do_from_this_state():
    request = MembershipRequestFactory()
    coordinator = CoordinatorFactory()
    assert WORKFLOW.allowed(request, coordinator) == {"accept"}
    assert WORKFLOW.allowed(request, request.requester) == {"withdraw"}
    assert WORKFLOW.allowed(request, None) == {"expire"}  # the platform
    assert WORKFLOW.allowed(request, UserFactory()) == set()
    request.status = Status.ACCEPTED
    assert WORKFLOW.allowed(request, coordinator) == set()
    assert WORKFLOW.can(request, "withdraw", request.requester) is False


def test_check_locks_and_reads_the_row_again_before_checking_the_state():
    request = MembershipRequestFactory()
    coordinator = CoordinatorFactory()
    # Another request accepted it meanwhile: our stale copy still says "pending".
    MembershipRequest.objects.filter(pk=request.pk).update(status=Status.ACCEPTED)
    with transaction.atomic(), pytest.raises(ValidationError) as error:
        WORKFLOW.check(request, "accept", actor=coordinator)
    assert error.value.code == "invalid_transition"
    assert error.value.messages == ["Impossible pour une demande « Acceptée »."]
    assert request.status == Status.ACCEPTED  # read again in place


def test_check_refuses_the_wrong_person():
    request = MembershipRequestFactory()
    with transaction.atomic(), pytest.raises(PermissionDenied):
        WORKFLOW.check(request, "accept", actor=UserFactory())
    # A service that proved who acts by a signed link checks the state only.
    with transaction.atomic():
        assert WORKFLOW.check(request, "withdraw", actor=None, authorised=True).name == "withdraw"


def test_apply_moves_the_state_and_logs_the_table_name():
    request = MembershipRequestFactory()
    coordinator = CoordinatorFactory()
    with transaction.atomic():
        step = WORKFLOW.check(request, "accept", actor=coordinator)
        assert WORKFLOW.apply(request, step, actor=coordinator, reason="ok") == Status.PENDING
        request.save(update_fields=["status"])
    request.refresh_from_db()
    assert request.status == Status.ACCEPTED
    log = ActionLog.objects.get(action="test_accepted")
    assert (log.actor, log.from_status, log.to_status, log.reason) == (
        coordinator,
        Status.PENDING,
        Status.ACCEPTED,
        "ok",
    )


def test_a_table_with_an_unknown_state_or_a_duplicate_name_is_refused():
    with pytest.raises(ValueError, match="unknown states"):
        Workflow(
            name="bad",
            title="Bad",
            field="status",
            states=Status,
            transitions=(
                Transition("go", sources={"nowhere"}, target=Status.PENDING, who=None, log="x"),
            ),
            registered=False,
        )
    with pytest.raises(ValueError, match="share a name"):
        Workflow(
            name="bad",
            title="Bad",
            field="status",
            states=Status,
            transitions=(WORKFLOW["accept"], WORKFLOW["accept"]),
            registered=False,
        )


def test_the_diagram_shows_every_arrow_with_who_may():
    diagram = WORKFLOW.mermaid()
    assert diagram.startswith("stateDiagram-v2\n    [*] --> pending")
    assert "pending --> accepted : accept (coordinator_only)" in diagram
    assert "refused --> withdrawn : withdraw (requester_only)" in diagram
    assert "pending --> refused : expire (platform)" in diagram
    page = workflows_markdown([WORKFLOW])
    assert "## Test requests" in page and "| `accept` | `pending` | `accepted` |" in page
