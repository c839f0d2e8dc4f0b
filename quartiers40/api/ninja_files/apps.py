import importlib.util
from pathlib import Path

from django.apps import AppConfig


def _package_path(name: str) -> str:
    """The directory of an installed package, found without importing it."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"{name} is not installed")
    return str(Path(next(iter(spec.submodule_search_locations))))


class NinjaFilesConfig(AppConfig):
    """django-ninja's templates, static files and command, its package not imported at
    start-up (see the package's docstring): the label and the files "ninja" gave."""

    name = "quartiers40.api.ninja_files"
    label = "ninja"
    verbose_name = "django-ninja"
    path = _package_path("ninja")
