"""What of a challenge people may translate (quartiers40.translations, docs/languages.md)."""

from quartiers40.translations.registry import Translatable, model_fields, translatable_register

from .models import Challenge
from .permissions import can_edit_challenge

FIELDS = ("title", "situation", "affected", "solved_when")


def register() -> None:
    translatable_register(
        Translatable(
            key="challenge",
            model=Challenge,
            can_edit=can_edit_challenge,
            topic="challenges",
            markdown_fields=frozenset(),
            **model_fields(Challenge, FIELDS),
        )
    )
