from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "quartiers40.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from . import sections

        sections.register()
