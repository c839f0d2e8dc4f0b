from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlainLanguageConfig(AppConfig):
    """The plain-language check: a view and its templates; no model, imports no content app."""

    name = "quartiers40.plainlanguage"
    verbose_name = _("Français facile")
