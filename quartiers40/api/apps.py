from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "quartiers40.api"
    verbose_name = "API"

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the system checks
