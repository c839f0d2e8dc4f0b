from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "quartiers40.api"
    verbose_name = "API"
