from django.conf import settings
from django.core.checks import Warning, register


@register()
def check_api_rate_limits(app_configs, **kwargs) -> list[Warning]:
    # Imported here: the throttling module imports django-ninja, which Django's start-up
    # no longer does (see `ninja_files`).
    from .throttling import ANONYMOUS_SCOPE, TOKEN_SCOPE

    missing = [
        scope for scope in (ANONYMOUS_SCOPE, TOKEN_SCOPE) if scope not in settings.RATE_LIMITS
    ]
    if not missing:
        return []
    return [
        Warning(
            f"RATE_LIMITS has no {', '.join(missing)} entry: the API is not rate limited.",
            hint='Add for instance "api_anonymous": (600, 600) and "api_token": (3000, 600).',
            id="api.W001",
        )
    ]
