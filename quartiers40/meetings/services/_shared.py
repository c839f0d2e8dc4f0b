"""What the meetings services share: the action log, a transition check that keeps each
action's own message, the edition lock, slugs and the registration e-mails."""

from typing import Any

from django.db import models
from django.urls import reverse

from quartiers40.core.db import lock_row, unique_slug
from quartiers40.core.emails import email_send
from quartiers40.core.links import absolute_url
from quartiers40.core.services import action_log_record

from ..models import Edition, Registration

# Slugs that would shadow a page under /rencontres/.
RESERVED_SLUGS = {"serie", "inscription", "mes-inscriptions", "nouvelle-serie", "coordination"}


def meetings_slug(model: type[models.Model], text: str, *, fallback: str) -> str:
    return unique_slug(model, text, fallback=fallback, reserved=RESERVED_SLUGS)


def log(
    target: models.Model,
    *,
    action: str,
    actor: Any = None,
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
) -> None:
    """An action-log line for a change that is not a status transition (created, updated)."""
    action_log_record(
        target=target,
        action=action,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
    )


def edition_lock(edition: Edition) -> Edition:
    """Lock the edition's row (and read it again, with its series): every change that takes
    or frees a seat, or touches its agenda and minutes, holds this lock first."""
    return lock_row(edition, related=("series",))


def registration_lock(registration: Registration) -> Edition:
    """Lock the edition first (always the same order), then the registration; both are read
    again in place. Returns the edition."""
    edition = edition_lock(registration.edition)
    lock_row(registration)
    registration.edition = edition
    return edition


def registration_links(registration: Registration) -> dict[str, str]:
    """The links of every registration e-mail (absolute); cancel works without signing in."""
    token = registration.token
    return {
        "manage_url": absolute_url(reverse("meetings:registration_manage", args=[token])),
        "cancel_url": absolute_url(reverse("meetings:registration_cancel", args=[token])),
        "confirm_email_url": absolute_url(
            reverse("meetings:registration_confirm_email", args=[token])
        ),
        "accept_offer_url": absolute_url(
            reverse("meetings:registration_accept_offer", args=[token])
        ),
        "edition_url": absolute_url(
            reverse("meetings:edition_detail", args=[registration.edition.slug])
        ),
    }


def registration_email(
    registration: Registration, *, subject: str, template: str, **extra: Any
) -> None:
    """One e-mail to the registered person, with their own links; `subject` has %(title)s."""
    email_send(
        to=registration.contact_email,
        subject=subject % {"title": registration.edition.title},
        template=template,
        context={
            "registration": registration,
            "edition": registration.edition,
            **registration_links(registration),
            **extra,
        },
    )
