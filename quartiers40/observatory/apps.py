from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservatoryConfig(AppConfig):
    """The observatory: figures per territory and theme, the quarterly impact report and the
    open-data catalogue. It reads the other apps through their selectors and writes nothing
    in them."""

    name = "quartiers40.observatory"
    verbose_name = _("Observatoire")

    def ready(self) -> None:
        from quartiers40.core.pagecache import topics_changed_listen
        from quartiers40.core.sections import sections_module_register

        from .tasks import observatory_refresh_queue

        sections_module_register("quartiers40.observatory.sections")
        # The figures follow the writes, as the search index and the suggestions do.
        topics_changed_listen(observatory_refresh_queue)
