from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """The composition on top of the apps: the home page and the demo dataset's loading."""

    name = "quartiers40.home"
    verbose_name = _("Accueil")
