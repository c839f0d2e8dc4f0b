"""django-ninja's `export_openapi_schema`, found here since the app's path is ninja's."""

from ninja.management.commands.export_openapi_schema import Command

__all__ = ["Command"]
