"""django-ninja's files come from an app that does not import django-ninja at start-up."""

from django.apps import apps
from django.contrib.staticfiles import finders
from django.core.management import get_commands
from django.template.loader import get_template

from quartiers40.api.apps import ApiConfig


def test_the_api_app_keeps_its_config_and_ninja_its_label():
    assert isinstance(apps.get_app_config("api"), ApiConfig)  # its ready() registers checks
    assert apps.get_app_config("ninja").name == "quartiers40.api.ninja_files"


def test_ninja_templates_static_files_and_command_are_found():
    assert finders.find("ninja/swagger-ui-bundle.js")
    assert finders.find("ninja/swagger-ui.css")
    assert get_template("ninja/swagger.html")
    assert get_commands()["export_openapi_schema"] == "quartiers40.api.ninja_files"
