"""What of a opportunity people may translate (quartiers40.translations, docs/languages.md)."""

from quartiers40.translations.registry import Translatable, model_fields, translatable_register

from .models import Opportunity
from .permissions import can_edit_opportunity

FIELDS = ("title", "summary", "description")


def register() -> None:
    translatable_register(
        Translatable(
            key="opportunity",
            model=Opportunity,
            can_edit=can_edit_opportunity,
            topic="opportunities",
            markdown_fields={"description"},
            **model_fields(Opportunity, FIELDS),
        )
    )
