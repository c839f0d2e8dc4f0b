from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservatoryConfig(AppConfig):
    """The observatory: figures per territory and theme, the quarterly impact report and the
    open-data catalogue. It reads the other apps through their selectors and writes nothing
    in them."""

    name = "quartiers40.observatory"
    verbose_name = _("Observatoire")
