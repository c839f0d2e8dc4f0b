"""Schemas shared by every domain of the API."""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import models
from ninja import Schema
from pydantic import Field

from quartiers40.translations.selectors import published_translations

# The largest identifier a database row can have (a 64-bit primary key).
MAX_ID = 2**63 - 1


class Choice(Schema):
    """A value from a fixed list: its stable code, and its label in the reader's language."""

    code: str = Field(examples=["association"])
    label: str = Field(examples=["Association"])


class ErrorBody(Schema):
    code: str = Field(
        description="Stable, machine-readable code: `not_found`, `validation_error`…",
        examples=["not_found"],
    )
    message: str = Field(
        description="Human-readable explanation, in French by default.",
        examples=["Cette ressource n'existe pas."],
    )
    details: dict[str, Any] | None = Field(
        None,
        description="Extra information; for validation errors, `fields` maps each field "
        "to its messages.",
    )


class ErrorOut(Schema):
    """The one shape of every error response of the API."""

    error: ErrorBody


def choice(value: str, label: Any) -> Choice:
    return Choice(code=value, label=str(label))


ACTIONS_DESCRIPTION = (
    "Ce que la personne qui appelle (son jeton) peut faire maintenant sur cet objet, "
    "d'après les tables de transitions : les mêmes boutons que sur le site. Vide sans jeton."
)


def actions_for(workflows, obj: models.Model, context: dict | None) -> list[str]:
    """The transitions the API caller may make now: the pages' buttons, from the same tables.

    The caller is the token's person, else the session's; never `None`, which the tables
    reserve for the platform itself.
    """
    from ..auth import api_caller

    request = (context or {}).get("request")
    user = api_caller(request) if request is not None else AnonymousUser()
    return sorted(name for workflow in workflows for name in workflow.allowed(obj, user))


TRANSLATIONS_DESCRIPTION = (
    "Traductions relues, par langue puis par champ : "
    '{"en": {"title": "…"}, "ar": {"title": "…"}}. Le texte d\'origine est en français ; '
    "un champ sans traduction n'y figure pas."
)


def translations_field():
    return Field(
        description=TRANSLATIONS_DESCRIPTION,
        examples=[{"en": {"title": "A CV assistant for young people"}}],
    )


def translations_of(obj) -> dict[str, dict[str, str]]:
    return published_translations(obj)
