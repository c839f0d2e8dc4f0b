"""Forms: what a view does with a service's ValidationError, and long forms in groups.

except ValidationError as error:
    messages.error(request, error_text(error))      # after a button (publish, cancel…)
    form_errors_apply(form, error)                  # on a form, to show it again as typed
"""

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.formats import number_format
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


# --- Text people write that others read ------------------------------------------------

# Characters that reorder how a text is displayed (a title that reads "gpj.exe" as "exe.jpg"):
# the embeddings and overrides, the isolates and the direction marks. They are removed on
# input: nobody types them on purpose, the text reads the same without them (the browser
# lays out Arabic or Hebrew by itself), and a person is not asked to find what they cannot see.
BIDI_CONTROLS_RE = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Control characters no text needs (tab and line breaks aside): refused with a message.
CONTROL_CHARACTERS_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_NAMES = {"\x00": "NUL"}

TEXT_TOO_LONG = _("Votre texte fait %(count)s caractères, %(limit)s au plus.")


def text_neutralise(value: str) -> str:
    """The text without the characters that can spoof its display, line breaks as typed in
    a browser ("\\n", so its count matches the box's `maxlength`)."""
    return BIDI_CONTROLS_RE.sub("", value).replace("\r\n", "\n")


@deconstructible
class TextLengthValidator(validators.MaxLengthValidator):
    """At most `limit` characters, said with the count: "Votre texte fait 4 210 caractères,
    4 000 au plus." (`message` may name the text: "Votre commentaire fait …")."""

    def __init__(self, limit_value: int, message: Any = None) -> None:
        super().__init__(limit_value, message or TEXT_TOO_LONG)

    def __call__(self, value: Any) -> None:
        count = len(value)
        if count > self.limit_value:
            raise ValidationError(
                self.message,
                code="max_length",
                params={
                    "count": number_format(count, force_grouping=True),
                    "limit": number_format(self.limit_value, force_grouping=True),
                },
            )


@deconstructible
class InvisibleCharacterValidator:
    """No control character (NUL and friends): they are refused, by name."""

    message = _("Votre texte contient un caractère invisible qui n'est pas accepté (%(name)s).")
    code = "null_characters_not_allowed"

    def __call__(self, value: Any) -> None:
        found = CONTROL_CHARACTERS_RE.search(str(value))
        if found:
            char = found.group()
            name = CONTROL_NAMES.get(char, f"U+{ord(char):04X}")
            raise ValidationError(self.message, code=self.code, params={"name": name})

    def __eq__(self, other: object) -> bool:
        return isinstance(other, InvisibleCharacterValidator)


def is_written_text(field: forms.Field) -> bool:
    """A free text box (not an e-mail, a URL, a number, a choice or a password)."""
    return type(field) is forms.CharField and not isinstance(field.widget, forms.PasswordInput)


class WrittenTextMixin:
    """For a form whose text others read (titles, summaries, comments, names, agenda items).

    Each free text field: the display-spoofing characters removed before cleaning (so the form
    shown again holds the neutralised text), control characters refused with their name, and
    a length over the limit told with the count; what was typed is kept either way. A form
    names a field's length message in `text_length_messages`:

        class CommentForm(WrittenTextMixin, forms.Form):
            text_length_messages = {"body": _("Votre commentaire fait %(count)s caractères, …")}
    """

    text_length_messages: Mapping[str, Any] = {}
    fields: dict[str, forms.Field]
    data: Any
    is_bound: bool

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, text_field in self.fields.items():
            if is_written_text(text_field):
                text_field.validators = written_text_validators(
                    text_field.validators, self.text_length_messages.get(name)
                )

    def full_clean(self) -> None:
        if self.is_bound:
            self.data = self._data_neutralised(self.data)
        super().full_clean()  # type: ignore[misc]

    def _data_neutralised(self, data: Any) -> Any:
        keys = [
            self.add_prefix(name)  # type: ignore[attr-defined]
            for name, text_field in self.fields.items()
            if is_written_text(text_field)
        ]
        if hasattr(data, "getlist"):
            data = data.copy()
            for key in keys:
                if key in data:
                    data.setlist(key, [_neutralised(value) for value in data.getlist(key)])
            return data
        data = dict(data)
        for key in keys:
            if key in data:
                data[key] = _neutralised(data[key])
        return data


def _neutralised(value: Any) -> Any:
    return text_neutralise(value) if isinstance(value, str) else value


def written_text_validators(current: list, length_message: Any = None) -> list:
    """A CharField's validators with the length and control-character ones said plainly."""
    replaced: list = []
    for validator in current:
        if isinstance(validator, validators.ProhibitNullCharactersValidator):
            continue
        if type(validator) is validators.MaxLengthValidator:
            validator = TextLengthValidator(validator.limit_value, length_message)
        replaced.append(validator)
    return [*replaced, InvisibleCharacterValidator()]
