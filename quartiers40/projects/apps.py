from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "quartiers40.projects"
    verbose_name = _("Projets")

    def ready(self) -> None:
        from quartiers40.core.demo import DemoLoader, demo_loader_register

        from . import demo, sections, translatable

        sections.register()
        translatable.register()
        demo_loader_register(
            DemoLoader(
                key="projects",
                order=20,
                load=demo.load,
                reset=demo.reset,
                summary={"projects": "{n} projets d'IA"},
            )
        )
