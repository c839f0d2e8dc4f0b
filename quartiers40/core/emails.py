"""E-mails are plain text rendered from templates, in the recipient's language."""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
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
    reply_to: Iterable[str] = (),
) -> int:
    recipients = [address for address in to if address]
    if not recipients:
        return 0
    with translation.override(language or settings.LANGUAGE_CODE):
        body = render_to_string(template, {"SITE_NAME": settings.SITE_NAME, **(context or {})})
        subject_line = f"[{settings.SITE_NAME}] {subject}"
    message = EmailMessage(
        subject_line,
        body,
        settings.DEFAULT_FROM_EMAIL,
        recipients,
        reply_to=[address for address in reply_to if address],
    )
    return message.send(fail_silently=False)


def email_each_on_commit(
    addresses: Iterable[str], *, subject: str, template: str, context: dict | None = None
) -> None:
    """One message per address (nobody sees the others'), sent once the transaction commits."""
    addresses = [address for address in addresses if address]

    def send() -> None:
        for address in addresses:
            email_send(to=[address], subject=subject, template=template, context=context)

    transaction.on_commit(send)
