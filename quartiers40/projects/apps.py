from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "quartiers40.projects"
    verbose_name = _("Projets")

    def ready(self) -> None:
        from quartiers40.core.demo import DemoLoader, demo_loader_register
        from quartiers40.core.sections import sections_module_register

        from . import translatable

        # What of it people may translate (quartiers40.translations).
        translatable.register()
        sections_module_register("quartiers40.projects.sections")
        demo_loader_register(
            DemoLoader(
                key="projects",
                order=20,
                load="quartiers40.projects.demo.load",
                reset="quartiers40.projects.demo.reset",
                summary={"projects": "{n} projets d'IA"},
            )
        )
