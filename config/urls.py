from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from quartiers40.api.api import api
from quartiers40.core.views import language_set

urlpatterns = [
    path("", include("quartiers40.home.urls")),
    path("", include("quartiers40.core.urls")),
    path("", include("quartiers40.members.urls")),
    path("", include("quartiers40.notifications.urls")),
    path("territoires/fichier/", include("quartiers40.territories.batch_urls")),
    path("territoires/", include("quartiers40.territories.urls")),
    path("api/v1/", api.urls),
    # The language switch of every page (no CSRF token: see core.views.language_set).
    path("i18n/setlang/", language_set, name="set_language"),
    path("projets/", include("quartiers40.projects.urls")),
    # Calendar files first: /rencontres/<edition>.ics beside the meetings pages.
    path("rencontres/", include("quartiers40.meetings.calendar_urls")),
    path("rencontres/", include("quartiers40.meetings.urls")),
    path("defis/", include("quartiers40.challenges.urls_open_data")),
    path("defis/", include("quartiers40.challenges.urls")),
    path("opportunites/", include("quartiers40.opportunities.urls_open_data")),
    path("opportunites/", include("quartiers40.opportunities.urls")),
    path("recherche/", include("quartiers40.search.urls")),
    # Translations of a project, a défi or an opportunity, by the people who may edit it.
    path("traductions/", include("quartiers40.translations.urls")),
    # The plain-language check as one types (docs/plain-language.md).
    path("lisibilite/", include("quartiers40.plainlanguage.urls")),
    path("suggestions/", include("quartiers40.matches.urls")),
    path("observatoire/", include("quartiers40.observatory.urls")),
    path("donnees-ouvertes/", include("quartiers40.observatory.urls_open_data")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Error pages in the site's layout (core/views.py); CSRF_FAILURE_VIEW is in the settings.
handler403 = "quartiers40.core.views.permission_denied"
handler404 = "quartiers40.core.views.page_not_found"
handler500 = "quartiers40.core.views.server_error"
