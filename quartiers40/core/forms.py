"""Forms: what a view does with a service's ValidationError, and long forms in groups.

except ValidationError as error:
    messages.error(request, error_text(error))      # after a button (publish, cancel…)
    form_errors_apply(form, error)                  # on a form, to show it again as typed
"""

import itertools
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def error_text(error: ValidationError) -> str:
    """Every message of the error on one line (for a flash message or a command)."""
    return " ".join(error.messages)


def form_errors_apply(form: forms.BaseForm, error: ValidationError) -> None:
    """Each message on its field where the form has it, else above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# What an easy text box accepts, said without jargon (the text is rendered as Markdown).
SIMPLE_FORMATTING_HELP = _(
    "Mise en forme simple : **gras**, listes (une ligne par point, commençant par « - »)."
)


@dataclass(frozen=True)
class FieldGroup:
    """A heading and the fields under it, for a long form laid out in groups or steps.

    `rest`: this group also takes the visible fields no group names (the place fields are
    being replaced by a place picker whose field names may change: they land here)."""

    key: str
    title: str
    intro: str = ""
    fields: tuple[str, ...] = ()
    rest: bool = False


@dataclass
class BoundFieldGroup:
    key: str
    title: str
    intro: str
    number: int
    fields: list = field(default_factory=list)
    next: "BoundFieldGroup | None" = None

    @property
    def has_errors(self) -> bool:
        return any(bound.errors for bound in self.fields)


def field_groups(form: forms.BaseForm, groups: tuple[FieldGroup, ...]) -> list[BoundFieldGroup]:
    """The form's visible fields under their groups' headings, in the groups' order;
    a group left with no field (a field the form removed) is left out."""
    named = {name for group in groups for name in group.fields}
    visible = {bound.name: bound for bound in form.visible_fields()}
    rest = [bound for name, bound in visible.items() if name not in named]
    bound_groups: list[BoundFieldGroup] = []
    for group in groups:
        bound_fields = [visible[name] for name in group.fields if name in visible]
        if group.rest:
            bound_fields += rest
        if bound_fields:
            bound_groups.append(
                BoundFieldGroup(
                    key=group.key,
                    title=str(group.title),
                    intro=str(group.intro),
                    number=len(bound_groups) + 1,
                    fields=bound_fields,
                )
            )
    for bound_group, following in itertools.pairwise(bound_groups):
        bound_group.next = following
    return bound_groups
