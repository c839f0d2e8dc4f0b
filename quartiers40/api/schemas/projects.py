"""Projects as the API shows them: what an AI project does and where, never who wrote it."""

from datetime import date, datetime
from typing import Annotated

from django.urls import reverse
from ninja import Field, Schema
from pydantic import ConfigDict, field_validator

from quartiers40.assist.selectors import ai_provenance_data
from quartiers40.core.links import absolute_url
from quartiers40.projects.enums import PROJECT_WORKFLOW, AICategory, Beneficiary, Stage, Theme
from quartiers40.projects.models import EASY_READ_SUMMARY_MAX_LENGTH, Project

from .assist import AI_PROVENANCE_DESCRIPTION, AIProvenanceOut
from .common import (
    ACTIONS_DESCRIPTION,
    Choice,
    actions_for,
    choice,
    translations_field,
    translations_of,
)
from .organisations import QPVBriefOut


class ProjectFilters(Schema):
    theme: Theme | None = Field(None, description="Thème.")
    stage: Stage | None = Field(None, description="Étape du projet.")
    ai_category: AICategory | None = Field(None, description="Type d'IA.")
    department: str | None = Field(
        None, max_length=3, description="Code du département (93, 2A, 971…)."
    )
    qpv: str | None = Field(
        None, max_length=16, description="Code d'un quartier prioritaire (QN09301M…)."
    )
    q: str | None = Field(
        None,
        max_length=100,
        description="Recherche dans le titre, les résumés, le problème et l'organisation porteuse.",
    )


class OrganisationRefOut(Schema):
    """An organisation named by a project: its public name and where to read more."""

    slug: str
    name: str
    url: str = Field(description="Adresse absolue de sa page sur le site.")

    @staticmethod
    def resolve_url(organisation) -> str:
        return absolute_url(organisation.get_absolute_url())


class ProjectRefOut(Schema):
    """A project named by a défi, an offer or a meeting: where to read it."""

    id: int = Field(description="Son identifiant dans l'API (/projects/{id}/).")
    slug: str
    title: str
    url: str = Field(description="Adresse absolue de sa page sur le site.")

    @staticmethod
    def resolve_url(project) -> str:
        return absolute_url(reverse("projects:detail", kwargs={"key": project.slug}))


def _choices(values: list[str], enum) -> list[Choice]:
    return [choice(value, enum(value).label) for value in values if value in enum.values]


class ProjectOut(Schema):
    id: int
    slug: str
    title: str
    summary: str
    easy_read_summary: str = Field(description="Résumé en français facile.")
    description: str = Field(description="Description en Markdown, telle qu'écrite.")
    description_html: str = Field(description="La description en HTML assaini.")
    problem: str
    beneficiaries: list[Choice]
    ai_category: Choice | None
    ai_description: str
    data_used: str
    processes_personal_data: bool
    stage: Choice
    started_on: date | None
    ended_on: date | None
    themes: list[Choice]
    qpvs: list[QPVBriefOut] = Field(description="Quartiers prioritaires concernés.")
    departments: list[str] = Field(description="Départements concernés (projet plus large).")
    carrier: OrganisationRefOut = Field(description="Organisation porteuse.")
    partners: list[OrganisationRefOut]
    funding: str
    results: str = Field(description="Résultats en Markdown.")
    results_html: str
    source_code_url: str | None
    status: Choice = Field(description="Toujours « published » pour le public.")
    published_at: datetime | None
    last_updated_at: datetime
    url: str = Field(description="Adresse absolue de sa page sur le site.")
    ai_provenance: list[AIProvenanceOut] = Field(description=AI_PROVENANCE_DESCRIPTION)

    @field_validator("source_code_url", mode="before")
    @classmethod
    def _blank_is_null(cls, value: str | None) -> str | None:
        return value or None

    @staticmethod
    def resolve_description_html(project: Project) -> str:
        return str(project.description_html)

    @staticmethod
    def resolve_results_html(project: Project) -> str:
        return str(project.results_html)

    @staticmethod
    def resolve_beneficiaries(project: Project) -> list[Choice]:
        return _choices(project.beneficiaries, Beneficiary)

    @staticmethod
    def resolve_themes(project: Project) -> list[Choice]:
        return _choices(project.themes, Theme)

    @staticmethod
    def resolve_ai_category(project: Project) -> Choice | None:
        if not project.ai_category:
            return None
        return choice(project.ai_category, project.get_ai_category_display())

    @staticmethod
    def resolve_stage(project: Project) -> Choice:
        return choice(project.stage, project.get_stage_display())

    @staticmethod
    def resolve_status(project: Project) -> Choice:
        return choice(project.status, project.get_status_display())

    @staticmethod
    def resolve_qpvs(project: Project) -> list:
        return list(project.qpvs.all())  # prefetched by the endpoints

    @staticmethod
    def resolve_partners(project: Project) -> list:
        return list(project.partners.all())  # prefetched by the endpoints

    @staticmethod
    def resolve_url(project: Project) -> str:
        return absolute_url(reverse("projects:detail", kwargs={"key": project.slug}))

    @staticmethod
    def resolve_ai_provenance(project: Project) -> list[dict]:
        return ai_provenance_data(project)  # prefetched by the list endpoint


