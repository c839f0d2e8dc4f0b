"""E-mails are plain text rendered from templates, in the recipient's language."""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def email_send(
    *,
    to: Iterable[str],
    subject: str,
    template: str,
    context: dict | None = None,
    language: str | None = None,
) -> int:
    recipients = [address for address in to if address]
    if not recipients:
        return 0
    with translation.override(language or settings.LANGUAGE_CODE):
        body = render_to_string(template, {"SITE_NAME": settings.SITE_NAME, **(context or {})})
        subject_line = f"[{settings.SITE_NAME}] {subject}"
    return send_mail(
        subject_line, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False
    )
