"""State machines declared as data: one table per status field, checked under the row lock.

Each model with a status declares its workflow next to its choices (`<app>/enums.py`):

    PROJECT_WORKFLOW = Workflow(
        name="project", field="status", states=ProjectStatus,
        transitions=(
            Transition("publish", sources={ProjectStatus.SUBMITTED}, target=ProjectStatus.PUBLISHED,
                       who="quartiers40.projects.permissions.can_publish_project",
                       log="project_published"),
        ),
    )

A service checks and applies a transition inside its transaction:

    step = PROJECT_WORKFLOW.check(project, "publish", actor=actor)  # locks the row, raises
    ...  # other checks; nothing is changed yet
    PROJECT_WORKFLOW.apply(project, step, actor=actor)  # sets the status, logs it
    project.save(update_fields=["status", ...])

Views, templates and the API ask the same table what to offer:
`PROJECT_WORKFLOW.allowed(project, user)` → {"publish", "return"}.

`who` names a predicate `(user, obj) -> bool` by its dotted path (enums.py stays free of
imports from permissions.py, which imports the models); `None` means the platform itself
(a deadline that passes, a worker), never a person. No I/O happens here but the row lock
and the action-log line; e-mails stay in the services.
"""

import dataclasses
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .db import lock_row

SYSTEM = None  # `who` of a transition the platform makes by itself


@dataclass(frozen=True)
class Transition:
    name: str
    sources: Collection[str]
    target: str
    who: str | None
    log: str
    description: str = ""
    # What a person reads when the state does not allow this action; else the table's.
    invalid_message: Any = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "sources", frozenset(str(s) for s in self.sources))
        object.__setattr__(self, "target", str(self.target))

    def permits(self, user: Any, obj: models.Model) -> bool:
        if self.who is None:
            return user is None
        if user is None:
            return False
        return bool(_predicate(self.who)(user, obj))


@cache
def _predicate(path: str) -> Callable[[Any, Any], bool]:
    return import_string(path)


_WORKFLOWS: dict[str, "Workflow"] = {}


