import pytest
from django.core.cache import cache
from django.utils import translation


@pytest.fixture(autouse=True)
def _clear_cache():
    """Nothing cached survives a test (rate-limit counters in the database roll back)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _french():
    """Every test starts in French: a request through LocaleMiddleware may leave another
    language active in the thread."""
    translation.activate("fr")
    yield
    translation.activate("fr")
