from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChallengesConfig(AppConfig):
    name = "quartiers40.challenges"
    verbose_name = _("Défis")

    def ready(self) -> None:
        from . import sections  # noqa: F401 - registers the QPV and organisation page sections
