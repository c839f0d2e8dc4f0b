"""Schemas of /observatory/: the figures of one scope."""

from datetime import datetime

from ninja import Schema
from pydantic import Field


class ScopeOut(Schema):
    kind: str = Field(examples=["department"])
    code: str = Field(examples=["93"])
    name: str = Field(examples=["Seine-Saint-Denis"])


class FigureOut(Schema):
    metric: str = Field(examples=["interests"])
    metric_label: str = Field(examples=["Intérêts reçus par les opportunités"])
    dimension: str = Field(description='"" is the total of the metric.', examples=["started"])
    dimension_label: str = Field(examples=["A commencé"])
    period: str = Field(
        description='A quarter ("2026-t1"), or "" for everything up to now.', examples=[""]
    )
    value: int | str = Field(
        description='The number, or "moins de 5" for a count of people under 5 '
        "(interests, registrations, attendance).",
        examples=[12, "moins de 5"],
    )


class FiguresOut(Schema):
    scope: ScopeOut
    refreshed_at: datetime | None
    quarters: list[str] = Field(description="The quarters of the trend, oldest first.")
    solved_share: int | None = Field(None, description="% of the défis here now solved.")
    figures: list[FigureOut]
