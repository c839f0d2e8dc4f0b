"""Every e-mail leaves the request: rendered now, queued after commit, one per recipient.

    email_send(to=user.email, subject=_("Bienvenue"), template="members/emails/welcome.txt",
               context={"url": absolute_url(path)})  # absolute_url: core/links.py
    email_each(to=addresses, subject=..., template=..., context=...)  # same text, many people

The body is rendered in the request (it says what was true when the thing happened); the
message is queued as a django-tasks task once the transaction commits, so a write that
failed sends nothing and a mail server that is down never fails the write. Each address
gets its own message (nobody sees another recipient), retried with backoff by the task
(`core/tasks.py`) and logged when it finally fails. `email_each` queues one task whatever
the number of people: the worker splits it into one delivery per address.
"""

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def email_render(
    *, subject: str, template: str, context: dict | None = None, language: str | None = None
) -> tuple[str, str]:
    """(subject line, body) in the given language (French by default)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        body = render_to_string(template, {"SITE_NAME": settings.SITE_NAME, **(context or {})})
        subject_line = f"[{settings.SITE_NAME}] {subject}"
    return subject_line, body


def email_send(
    *,
    to: str,
    subject: str,
    template: str,
    context: dict | None = None,
    language: str | None = None,
    reply_to: str = "",
) -> None:
    """One e-mail to one address, queued once the current transaction commits."""
    email_each(
        to=[to],
        subject=subject,
        template=template,
        context=context,
        language=language,
        reply_to=reply_to,
    )


def email_each(
    *,
    to: Iterable[str],
    subject: str,
    template: str,
    context: dict | None = None,
    language: str | None = None,
    reply_to: str = "",
) -> int:
    """The same e-mail to each address, one message each; returns how many are queued."""
    from .tasks import email_deliver, email_fan_out, task_enqueue

    addresses = list(dict.fromkeys(address for address in to if address))
    if not addresses:
        return 0
    subject_line, body = email_render(
        subject=subject, template=template, context=context, language=language
    )

    def enqueue() -> None:
        if len(addresses) == 1:
            task_enqueue(
                email_deliver, to=addresses[0], subject=subject_line, body=body, reply_to=reply_to
            )
        else:
            task_enqueue(
                email_fan_out, to=addresses, subject=subject_line, body=body, reply_to=reply_to
            )

    transaction.on_commit(enqueue)
    return len(addresses)
