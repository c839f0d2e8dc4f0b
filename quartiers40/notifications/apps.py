from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "quartiers40.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from quartiers40.core.demo import DemoLoader, demo_loader_register

        from . import demo, sections

        sections.register()
        demo_loader_register(
            DemoLoader(
                key="notifications",
                order=60,
                load=demo.load,
                reset=demo.reset,
                summary={
                    "follows": "{n} abonnements",
                    "events": "{n} nouveautés à la une des résumés",
                },
            )
        )
