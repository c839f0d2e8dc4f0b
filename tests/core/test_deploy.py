"""Production settings pass Django's deployment checklist with the documented variables."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(env_overrides: dict[str, str]) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "SECRET_KEY"))
    }
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = _run(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "quartiers40.example.org",
            "SITE_URL": "https://quartiers40.example.org",
            "REDIS_URL": "redis://127.0.0.1:6379/1",
        }
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_the_development_secret_key():
    result = _run({"DJANGO_SETTINGS_MODULE": "config.settings.production"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def _production(**overrides: str) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "quartiers40.example.org",
        "SITE_URL": "https://quartiers40.example.org",
        **overrides,
    }


def test_without_redis_the_rate_limits_are_shared_through_the_database():
    env = _production()
    result = _run({**env, "REDIS_URL": ""})
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_reports_rate_limits_that_would_not_be_shared():
    result = _run({**_production(), "REDIS_URL": "", "RATE_LIMIT_STORE": "cache"})
    assert result.returncode != 0
    assert "quartiers40.W001" in result.stdout + result.stderr
    result = _run({**_production(), "REDIS_URL": "", "RATE_LIMITS_ENABLED": "false"})
    assert "quartiers40.W002" in result.stdout + result.stderr
