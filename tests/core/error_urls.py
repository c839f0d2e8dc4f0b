"""The project's URLs, its error handlers, and two views that fail on purpose."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from config.urls import handler403, handler404, handler500
from config.urls import urlpatterns as project_urlpatterns

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]


def _boom(request):
    raise RuntimeError("broken on purpose")


def _forbidden(request):
    raise PermissionDenied


urlpatterns = [path("boom/", _boom), path("forbidden/", _forbidden), *project_urlpatterns]
