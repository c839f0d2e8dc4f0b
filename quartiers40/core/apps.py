from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "quartiers40.core"
    verbose_name = "Cœur de la plateforme"

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the deploy checks
