from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "quartiers40.meetings"
    label = "meetings"
    verbose_name = _("Rencontres")

    def ready(self) -> None:
        from quartiers40.core.demo import DemoLoader, demo_loader_register
        from quartiers40.core.sections import sections_module_register

        sections_module_register("quartiers40.meetings.sections")
        demo_loader_register(
            DemoLoader(
                key="meetings",
                order=40,
                load="quartiers40.meetings.demo.load",
                reset="quartiers40.meetings.demo.reset",
                summary={"editions": "{n} rencontres"},
            )
        )
