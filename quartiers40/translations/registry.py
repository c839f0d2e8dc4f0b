"""What each content app lets translate, registered from its `AppConfig.ready()`:

    translatable_register(Translatable(
        key="project", model=Project,
        fields={"title": _("Titre"), "summary": _("Résumé en une ligne"), ...},
        markdown_fields={"description"},
        can_edit=permissions.can_edit_project,
        topic="projects",
    ))

Its page is the object's `get_absolute_url()`.

The translations app itself imports no content app: pages, services and the API find the
kind of an object here.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.text import capfirst


@dataclass(frozen=True)
class Translatable:
    key: str  # in the edit page's address: /traductions/project/12/
    model: type[models.Model]
    fields: dict[str, Any]  # field name -> its label, in the order of the form
    can_edit: Callable[..., bool]  # (user, obj): who may write its translations
    topic: str  # the page-cache topic its pages depend on (core.pagecache)
    markdown_fields: frozenset[str] | set[str] = field(default_factory=frozenset)
    # A field's longest text (the original's limit, with room: a translation runs longer).
    max_lengths: dict[str, int] = field(default_factory=dict)


def _field(model: type[models.Model], name: str) -> models.Field:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field), f"{model.__name__}.{name} is not a text field"
    return field


def model_fields(model: type[models.Model], names: tuple[str, ...]) -> dict:
    """`fields` and `max_lengths` from the model's own fields: their labels, and half as
    much room again as the original (a translation often runs longer than French)."""
    fields = {name: capfirst(_field(model, name).verbose_name) for name in names}
    max_lengths = {
        name: limit * 3 // 2 for name in names if (limit := _field(model, name).max_length)
    }
    return {"fields": fields, "max_lengths": max_lengths}


def is_one_line(model: type[models.Model], name: str) -> bool:
    return isinstance(_field(model, name), models.CharField)


_kinds: dict[str, Translatable] = {}


def translatable_register(kind: Translatable) -> None:
    _kinds[kind.key] = kind


def translatable_kind(key: str) -> Translatable | None:
    return _kinds.get(key)


def translatable_for(obj: models.Model) -> Translatable | None:
    for kind in _kinds.values():
        if isinstance(obj, kind.model):
            return kind
    return None