@dataclass(frozen=True)
class Workflow:
    """`title` names it in docs/workflows.md; `invalid_message` (with %(status)s) is what a
    person reads when the state does not allow the action."""

    name: str
    title: str
    field: str
    states: type[models.TextChoices]
    transitions: tuple[Transition, ...]
    initial: Collection[str] = ()
    invalid_message: Any = None
    # The form field the refusal is shown on (a status select), else above the form.
    invalid_field: str | None = None
    registered: bool = True  # False for a table that docs/workflows.md must not show
    by_name: dict[str, Transition] = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names = [t.name for t in self.transitions]
        if len(names) != len(set(names)):
            raise ValueError(f"{self.name}: two transitions share a name")
        values = set(self.states.values)
        for t in self.transitions:
            unknown = (set(t.sources) | {t.target}) - values
            if unknown:
                raise ValueError(f"{self.name}.{t.name}: unknown states {sorted(unknown)}")
        object.__setattr__(self, "by_name", {t.name: t for t in self.transitions})
        if self.registered:
            _WORKFLOWS[self.name] = self

    def __getitem__(self, name: str) -> Transition:
        return self.by_name[name]

    def state_of(self, obj: models.Model) -> str:
        return str(getattr(obj, self.field))

    def log_names(self) -> set[str]:
        return {t.log for t in self.transitions}

    # --- What to offer (views, templates, API) -----------------------------------------

    def can(self, obj: models.Model, name: str, user: Any) -> bool:
        """Whether `user` may make transition `name` from the object's current state."""
        transition = self[name]
        return self.state_of(obj) in transition.sources and transition.permits(user, obj)

    def allowed(self, obj: models.Model, user: Any) -> set[str]:
        """The names of the transitions `user` may make now: the buttons to show."""
        state = self.state_of(obj)
        return {t.name for t in self.transitions if state in t.sources and t.permits(user, obj)}

    # --- Doing it (services) -----------------------------------------------------------

    def check(
        self,
        obj: models.Model,
        name: str,
        *,
        actor: Any,
        locked: bool = False,
        authorised: bool = False,
    ) -> Transition:
        """Lock the row (unless the caller already holds it), then check who and from where.

        Raises PermissionDenied for the wrong person, ValidationError (code
        "invalid_transition") for the wrong state. Changes nothing. `authorised=True` is for
        a service that has already proved who acts by other means (a signed link in an
        e-mail, for someone without an account): only the state is checked then.
        """
        transition = self[name]
        if not authorised and not transition.permits(actor, obj):
            raise PermissionDenied
        if not locked:
            lock_row(obj)
        if self.state_of(obj) not in transition.sources:
            message = (
                transition.invalid_message
                or self.invalid_message
                or _("Cette action n'est pas possible : « %(status)s ».")
            )
            text = str(message) % {"status": self.states(self.state_of(obj)).label}
            raise ValidationError(
                {self.invalid_field: text} if self.invalid_field else text,
                code="invalid_transition",
            )
        return transition

    def apply(
        self,
        obj: models.Model,
        transition: Transition,
        *,
        actor: Any,
        reason: str = "",
    ) -> str:
        """Move the (locked, checked) object and write the action-log line. Returns the
        previous state; the caller saves."""
        from .services import action_log_record

        previous = self.state_of(obj)
        setattr(obj, self.field, transition.target)
        action_log_record(
            target=obj,
            action=transition.log,
            actor=actor,
            from_status=previous,
            to_status=transition.target,
            reason=reason,
        )
        return previous

    # --- Documentation -----------------------------------------------------------------

    def mermaid(self) -> str:
        """The state diagram, for docs/workflows.md."""
        lines = ["stateDiagram-v2"]
        for state in self.initial:
            lines.append(f"    [*] --> {state}")
        for t in self.transitions:
            who = t.who.rsplit(".", 1)[-1] if t.who else "platform"
            for source in sorted(t.sources):
                lines.append(f"    {source} --> {t.target} : {t.name} ({who})")
        return "\n".join(lines)


def workflows_registered() -> list[Workflow]:
    """Every workflow declared so far (the apps' enums are imported when Django starts)."""
    return sorted(_WORKFLOWS.values(), key=lambda workflow: workflow.name)


def workflows_markdown(workflows: Iterable[Workflow] | None = None) -> str:
    """docs/workflows.md, generated from the tables (`manage.py workflows_doc`), in English."""
    from django.utils import translation

    with translation.override("en"):
        return _markdown(workflows_registered() if workflows is None else workflows)


def _markdown(workflows: Iterable[Workflow]) -> str:
    parts = [
        "# Workflows",
        "",
        "Generated from the transition tables by `manage.py workflows_doc`; a test fails when",
        "this file and the tables differ. Each arrow is `transition (who may)`; every",
        "transition writes its `log` name to the action log (`core.ActionLog`).",
    ]
    for workflow in workflows:
        model_field = f"`{workflow.field}`"
        model = workflow.states.__module__.split(".")[-2]
        parts += ["", f"## {workflow.title}", "", f"App `{model}`, field {model_field}; states: "]
        parts[-1] += ", ".join(f"`{value}` ({label})" for value, label in _states(workflow)) + "."
        parts += ["", "```mermaid", workflow.mermaid(), "```", ""]
        parts += [
            "| transition | from | to | who may | logged as | what it means |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for t in workflow.transitions:
            who = f"`{t.who.rsplit('.', 1)[-1]}`" if t.who else "the platform"
            sources = ", ".join(f"`{s}`" for s in sorted(t.sources))
            parts.append(
                f"| `{t.name}` | {sources} | `{t.target}` | {who} | `{t.log}` | {t.description} |"
            )
    return "\n".join(parts) + "\n"


def _states(workflow: Workflow) -> list[tuple[str, str]]:
    return [(str(value), str(label)) for value, label in workflow.states.choices]
