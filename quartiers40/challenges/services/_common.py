"""What the défis' services share: who hears of a step, and what an e-mail says of a défi."""

from typing import Any

from django.db.models import QuerySet

from quartiers40.core.emails import email_each
from quartiers40.core.links import absolute_url
from quartiers40.members.models import User
from quartiers40.notifications.services import notification_record, places_audience

from ..models import Challenge


def _notify_new(challenge: Challenge) -> None:
    """A défi now visible for the first time: followers of its QPVs, its commune and its
    organisation hear of it (notifications)."""
    notification_record(
        kind="challenge_new",
        item=challenge,
        title=challenge.title,
        audience=places_audience(
            qpvs=challenge.qpvs.all(),
            commune_codes=[challenge.commune_insee],
            organisations=[challenge.organisation],
        ),
    )


def _email_each(
    people: QuerySet[User],
    *,
    subject: str,
    template: str,
    exclude: User | None = None,
    **context: Any,
) -> None:
    """`core.emails.email_each` to these people but the one who acted (one message each)."""
    if exclude is not None:
        people = people.exclude(pk=exclude.pk)
    email_each(
        to=people.values_list("email", flat=True),
        subject=subject,
        template=template,
        context=context,
    )


def _email_author(challenge: Challenge, **kwargs: Any) -> None:
    """The author of the défi, if the account still exists and is active."""
    if challenge.author_id:
        _email_each(User.objects.filter(pk=challenge.author_id, is_active=True), **kwargs)


def _context(challenge: Challenge) -> dict[str, Any]:
    """What every e-mail may say of a défi: never who posted it (see `challenge_public_author`)."""
    return {
        "title": challenge.title,
        "url": absolute_url(challenge.get_absolute_url()),
        "status_label": challenge.get_status_display(),
    }
