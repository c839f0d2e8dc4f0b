"""Plain records the services take: a place, a session, and an item read by an importer.

Importers (`importers/`) turn each format into `ImportedItem`s; the one service
`services.opportunity_import_upsert` writes them, whatever the format.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class PlaceInput:
    name: str = ""
    address: str = ""
    address_details: str = ""
    postcode: str = ""
    commune_code: str = ""
    commune_name: str = ""
    longitude: float | None = None
    latitude: float | None = None

    @property
    def located(self) -> bool:
        return self.longitude is not None and self.latitude is not None

    @property
    def key(self) -> str:
        """A stable hash of what the place was written from."""
        import hashlib

        text = repr(tuple(self.__dict__.values())).encode()
        return hashlib.sha1(text, usedforsecurity=False).hexdigest()

    @property
    def geocoding_query(self) -> str:
        return " ".join(part for part in (self.address, self.postcode, self.commune_name) if part)


@dataclass(frozen=True)
class SessionInput:
    starts_on: date
    ends_on: date | None = None
    details: str = ""


@dataclass(frozen=True)
class StructureRecord:
    """An ecosystem structure (data·inclusion `structure`, a LaMednum place, an LHEO body)."""

    source: str
    source_id: str
    name: str
    siret: str = ""
    website: str = ""
    source_url: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    postcode: str = ""
    commune_code: str = ""
    commune_name: str = ""
    longitude: float | None = None
    latitude: float | None = None
    description: str = ""
    opening_hours: str = ""
    accessibility_url: str = ""
    updated_on: date | None = None


@dataclass(frozen=True)
class ImportedItem:
    """One opportunity read from a file or an API, ready for `opportunity_import_upsert`.

    `fields` holds Opportunity model fields (kind, title, summary, themes, cost…), already
    in our vocabulary; `places` its places (unlocated ones are geocoded when possible).
    """

    source: str
    source_id: str
    structure: StructureRecord | None
    fields: dict[str, Any]
    places: tuple[PlaceInput, ...] = ()
    sessions: tuple[SessionInput, ...] = ()
    is_fictional: bool = False
    warnings: tuple[str, ...] = field(default=())
