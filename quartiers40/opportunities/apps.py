from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpportunitiesConfig(AppConfig):
    name = "quartiers40.opportunities"
    verbose_name = _("Opportunités")

    def ready(self) -> None:
        from quartiers40.core.demo import DemoLoader, demo_loader_register
        from quartiers40.core.sections import sections_module_register

        from . import translatable

        # What of it people may translate (quartiers40.translations).
        translatable.register()
        sections_module_register("quartiers40.opportunities.sections")
        sections_module_register("quartiers40.opportunities.provider_sections")
        demo_loader_register(
            DemoLoader(
                key="opportunities",
                order=50,
                load="quartiers40.opportunities.demo.load",
                reset="quartiers40.opportunities.demo.reset",
                summary={
                    "opportunities": "{n} opportunités (formations, emplois, ateliers, aides)"
                },
            )
        )
