"""The framework's own speed: a bare one-view Django app, served like the site.

`bench/pages.py` serves it with gunicorn (same worker count) and reports every page of the
platform as a share of it. No middleware, no database, no template: one view, one answer.
"""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path


def hello(request):
    return HttpResponse("Bonjour", content_type="text/plain; charset=utf-8")


urlpatterns = [path("", hello)]

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY=os.environ.get("SECRET_KEY", "bench-only-bare-app-key"),
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
        USE_I18N=False,
    )

application = get_wsgi_application()
