"""The défi's lifecycle (`enums.CHALLENGE_WORKFLOW`): solved with its outcome, closed with a
reason, reopened by the team. Accepting an offer (`offers.py`) moves it to « being addressed ».

Each transition is checked while holding the row lock, recorded as a public step
(`ChallengeStatusChange`) and a journal line (`core.ActionLog`, named by the table), and
e-mailed to the supporters and the author after commit, one message each.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from quartiers40.core.pagecache import bumps_cache_version
from quartiers40.core.workflows import Transition
from quartiers40.members.models import User
from quartiers40.notifications.services import notification_record
from quartiers40.projects.models import Project

from .. import selectors
from ..enums import CHALLENGE_WORKFLOW
from ..models import Challenge, ChallengeStatusChange
from ._common import _context, _email_each

STEP_SUBJECTS = {
    "accept_offer": gettext_lazy("Un défi que vous suivez avance : %(title)s"),
    "solve": gettext_lazy("Un défi que vous suivez est résolu : %(title)s"),
    "close": gettext_lazy("Un défi que vous suivez est fermé : %(title)s"),
    "reopen": gettext_lazy("Un défi que vous suivez est rouvert : %(title)s"),
}


def _step_apply(challenge: Challenge, step: Transition, *, actor: User, note: str = "") -> None:
    """Move the (locked, checked) défi: its status, the public step, the journal line."""
    from_status = CHALLENGE_WORKFLOW.apply(challenge, step, actor=actor, reason=note)
    challenge.status_changed_at = timezone.now()
    ChallengeStatusChange.objects.create(
        challenge=challenge,
        from_status=from_status,
        to_status=challenge.status,
        actor=actor,
        note=note,
    )


def _step_email(challenge: Challenge, step: Transition, *, actor: User, **context: Any) -> None:
    """The supporters and the author hear of the step (not whoever made it)."""
    # Who follows the défi (notifications) hears of it at the frequency they chose.
    notification_record(kind="challenge_update", item=challenge, title=challenge.title)
    _email_each(
        selectors.challenge_recipients(challenge),
        subject=str(STEP_SUBJECTS[step.name]) % {"title": challenge.title},
        template=f"challenges/emails/status_{challenge.status}.txt",
        exclude=actor,
        **_context(challenge),
        **context,
    )


@bumps_cache_version("challenges")
@transaction.atomic
def challenge_solve(
    *,
    challenge: Challenge,
    actor: User,
    outcome_text: str,
    outcome_result: str,
    outcome_project: Project | None = None,
) -> Challenge:
    """Record the outcome: what was done, with which project, the result in one line."""
    step = CHALLENGE_WORKFLOW.check(challenge, "solve", actor=actor)
    errors = {}
    outcome_text = (outcome_text or "").strip()
    outcome_result = (outcome_result or "").strip()
    if not outcome_text:
        errors["outcome_text"] = _("Racontez ce qui a été fait.")
    if not outcome_result:
        errors["outcome_result"] = _("Donnez le résultat en une ligne.")
    if errors:
        raise ValidationError(errors)
    if outcome_project is not None and not (
        selectors.challenge_outcome_projects(challenge).filter(pk=outcome_project.pk).exists()
    ):
        raise ValidationError(
            {"outcome_project": _("Choisissez le projet d'une proposition acceptée.")}
        )
    _step_apply(challenge, step, actor=actor, note=outcome_result)
    challenge.outcome_text = outcome_text
    challenge.outcome_result = outcome_result
    challenge.outcome_project = outcome_project
    challenge.full_clean()
    challenge.save()
    _step_email(challenge, step, actor=actor, outcome_result=outcome_result)
    return challenge


@bumps_cache_version("challenges")
@transaction.atomic
def challenge_close(*, challenge: Challenge, actor: User, reason: str) -> Challenge:
    """Close without a solution, with its reason."""
    step = CHALLENGE_WORKFLOW.check(challenge, "close", actor=actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Expliquez pourquoi le défi est fermé.")})
    _step_apply(challenge, step, actor=actor, note=reason)
    challenge.closed_reason = reason
    challenge.save()
    _step_email(challenge, step, actor=actor, reason=reason)
    return challenge


@bumps_cache_version("challenges")
@transaction.atomic
def challenge_reopen(*, challenge: Challenge, actor: User) -> Challenge:
    """The team reopens a défi closed by mistake."""
    step = CHALLENGE_WORKFLOW.check(challenge, "reopen", actor=actor)
    _step_apply(challenge, step, actor=actor)
    challenge.closed_reason = ""
    challenge.save()
    _step_email(challenge, step, actor=actor)
    return challenge
