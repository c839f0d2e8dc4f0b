from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "quartiers40.meetings"
    label = "meetings"
    verbose_name = _("Rencontres")

    def ready(self) -> None:
        from . import sections

        sections.register()
