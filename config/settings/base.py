"""Settings shared by every environment.

Everything that differs between machines comes from the environment; the
defaults run with zero configuration on SQLite. `docs/configuration.md` lists
every variable.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-change-me-in-production")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_tasks",
    "django_tasks_db",  # app label "django_tasks_database"
    "quartiers40.core",
    "quartiers40.territories",
    "quartiers40.members",
    "quartiers40.assist",  # optional AI drafts (docs/assist.md); before the content apps
    "quartiers40.projects",
    "quartiers40.challenges",
    "quartiers40.meetings",
    "quartiers40.opportunities",
    "quartiers40.search",
    # The plain-language check (docs/plain-language.md): a view and its templates, no model.
    "quartiers40.plainlanguage",
    "quartiers40.matches",
    "quartiers40.observatory",
    # Follows, preferences, digests and unsubscribes (docs/notifications.md).
    "quartiers40.notifications",
    "quartiers40.api",
    "quartiers40.home",
]
# Translations of what people write (docs/languages.md): generic, depends on core only;
# the content apps register what they let translate.
INSTALLED_APPS += ["quartiers40.translations"]

# django-ninja's templates, static files and command without importing the package when
# Django starts (0.16 s in every process and command; docs/territories.md, issue 17):
# the same app, label "ninja", see quartiers40/api/ninja_files/.
INSTALLED_APPS[INSTALLED_APPS.index("ninja")] = "quartiers40.api.ninja_files"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "quartiers40.core.middleware.SecurityHeadersMiddleware",
    "quartiers40.core.links.RequestOriginMiddleware",
    "quartiers40.api.middleware.ApiMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "quartiers40" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "quartiers40.core.context_processors.site",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several web processes and the worker write at once: each write transaction takes
    # the database lock when it begins (no "database is locked" on upgrade), and waits
    # for it up to 20 s instead of failing. Write-ahead logging: readers never wait for a
    # writer, and a commit appends to the log without an fsync of the whole file (with
    # synchronous=NORMAL a power cut may lose the last commits, never the file's
    # consistency); each signed-in page's small writes took 10 to 20 ms each otherwise.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "members.User"
# A refused form (expired or foreign CSRF token) gets the site's own page.
CSRF_FAILURE_VIEW = "quartiers40.core.views.csrf_failure"
LOGIN_URL = "members:login"
LOGIN_REDIRECT_URL = "members:account"
LOGOUT_REDIRECT_URL = "home:home"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Shared cache (Redis when REDIS_URL is set); rate limits live in it or in the database.
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Where rate-limit counters live, shared by every process: "database" (a table bumped
# atomically, works with no other service) or "cache" (only a Redis or Memcached cache is
# shared and atomic; `check --deploy` reports any other).
RATE_LIMIT_STORE = env("RATE_LIMIT_STORE", "cache" if REDIS_URL else "database")
# The API's request budgets shed load (not guessing): always in the cache, so an API read
# costs no database write (per process without Redis).
RATE_LIMITS_IN_CACHE = {"api_anonymous", "api_token"}

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
# Arabic interface (docs/languages.md): labelled in its own language, right-to-left
# (Django's LANGUAGES_BIDI lists "ar", so templates get LANGUAGE_BIDI and dir="rtl").
LANGUAGES += [("ar", "العربية")]
LOCALE_PATHS = [BASE_DIR / "quartiers40" / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Uploads are bounded: a request body, and each image, has a ceiling.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
MAX_IMAGE_UPLOAD_BYTES = int(env("MAX_IMAGE_UPLOAD_BYTES", str(2 * 1024 * 1024)))
MAX_IMAGE_PIXELS = 25_000_000

# Background work: a real queue in the database (django-tasks), run by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# E-mails are queued there too (core/emails.py), one task per recipient, retried after
# these delays (seconds) when the mail server fails; then the failure is logged.
EMAIL_TASK_BACKEND = env("EMAIL_TASK_BACKEND", "default")
EMAIL_RETRY_DELAYS = (60, 5 * 60, 30 * 60, 2 * 3600)

# The site-wide search (quartiers40/search): its index follows every write through this
# task backend (a sync queued after each change of public content).
SEARCH_TASK_BACKEND = env("SEARCH_TASK_BACKEND", "default")
SEARCH_INDEX_FOLLOWS_WRITES = env_bool("SEARCH_INDEX_FOLLOWS_WRITES", True)
# The observatory's figures (quartiers40/observatory) are recomputed after each burst of
# writes through this task backend (empty: the search's), and nightly by the cron.
OBSERVATORY_TASK_BACKEND = env("OBSERVATORY_TASK_BACKEND", "")
OBSERVATORY_FOLLOWS_WRITES = env_bool("OBSERVATORY_FOLLOWS_WRITES", True)

# The open-data catalogue (/donnees-ouvertes/): how long the sizes and update dates of its
# datasets are kept at most (a write to a dataset's topic drops them at once), and a contact
# address for each dataset of the DCAT catalogue (empty: none).
OPEN_DATA_STATS_SECONDS = int(env("OPEN_DATA_STATS_SECONDS", "3600"))
OPEN_DATA_CONTACT_EMAIL = env("OPEN_DATA_CONTACT_EMAIL")

# Optional embeddings for the search (search/clients/embeddings.py): an OpenAI-compatible
# /v1/embeddings endpoint such as Albert API's (https://albert.api.etalab.gouv.fr/v1).
# Empty: off, and the search ranks on words alone.
SEARCH_EMBEDDINGS_URL = env("SEARCH_EMBEDDINGS_URL")
SEARCH_EMBEDDINGS_KEY = env("SEARCH_EMBEDDINGS_KEY")
SEARCH_EMBEDDINGS_MODEL = env("SEARCH_EMBEDDINGS_MODEL", "embeddings-small")
SEARCH_EMBEDDINGS_TIMEOUT = float(env("SEARCH_EMBEDDINGS_TIMEOUT", "3"))  # a query, seconds
SEARCH_EMBEDDINGS_DOCUMENT_TIMEOUT = float(env("SEARCH_EMBEDDINGS_DOCUMENT_TIMEOUT", "30"))
SEARCH_EMBEDDINGS_BATCH = int(env("SEARCH_EMBEDDINGS_BATCH", "64"))  # texts per request
SEARCH_EMBEDDINGS_RETRY_MAX_WAIT = float(env("SEARCH_EMBEDDINGS_RETRY_MAX_WAIT", "1"))

# Optional AI help (assist/clients/chat.py, docs/assist.md): drafts that a person edits and
# accepts, through an OpenAI-compatible /v1/chat/completions API such as Albert API's
# (https://albert.api.etalab.gouv.fr/v1). Off by default; the platform works fully without it.
ASSIST_ENABLED = env_bool("ASSIST_ENABLED", False)
ASSIST_BASE_URL = env("ASSIST_BASE_URL", "https://albert.api.etalab.gouv.fr/v1")
ASSIST_API_KEY = env("ASSIST_API_KEY")
ASSIST_MODEL = env("ASSIST_MODEL", "albert-large")
ASSIST_TIMEOUT_SECONDS = float(env("ASSIST_TIMEOUT_SECONDS", "8"))  # the longest a page waits
ASSIST_DAILY_BUDGET_PER_USER = int(env("ASSIST_DAILY_BUDGET_PER_USER", "20"))  # calls a day
ASSIST_DAILY_BUDGET_TOTAL = int(env("ASSIST_DAILY_BUDGET_TOTAL", "500"))  # calls a day, all

# Optional public funding suggestions for projects (matches/clients/aides_territoires.py):
# the Aides-territoires API; its key is asked for on the site. Empty key: off.
AIDES_TERRITOIRES_URL = env("AIDES_TERRITOIRES_URL", "https://aides-territoires.beta.gouv.fr/api")
AIDES_TERRITOIRES_KEY = env("AIDES_TERRITOIRES_KEY")
AIDES_TERRITOIRES_TIMEOUT = float(env("AIDES_TERRITOIRES_TIMEOUT", "4"))

# CSV files checked against the QPVs in the background (territories/jobs.py): their size
# ceiling, and how long the file and its result are kept (`manage.py qpv_check_purge`).
QPV_CHECK_MAX_UPLOAD_BYTES = int(env("QPV_CHECK_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
QPV_CHECK_RETENTION_DAYS = int(env("QPV_CHECK_RETENTION_DAYS", "7"))

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Quartiers 4.0 <ne-pas-repondre@quartiers40.fr>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 10

# The public address of the site, used to build links in e-mails.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = "Quartiers 4.0"

# Notifications (quartiers40/notifications): after this many deliveries in a row finally
# refused (each after core's retries), an address gets no more notifications.
NOTIFICATIONS_FAILING_AFTER = int(env("NOTIFICATIONS_FAILING_AFTER", "3"))

# Shows a banner saying the data is fictional (the demo instance).
DEMO_MODE = env_bool("DEMO_MODE", False)

# Rate limits: "count/seconds", per IP and per account.
RATE_LIMITS = {
    "opportunity_interest_ip": (10, 3600),
    "login_ip": (20, 600),
    "login_account": (5, 900),
    "signup_ip": (5, 3600),
    "password_reset_ip": (5, 3600),
    "password_reset_account": (3, 3600),
    "verification_resend_account": (3, 3600),
    "api_anonymous": (600, 600),
    "api_token": (3000, 600),
    "qpv_check_ip": (20, 3600),
    "qpv_check_account": (100, 3600),
    "project_contact_ip": (5, 3600),
    "project_contact_account": (20, 3600),
    "challenge_post_account": (10, 3600),
    "challenge_comment_account": (30, 600),
    "challenge_report_account": (10, 3600),
    "meeting_registration_ip": (10, 3600),
}
# The plain-language check as one types (quartiers40/plainlanguage): one post per pause.
# Counted in the cache (load shedding, not guessing): no database write per pause.
RATE_LIMITS["plain_check_ip"] = (600, 600)
RATE_LIMITS["plain_check_account"] = (300, 600)
RATE_LIMITS_IN_CACHE = {*RATE_LIMITS_IN_CACHE, "plain_check_ip", "plain_check_account"}
RATE_LIMITS_ENABLED = env_bool("RATE_LIMITS_ENABLED", True)
# Behind a reverse proxy, the client address is the last hop it appends.
TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR", False)

# Sessions in the database, read through the shared cache when there is one (one query less
# on every signed-in page); never through an in-process cache, which would keep a session
# alive in one process after signing out in another.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)

# Public pages for anonymous visitors are kept in the shared cache this long at most
# (core/pagecache.py; a change through the services shows at once). Off (0) without Redis:
# an in-process cache would not see the changes made by the other processes.
PUBLIC_PAGE_CACHE_SECONDS = int(env("PUBLIC_PAGE_CACHE_SECONDS", "600" if REDIS_URL else "0"))

# The home page's sections (next meetings, latest projects, open défis) are public and
# cached this long (0: not cached).
HOME_SECTIONS_CACHE_SECONDS = int(env("HOME_SECTIONS_CACHE_SECONDS", "60"))

EMAIL_VERIFICATION_MAX_AGE = 3 * 24 * 3600
INVITATION_MAX_AGE_DAYS = 14

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

NINJA_PAGINATION_PER_PAGE = 20
NINJA_PAGINATION_MAX_PER_PAGE_SIZE = 100

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # httpx logs each request's URL at INFO: a geocoded address would land in the logs.
    # WeasyPrint (the quarterly report's PDF) tells each step of each build at INFO.
    "loggers": {
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
    },
}

# Address geocoding (Géoplateforme / BAN API): an optional adapter, off with GEOCODER_ENABLED=false.
GEOCODER_ENABLED = env_bool("GEOCODER_ENABLED", True)
GEOCODER_URL = env("GEOCODER_URL", "https://data.geopf.fr/geocodage")
GEOCODER_TIMEOUT = float(env("GEOCODER_TIMEOUT", "5"))
# The data·inclusion API v1 (services of the inclusion ecosystem), read around the QPVs by
# `manage.py opportunities_refresh`; off unless enabled, with a token from data·inclusion.
DATA_INCLUSION_API_ENABLED = env_bool("DATA_INCLUSION_API_ENABLED", False)
DATA_INCLUSION_API_URL = env("DATA_INCLUSION_API_URL", "https://api.data.inclusion.gouv.fr")
DATA_INCLUSION_API_TOKEN = env("DATA_INCLUSION_API_TOKEN")
# Largest file `manage.py import_opportunities` reads (50 MB).
OPPORTUNITIES_IMPORT_MAX_BYTES = int(env("OPPORTUNITIES_IMPORT_MAX_BYTES", str(50 * 1024 * 1024)))
# Map tiles: the Géoplateforme's "Plan IGN" (public, free, no key), as XYZ through its WMTS.
# MAP_TILES_ENABLED=false turns them off (perimeters on a plain background, no request
# leaves the site); the page's CSP then allows no tile host at all.
PLAN_IGN_TILE_URL = (
    "https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
    "&LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2&STYLE=normal&TILEMATRIXSET=PM"
    "&FORMAT=image/png&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}"
)
MAP_TILES_ENABLED = env_bool("MAP_TILES_ENABLED", True)
MAP_TILE_URL = env("MAP_TILE_URL", PLAN_IGN_TILE_URL) if MAP_TILES_ENABLED else ""
MAP_TILE_ATTRIBUTION = (
    env("MAP_TILE_ATTRIBUTION", '© <a href="https://www.ign.fr/">IGN</a> – Plan IGN')
    if MAP_TILES_ENABLED
    else ""
)
