from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpportunitiesConfig(AppConfig):
    name = "quartiers40.opportunities"
    verbose_name = _("Opportunités")

    def ready(self) -> None:
        from . import provider_sections, sections

        sections.register()
        provider_sections.register()
