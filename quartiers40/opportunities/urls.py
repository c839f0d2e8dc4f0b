"""/opportunites/: the provider's pages first (fixed words), then the public ones (slugs)."""

from .urls_provider import urlpatterns as provider_urlpatterns
from .urls_public import urlpatterns as public_urlpatterns

app_name = "opportunities"

urlpatterns = [*provider_urlpatterns, *public_urlpatterns]
