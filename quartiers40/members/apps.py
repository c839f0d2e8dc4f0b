from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "quartiers40.members"
    verbose_name = _("Membres et organisations")

    def ready(self) -> None:
        from quartiers40.core.demo import DemoLoader, demo_loader_register
        from quartiers40.core.sections import sections_module_register

        sections_module_register("quartiers40.members.sections")
        demo_loader_register(
            DemoLoader(
                key="members",
                order=10,
                load="quartiers40.members.demo.load",
                reset="quartiers40.members.demo.reset",
                summary={"organisations": "{n} organisations", "people": "{n} personnes"},
            )
        )
