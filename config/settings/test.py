"""The test suite: fast hashing, e-mails kept in memory, rate limits on."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdefghijklmnop"  # noqa: S105
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LANGUAGE_CODE = "fr"
# No collected static files in tests: the live server and finders serve them.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
# Jobs are queued in the database as in production: tests that need a job to run
# either run the worker (`db_worker --batch`) or switch to the ImmediateBackend.
TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    "immediate": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
}
# E-mails are delivered by a task run at once (after commit), so a test reads them in
# mail.outbox; tests/core/test_emails.py puts them on the database queue with a real
# worker and real SMTP servers.
EMAIL_TASK_BACKEND = "immediate"
# No map tiles in tests: nothing leaves 127.0.0.1.
MAP_TILE_URL = ""
MAP_TILE_ATTRIBUTION = ""
# The public page cache is on, in the process's own cache (cleared before each test).
PUBLIC_PAGE_CACHE_SECONDS = 600
# The search index follows writes at once (after commit), so a test reads fresh results.
SEARCH_TASK_BACKEND = "immediate"
# The observatory's full recomputation does not follow every write of every test (its own
# tests turn it on).
OBSERVATORY_FOLLOWS_WRITES = False
