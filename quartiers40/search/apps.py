from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "quartiers40.search"
    verbose_name = _("Recherche")

    def ready(self) -> None:
        from quartiers40.core.demo import DemoLoader, demo_loader_register
        from quartiers40.core.pagecache import topics_changed_listen

        from .tasks import search_sync_queue

        topics_changed_listen(search_sync_queue)
        # Last: it indexes what the other loaders made.
        demo_loader_register(
            DemoLoader(
                key="search",
                order=1000,
                load="quartiers40.search.demo.load",
                reset="quartiers40.search.demo.reset",
                summary={"documents": "{n} documents dans l'index de recherche"},
            )
        )
