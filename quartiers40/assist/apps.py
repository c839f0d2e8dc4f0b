from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistConfig(AppConfig):
    name = "quartiers40.assist"
    verbose_name = _("Aide de l'IA")
