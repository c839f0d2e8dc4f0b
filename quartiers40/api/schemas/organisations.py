"""Organisations as the API shows them: public facts about a structure, never about people."""

from datetime import datetime

from ninja import Field, Schema
from pydantic import ConfigDict, field_validator

from quartiers40.core.links import absolute_url
from quartiers40.core.markdown import render_markdown
from quartiers40.members.enums import OrganisationKind
from quartiers40.members.models import Organisation
from quartiers40.territories.reference import department_name

from .common import Choice, choice


class OrganisationFilters(Schema):
    kind: OrganisationKind | None = Field(None, description="Type d'organisation.")
    department: str | None = Field(
        None, max_length=3, description="Code du département (93, 2A, 971…)."
    )
    qpv: str | None = Field(
        None, max_length=16, description="Code d'un quartier prioritaire (QN09301M…)."
    )
    q: str | None = Field(None, max_length=100, description="Recherche dans le nom et la commune.")


class QPVBriefOut(Schema):
    """A QPV named by an organisation, a project or a défi (the full record: /qpv/{code}/)."""

    code: str = Field(examples=["QN09301M"])
    name: str


class OrganisationOut(Schema):
    slug: str
    name: str
    kind: Choice
    description: str = Field(description="Présentation en Markdown, telle qu'écrite.")
    description_html: str = Field(description="La présentation en HTML assaini.")
    website: str | None
    siret: str | None
    rna: str | None
    commune_name: str | None
    commune_code: str | None = Field(description="Code INSEE de la commune.")
    department_code: str | None
    department_name: str | None
    qpvs: list[QPVBriefOut] = Field(description="Quartiers prioritaires où elle agit.")
    logo_url: str | None = Field(description="Adresse absolue du logo, ou null.")
    joined_at: datetime | None = Field(description="Membre du collectif depuis.")
    url: str = Field(description="Adresse absolue de sa page sur le site.")

    @field_validator(
        "website",
        "siret",
        "rna",
        "commune_name",
        "commune_code",
        "department_code",
        "department_name",
        mode="before",
    )
    @classmethod
    def _blank_is_null(cls, value: str | None) -> str | None:
        return value or None

    @staticmethod
    def resolve_kind(organisation: Organisation) -> Choice:
        return choice(organisation.kind, organisation.get_kind_display())

    @staticmethod
    def resolve_description_html(organisation: Organisation) -> str:
        return str(render_markdown(organisation.description))

    @staticmethod
    def resolve_department_name(organisation: Organisation) -> str:
        if not organisation.department_code:
            return ""
        return department_name(organisation.department_code)

    @staticmethod
    def resolve_qpvs(organisation: Organisation) -> list:
        return list(organisation.qpvs.all())  # prefetched by the endpoints

    @staticmethod
    def resolve_logo_url(organisation: Organisation) -> str | None:
        if not organisation.logo:
            return None
        url = organisation.logo.url
        return absolute_url(url) if url.startswith("/") else url

    @staticmethod
    def resolve_url(organisation: Organisation) -> str:
        return absolute_url(organisation.get_absolute_url())


class OrganisationPatchIn(Schema):
    """Only the fields sent are changed; null or "" empties a field."""

    model_config = ConfigDict(extra="forbid")

    description: str | None = Field(None, max_length=10000)
    website: str | None = Field(None, max_length=200, description="Adresse web.")
    commune_name: str | None = Field(None, max_length=120)
    commune_code: str | None = Field(None, max_length=5, description="Code INSEE.")
    department_code: str | None = Field(None, max_length=3, description="93, 2A, 971…")
    siret: str | None = Field(None, max_length=20, description="14 chiffres, espaces permis.")
    rna: str | None = Field(None, max_length=16, description="W suivi de 9 chiffres.")

    @field_validator("*", mode="after")
    @classmethod
    def _strip(cls, value: str | None) -> str:
        return (value or "").strip()

    @field_validator("siret", mode="after")
    @classmethod
    def _compact_siret(cls, value: str) -> str:
        return value.replace(" ", "")  # as the organisation form does

    @field_validator("rna", mode="after")
    @classmethod
    def _compact_rna(cls, value: str) -> str:
        return value.replace(" ", "").upper()

    def changes(self) -> dict[str, str]:
        return self.model_dump(exclude_unset=True)
