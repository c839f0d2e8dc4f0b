from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchesConfig(AppConfig):
    name = "quartiers40.matches"
    verbose_name = _("Suggestions")

    def ready(self) -> None:
        from quartiers40.core.pagecache import topics_changed_listen
        from quartiers40.core.sections import sections_module_register

        from .tasks import matches_link_queue

        sections_module_register("quartiers40.matches.sections")
        # What came of the suggestions follows the writes, as the search index does.
        topics_changed_listen(matches_link_queue)
