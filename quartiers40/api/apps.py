import importlib.util
from pathlib import Path

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "quartiers40.api"
    verbose_name = "API"

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the system checks


def _package_path(name: str) -> str:
    """The directory of an installed package, found without importing it."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"{name} is not installed")
    return str(Path(next(iter(spec.submodule_search_locations))))


class NinjaFilesConfig(AppConfig):
    """django-ninja's templates, static files and command, its package not imported at
    start-up (see `ninja_files`): the label and the files are the ones "ninja" gave."""

    name = "quartiers40.api.ninja_files"
    label = "ninja"
    verbose_name = "django-ninja"
    path = _package_path("ninja")