# Text fields: null or "" empties them (title and summary stay required by the model).
TEXT_FIELDS = (
    "title",
    "summary",
    "easy_read_summary",
    "description",
    "problem",
    "ai_description",
    "data_used",
    "funding",
    "results",
    "source_code_url",
)
LIST_FIELDS = ("beneficiaries", "themes", "departments", "qpvs", "partners")


class ProjectPatchIn(Schema):
    """Only the fields sent are changed. `qpvs` are QPV codes, `partners` organisation slugs."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(None, min_length=1, max_length=200)
    summary: str | None = Field(None, min_length=1, max_length=240)
    easy_read_summary: str | None = Field(None, max_length=EASY_READ_SUMMARY_MAX_LENGTH)
    description: str | None = Field(None, max_length=20000)
    problem: str | None = Field(None, max_length=4000)
    beneficiaries: list[Beneficiary] | None = None
    ai_category: AICategory | None = None
    ai_description: str | None = Field(None, max_length=4000)
    data_used: str | None = Field(None, max_length=4000)
    processes_personal_data: bool | None = None
    stage: Stage | None = None
    started_on: date | None = None
    ended_on: date | None = None
    departments: list[Annotated[str, Field(max_length=3)]] | None = Field(
        None, max_length=101, description="Codes des départements (93, 2A, 971…)."
    )
    themes: list[Theme] | None = None
    qpvs: list[Annotated[str, Field(max_length=16)]] | None = Field(
        None, max_length=200, description="Codes des QPV."
    )
    partners: list[Annotated[str, Field(max_length=220)]] | None = Field(
        None, max_length=50, description="Identifiants (slug) des organisations partenaires."
    )
    funding: str | None = Field(None, max_length=2000)
    results: str | None = Field(None, max_length=10000)
    source_code_url: str | None = Field(None, max_length=200, description="Adresse web.")

    def changes(self) -> dict:
        """The fields sent, as the model stores them (codes, "" for an emptied text)."""
        changes = {}
        for name, value in self.model_dump(exclude_unset=True).items():
            # The enums are `str` subclasses: str() of their value is the stored code.
            if name in TEXT_FIELDS or name == "ai_category":
                value = str(value or "").strip()
            elif name in LIST_FIELDS:
                value = [str(item).strip() for item in value or []]
            elif name == "stage":
                value = str(value or Stage.IDEA)
            elif name == "processes_personal_data":
                value = bool(value)
            changes[name] = value
        return changes


class ProjectCreateIn(ProjectPatchIn):
    """A new draft. `carrier` is the slug of an organisation you belong to."""

    carrier: str = Field(
        min_length=1, max_length=220, description="Identifiant (slug) de l'organisation."
    )
    title: str = Field(min_length=1, max_length=200)
    summary: str = Field(min_length=1, max_length=240)


class ProjectDetailOut(ProjectOut):
    actions: list[str] = Field(description=ACTIONS_DESCRIPTION, examples=[["archive"]])

    @staticmethod
    def resolve_actions(project: Project, context) -> list[str]:
        return actions_for([PROJECT_WORKFLOW], project, context)

    translations: dict[str, dict[str, str]] = translations_field()

    @staticmethod
    def resolve_translations(project: Project) -> dict[str, dict[str, str]]:
        return translations_of(project)
