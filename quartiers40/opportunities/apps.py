from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpportunitiesConfig(AppConfig):
    name = "quartiers40.opportunities"
    verbose_name = _("Opportunités")

    def ready(self) -> None:
        from quartiers40.core.demo import DemoLoader, demo_loader_register

        from . import demo, provider_sections, sections, translatable

        sections.register()
        translatable.register()
        provider_sections.register()
        demo_loader_register(
            DemoLoader(
                key="opportunities",
                order=50,
                load=demo.load,
                reset=demo.reset,
                summary={
                    "opportunities": "{n} opportunités (formations, emplois, ateliers, aides)"
                },
            )
        )
