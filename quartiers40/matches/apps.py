from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchesConfig(AppConfig):
    name = "quartiers40.matches"
    verbose_name = _("Suggestions")

    def ready(self) -> None:
        from quartiers40.core import pagecache

        from . import sections
        from .tasks import matches_link_queue

        sections.register()
        # TODO(before merge): plain import once core.pagecache has it on main.
        listen = getattr(pagecache, "topics_changed_listen", None)
        if listen is not None:
            listen(matches_link_queue)
