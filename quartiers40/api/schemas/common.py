"""Schemas shared by every domain of the API."""

from typing import Any

from ninja import Schema
from pydantic import Field


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
