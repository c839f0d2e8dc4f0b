"""The Quartiers 4.0 REST API, mounted at /api/v1/ by `config/urls.py`.

Adding a domain (territories, projects…) takes three steps:
1. its schemas in `schemas/<domain>.py` (pydantic, via `ninja.Schema`);
2. its endpoints in `routers/<domain>.py`: a `router = Router(tags=[...])` whose views
   stay thin and call the domain's `selectors` (reads) and `services` (writes);
3. one `api.add_router(...)` line at the bottom of this file.
Errors, authentication, pagination and rate limits are shared: `errors.py`,
`auth.py`, `pagination.py`, `throttling.py`.
"""

import json
from functools import partial

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, re_path, reverse
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Swagger
from ninja.openapi.docs import _csrf_needed
from ninja.renderers import JSONRenderer

from . import errors
from .openapi import openapi_document_complete
from .routers import (
    challenges,
    me,
    meetings,
    observatory,
    opportunities,
    organisations,
    projects,
    search,
    territories,
)
from .throttling import ApiRateThrottle

DESCRIPTION = """
**Français.** L'API de Quartiers 4.0, le collectif pour l'intelligence artificielle dans
les quartiers prioritaires de la politique de la ville. L'annuaire des organisations
membres est public. Pour écrire, envoyez un jeton personnel, créé depuis votre compte
(page « Jetons d'API »), dans l'en-tête `Authorization: Bearer <jeton>`. Les listes sont
paginées (`page`, `page_size`) ; toute erreur a la forme
`{"error": {"code", "message", "details"}}`. Les rencontres ont aussi des calendriers
iCalendar, hors de l'API : `/rencontres/<édition>.ics` et `/rencontres/serie/<série>.ics`
(adresses données par `ics_url`).

**English.** The API of Quartiers 4.0, the collective for artificial intelligence in
France's priority neighbourhoods (QPV). The directory of member organisations is public.
To write, send a personal token, created from your account ("Jetons d'API" page), in the
`Authorization: Bearer <token>` header. Lists are paginated (`page`, `page_size`); every
error has the shape `{"error": {"code", "message", "details"}}`. Messages are in French.
Meetings also have iCalendar files, outside the API: `/rencontres/<edition>.ics` and
`/rencontres/serie/<series>.ics` (addresses given by `ics_url`).
"""


class ReadableJSONRenderer(JSONRenderer):
    """UTF-8 as is: French text stays readable in a terminal (« é », not « \\u00e9 »)."""

    json_dumps_params = {"ensure_ascii": False}


class Quartiers40API(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        schema = super().get_openapi_schema(**kwargs)
        openapi_document_complete(schema)
        return schema

    @property
    def urls(self):
        """Ninja's URLs, made to answer every address under the API in our JSON format."""
        patterns, app_name, namespace = super().urls
        adapted = []
        for pattern in patterns:
            if pattern.name == "api-root":
                view = csrf_exempt(partial(api_index, api=self))  # ninja's only raises Http404
            else:
                view = errors.method_not_allowed_as_json(pattern.callback, api=self)
            adapted.append(URLPattern(pattern.pattern, view, pattern.default_args, pattern.name))
        adapted.append(
            re_path(
                r"^.*$",
                # Whatever the method: a JSON 404, never the site's "form expired" page.
                csrf_exempt(partial(errors.unknown_address, api=self)),
                name=errors.NOT_FOUND_URL_NAME,
            )
        )
        return adapted, app_name, namespace


def api_index(request: HttpRequest, api: NinjaAPI, **kwargs) -> HttpResponse:
    """/api/v1/ itself: where the documentation is."""
    namespace = api.urls_namespace
    index = {
        "name": api.title,
        "version": api.version,
        "documentation": request.build_absolute_uri(reverse(f"{namespace}:openapi-view")),
        "openapi": request.build_absolute_uri(reverse(f"{namespace}:openapi-json")),
    }
    return api.create_response(request, index, status=200)


class LocalSwagger(Swagger):
    """Swagger UI from ninja's static files on our host, always.

    django-ninja renders its CDN page unless the very string "ninja" is in
    INSTALLED_APPS; ours is `quartiers40.api.ninja_files` (the same files, without
    importing django-ninja at start-up), so the page is rendered here as ninja does it
    when "ninja" is listed."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs) -> HttpResponse:
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {
            "swagger_settings": json.dumps(self.settings, indent=1),
            "api": api,
            "add_csrf": _csrf_needed(api),
        }
        return render(request, self.template, context)


api = Quartiers40API(
    title="Quartiers 4.0 API",
    version="1.0.0",
    description=DESCRIPTION.strip(),
    urls_namespace="api",
    renderer=ReadableJSONRenderer(),
    # Swagger UI is served from ninja's own static files; no call to swagger.io's validator.
    docs=LocalSwagger(settings={"validatorUrl": None, "persistAuthorization": False}),
    throttle=[ApiRateThrottle()],
)
errors.register_exception_handlers(api)

api.add_router("/organisations/", organisations.router)
api.add_router("/me/", me.router)
api.add_router("/projects/", projects.router)
api.add_router("/challenges/", challenges.router)
api.add_router("/meetings/", meetings.router)
api.add_router("/opportunities/", opportunities.router)
api.add_router("/search/", search.router)
api.add_router("/observatory/", observatory.router)
# At the root: its paths are /qpv/…, and /qpv.geojson beside them.
api.add_router("/", territories.router)
