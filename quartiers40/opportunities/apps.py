from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpportunitiesConfig(AppConfig):
    name = "quartiers40.opportunities"
    verbose_name = _("Opportunités")
