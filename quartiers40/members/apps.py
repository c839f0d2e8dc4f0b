from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "quartiers40.members"
    verbose_name = _("Membres et organisations")

    def ready(self) -> None:
        from quartiers40.core.demo import DemoLoader, demo_loader_register

        from . import demo, sections

        sections.register()
        demo_loader_register(
            DemoLoader(
                key="members",
                order=10,
                load=demo.load,
                reset=demo.reset,
                summary={"organisations": "{n} organisations", "people": "{n} personnes"},
            )
        )
