"""What of a project people may translate (quartiers40.translations, docs/languages.md)."""

from quartiers40.translations.registry import Translatable, model_fields, translatable_register

from .models import Project
from .permissions import can_edit_project

FIELDS = (
    "title",
    "summary",
    "easy_read_summary",
    "description",
    "problem",
    "ai_description",
    "data_used",
    "results",
)


def register() -> None:
    translatable_register(
        Translatable(
            key="project",
            model=Project,
            can_edit=can_edit_project,
            topic="projects",
            markdown_fields={"description", "results"},
            **model_fields(Project, FIELDS),
        )
    )
