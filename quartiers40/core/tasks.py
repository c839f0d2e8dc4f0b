"""Background tasks shared by the apps: e-mail delivery, with retries and backoff.

The queue is django-tasks (`TASKS` setting; its database backend in production, drained by
`manage.py db_worker`). E-mails go to the backend named by `EMAIL_TASK_BACKEND`.
"""

import logging
import smtplib
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task, task_backends
from django_tasks.base import Task

logger = logging.getLogger("quartiers40.emails")


def task_enqueue(task_: Task, *, delay: timedelta | None = None, **kwargs: Any) -> None:
    """Queue a task on the e-mail backend, after `delay` where the backend can wait."""
    backend = settings.EMAIL_TASK_BACKEND
    options: dict[str, Any] = {"backend": backend}
    if delay and task_backends[backend].supports_defer:
        options["run_after"] = timezone.now() + delay
    task_.using(**options).enqueue(**kwargs)


def _permanent(error: Exception) -> bool:
    """A refusal that no retry will change (5xx for every recipient, or a bad sender)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _message in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500 and not isinstance(error, smtplib.SMTPServerDisconnected)
    return False


@task()
def email_deliver(
    *,
    to: str,
    subject: str,
    body: str,
    reply_to: str = "",
    attempt: int = 1,
    html: str = "",
    headers: dict[str, str] | None = None,
    on_outcome: str = "",
) -> bool:
    """Send one message to one address; on failure, queue the next attempt later.

    Attempts are spaced by EMAIL_RETRY_DELAYS (seconds); after the last one, or at once
    for a permanent refusal, the failure is logged (the task's result says FAILED).
    `html` adds an HTML part to the text one, `headers` extra headers (List-Unsubscribe);
    `on_outcome` names a function called with (to, delivered, error) once the message is
    sent or finally refused (notifications counts an address's failures with it: core
    imports no app).
    """
    message = EmailMultiAlternatives(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [to],
        reply_to=[reply_to] if reply_to else None,
        headers=headers or None,
    )
    if html:
        message.attach_alternative(html, "text/html")
    try:
        message.send(fail_silently=False)
    except (smtplib.SMTPException, OSError) as error:
        delays = settings.EMAIL_RETRY_DELAYS
        if attempt > len(delays) or _permanent(error):
            logger.error(
                "E-mail to %s failed after %s attempt(s), giving up: %r", to, attempt, error
            )
            if on_outcome:
                import_string(on_outcome)(to, False, repr(error))
            raise
        delay = timedelta(seconds=delays[attempt - 1])
        logger.warning(
            "E-mail to %s failed (attempt %s: %r); next attempt in %s", to, attempt, error, delay
        )
        task_enqueue(
            email_deliver,
            delay=delay,
            to=to,
            subject=subject,
            body=body,
            reply_to=reply_to,
            attempt=attempt + 1,
            html=html,
            headers=headers,
            on_outcome=on_outcome,
        )
        return False
    if on_outcome:
        import_string(on_outcome)(to, True, "")
    return True


@task()
def email_fan_out(*, to: list[str], subject: str, body: str, reply_to: str = "") -> int:
    """The same message for many people: one delivery task each (each retried alone)."""
    for address in to:
        task_enqueue(email_deliver, to=address, subject=subject, body=body, reply_to=reply_to)
    return len(to)
