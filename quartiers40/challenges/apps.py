from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChallengesConfig(AppConfig):
    name = "quartiers40.challenges"
    verbose_name = _("Défis")

    def ready(self) -> None:
        from quartiers40.core.demo import DemoLoader, demo_loader_register
        from quartiers40.core.sections import sections_module_register

        from . import translatable

        # What of it people may translate (quartiers40.translations).
        translatable.register()
        sections_module_register("quartiers40.challenges.sections")
        demo_loader_register(
            DemoLoader(
                key="challenges",
                order=30,
                load="quartiers40.challenges.demo.load",
                reset="quartiers40.challenges.demo.reset",
                summary={"challenges": "{n} défis"},
            )
        )
