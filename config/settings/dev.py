"""Local development: debug on, e-mails printed to the console."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
DEMO_MODE = env_bool("DEMO_MODE", True)
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
