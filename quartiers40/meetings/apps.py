from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "quartiers40.meetings"
    label = "meetings"
    verbose_name = _("Rencontres")

    def ready(self) -> None:
        from quartiers40.core.demo import DemoLoader, demo_loader_register

        from . import demo, sections

        sections.register()
        demo_loader_register(
            DemoLoader(
                key="meetings",
                order=40,
                load=demo.load,
                reset=demo.reset,
                summary={"editions": "{n} rencontres"},
            )
        )
