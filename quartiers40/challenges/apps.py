from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChallengesConfig(AppConfig):
    name = "quartiers40.challenges"
    verbose_name = _("Défis")

    def ready(self) -> None:
        from quartiers40.core.demo import DemoLoader, demo_loader_register

        from . import demo, sections, translatable

        sections.register()
        translatable.register()
        demo_loader_register(
            DemoLoader(
                key="challenges",
                order=30,
                load=demo.load,
                reset=demo.reset,
                summary={"challenges": "{n} défis"},
            )
        )
