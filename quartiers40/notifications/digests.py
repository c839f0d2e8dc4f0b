"""Compose and queue the messages: a digest per person and frequency, or one event at once.

The digest streams people by primary key in chunks (`chunk_size`, 500 by default): per
chunk a fixed number of queries (the people, their preferences, their state, the events
reached through their follows, the events addressed to them, those events' rows, the
states' update), then one queued task per message. Memory holds one chunk; the queries per
message do not grow with the number of people, follows or events (the bench measures it).

Each message goes through core's delivery task (`core/tasks.email_deliver`): its retries,
then `services.email_outcome` counts an address's final failures.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from quartiers40.core.links import absolute_url
from quartiers40.core.tasks import email_deliver, task_enqueue
from quartiers40.members.models import User

from .enums import DEFAULT_FREQUENCY, EVENT_KINDS, Category, Frequency
from .models import (
    EmailAddressHealth,
    Event,
    EventRecipient,
    EventTarget,
    Follow,
    NotificationPreference,
    Recipient,
)
from .tokens import ALL, unsubscribe_url

PERIODS: dict[str, timedelta] = {
    Frequency.DAILY: timedelta(days=1),
    Frequency.WEEKLY: timedelta(days=7),
}
# A digest reaches back one period after the last one, and one day more, so a run missed
# or late by less than a day loses nothing; older events are not news any more.
GRACE = timedelta(days=1)
ITEMS_PER_KIND = 10  # the rest of a kind is "and n more" on the Nouveautés page
OUTCOME = "quartiers40.notifications.services.email_outcome"


@dataclass
class DigestStats:
    people: int = 0
    messages: int = 0
    events: int = 0
    chunks: int = 0


@dataclass
class Person:
    pk: int
    email: str
    language: str = settings.LANGUAGE_CODE
    since: datetime | None = None
    categories: set[str] = field(default_factory=set)


def _groups(events: list[Event]) -> list[dict]:
    """By kind (in the registry's order), then by item: updates of one item are one line."""
    by_kind: dict[str, dict[tuple[int, str], dict]] = defaultdict(dict)
    for event in sorted(events, key=lambda e: (e.created_at, e.pk), reverse=True):
        items = by_kind[event.kind]
        key = (event.item_type_id, event.item_id)
        if key in items:
            items[key]["count"] += 1
        else:
            items[key] = {
                "title": event.title,
                "summary": event.summary,
                "url": absolute_url(event.path),
                "count": 1,
            }
    groups = []
    for code, kind in EVENT_KINDS.items():
        if code in by_kind:
            lines = list(by_kind[code].values())
            groups.append(
                {
                    "label": str(kind.label),
                    "items": lines[:ITEMS_PER_KIND],
                    "more": max(0, len(lines) - ITEMS_PER_KIND),
                }
            )
    return groups


@cache
def _path(name: str) -> str:
    return reverse(name)


def message_compose(*, person: Person, events: list[Event], frequency: str) -> dict:
    """Subject, text, HTML and headers of one message, in the person's language."""
    categories = sorted({event.category for event in events})
    with translation.override(person.language):
        groups = _groups(events)
        count = len(events)
        if frequency == Frequency.IMMEDIATE:
            first = events[0]
            subject = f"{EVENT_KINDS[first.kind].label} : {first.title}"
        elif frequency == Frequency.DAILY:
            subject = ngettext(
                "Votre résumé du jour : %(count)s nouveauté",
                "Votre résumé du jour : %(count)s nouveautés",
                count,
            ) % {"count": count}
        else:
            subject = ngettext(
                "Votre résumé de la semaine : %(count)s nouveauté",
                "Votre résumé de la semaine : %(count)s nouveautés",
                count,
            ) % {"count": count}
        unsubscribes = [
            {
                "label": str(Category(category).label),
                "url": unsubscribe_url(user_id=person.pk, kind=category),
            }
            for category in categories
        ]
        header_kind = categories[0] if len(categories) == 1 else ALL
        header_url = (
            unsubscribes[0]["url"]
            if header_kind != ALL
            else unsubscribe_url(user_id=person.pk, kind=ALL)
        )
        context = {
            "SITE_NAME": settings.SITE_NAME,
            "subject": subject,
            "groups": groups,
            "frequency": frequency,
            "unsubscribes": unsubscribes,
            "unsubscribe_all_url": header_url if header_kind == ALL else "",
            "preferences_url": absolute_url(_path("notifications:preferences")),
            "news_url": absolute_url(_path("notifications:news")),
            "language": person.language,
        }
        body = render_to_string("notifications/emails/digest.txt", context)
        html = render_to_string("notifications/emails/digest.html", context)
    return {
        "subject": f"[{settings.SITE_NAME}] {subject}",
        "body": body,
        "html": html,
        "headers": {
            "List-Unsubscribe": f"<{header_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    }


def _queue(*, person: Person, events: list[Event], frequency: str) -> None:
    message = message_compose(person=person, events=events, frequency=frequency)
    task_enqueue(email_deliver, to=person.email, on_outcome=OUTCOME, **message)


def _people(queryset, *, limit: int | None = None) -> list[Person]:
    """Active people with an address that is not failing (`limit` of them, by key)."""
    failing = EmailAddressHealth.objects.filter(failing=True, email=OuterRef("email"))
    rows = (
        queryset.filter(is_active=True)
        .exclude(email="")
        .exclude(Exists(failing))
        .order_by("pk")
        .values_list("pk", "email")
    )
    return [Person(pk=pk, email=email) for pk, email in (rows[:limit] if limit else rows)]


_FOLLOWED_SQL = """
    SELECT f.user_id, t.event_id
    FROM notifications_follow f
    JOIN notifications_eventtarget t
      ON t.content_type_id = f.content_type_id AND t.object_id = f.object_id
    WHERE f.user_id IN ({placeholders}) AND t.created_at > %s AND t.created_at <= %s
"""


def _events_for(people: list[Person], *, start: datetime, end: datetime) -> dict[int, list[Event]]:
    """Per person, the events of their wanted categories after their `since`: 3 queries."""
    by_pk = {person.pk: person for person in people}
    pairs: set[tuple[int, int]] = set()
    if not by_pk:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            _FOLLOWED_SQL.format(placeholders=", ".join(["%s"] * len(by_pk))),
            [*by_pk, start, end],
        )
        pairs.update(cursor.fetchall())
    pairs.update(
        EventRecipient.objects.filter(
            user_id__in=list(by_pk), created_at__gt=start, created_at__lte=end
        ).values_list("user_id", "event_id")
    )
    events = Event.objects.in_bulk({event_id for _user, event_id in pairs})
    result: dict[int, list[Event]] = defaultdict(list)
    for user_id, event_id in sorted(pairs):
        person, event = by_pk[user_id], events[event_id]
        if event.category in person.categories and (
            person.since is None or event.created_at > person.since
        ):
            result[user_id].append(event)
    return result


def digest_run(
    *, frequency: str, now: datetime | None = None, chunk_size: int = 500
) -> DigestStats:
    """Queue every person's digest for this frequency; nothing for who has nothing new."""
    if frequency not in PERIODS:
        raise ValueError(f"frequency must be one of {list(PERIODS)}")
    now = now or timezone.now()
    floor = now - PERIODS[frequency] - GRACE
    until_field = f"{frequency}_until"
    stats = DigestStats()
    last_pk = 0
    while True:
        people = _people(User.objects.filter(pk__gt=last_pk), limit=chunk_size)
        if not people:
            return stats
        last_pk = people[-1].pk
        stats.chunks += 1
        stats.people += len(people)
        by_pk = {person.pk: person for person in people}
        chosen: dict[int, dict[str, str]] = defaultdict(dict)
        for user_id, category, chosen_frequency in NotificationPreference.objects.filter(
            user_id__in=list(by_pk)
        ).values_list("user_id", "category", "frequency"):
            chosen[user_id][category] = chosen_frequency
        for person in people:
            person.categories = {
                category
                for category in Category.values
                if chosen[person.pk].get(category, DEFAULT_FREQUENCY) == frequency
            }
        for user_id, language, until in Recipient.objects.filter(
            user_id__in=list(by_pk)
        ).values_list("user_id", "language", until_field):
            by_pk[user_id].language = language
            by_pk[user_id].since = until
        wanting = [person for person in people if person.categories]
        sent: list[int] = []
        # One transaction per chunk: its messages are queued and its people's digests
        # marked sent together (and one commit, not one per message).
        with transaction.atomic():
            for user_id, events in _events_for(wanting, start=floor, end=now).items():
                if events:
                    _queue(person=by_pk[user_id], events=events, frequency=frequency)
                    sent.append(user_id)
                    stats.messages += 1
                    stats.events += len(events)
            if sent:
                Recipient.objects.bulk_create(
                    [Recipient(user_id=user_id, **{until_field: now}) for user_id in sent],
                    update_conflicts=True,
                    unique_fields=["user"],
                    update_fields=[until_field],
                )


def event_send_immediate(event_id: int) -> int:
    """Send one event at once to whoever chose "at once" for its category; how many."""
    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        return 0
    followers = Follow.objects.filter(
        Exists(
            EventTarget.objects.filter(
                event=event,
                content_type=OuterRef("content_type"),
                object_id=OuterRef("object_id"),
            )
        )
    ).values("user_id")
    named = EventRecipient.objects.filter(event=event).values("user_id")
    immediate = NotificationPreference.objects.filter(
        category=event.category, frequency=Frequency.IMMEDIATE
    ).filter(Q(user_id__in=followers) | Q(user_id__in=named))
    people = _people(User.objects.filter(pk__in=immediate.values("user_id")))
    languages = dict(
        Recipient.objects.filter(user_id__in=[p.pk for p in people]).values_list(
            "user_id", "language"
        )
    )
    for person in people:
        person.language = languages.get(person.pk, settings.LANGUAGE_CODE)
        _queue(person=person, events=[event], frequency=Frequency.IMMEDIATE)
    return len(people)
