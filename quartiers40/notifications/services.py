"""Writes of the notifications app: follows, preferences, events, unsubscribes, address
health. Content apps call `notification_record` from their own services (no signals)."""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from quartiers40.core.tasks import task_enqueue

from .enums import EVENT_KINDS, Category, Frequency
from .models import (
    FOLLOWABLE,
    EmailAddressHealth,
    Event,
    EventRecipient,
    EventTarget,
    Follow,
    NotificationPreference,
    Recipient,
)
from .tasks import event_send_immediate


def _target_key(target: models.Model) -> tuple[ContentType, str]:
    return ContentType.objects.get_for_model(target), str(target.pk)


def news_count_forget(user_id: int) -> None:
    """The header's Nouveautés count is cached per person: drop it after a change."""
    cache.delete(f"notifications:news-count:{user_id}")


@transaction.atomic
def recipient_ensure(*, user, language: str = "") -> Recipient:
    """The person's notification state, created on first use in the given language."""
    languages = dict(settings.LANGUAGES)
    recipient, _created = Recipient.objects.get_or_create(
        user=user,
        defaults={"language": language if language in languages else settings.LANGUAGE_CODE},
    )
    return recipient


@transaction.atomic
def follow_create(*, user, target: models.Model, language: str = "") -> Follow:
    """Follow a project, a défi, an edition or series, an organisation, a QPV, a commune.

    Following twice is following once. `language` (the page's) becomes the language of the
    person's messages if they had none yet.
    """
    content_type, object_id = _target_key(target)
    if f"{content_type.app_label}.{content_type.model}" not in FOLLOWABLE:
        raise ValidationError(_("Cet élément ne peut pas être suivi."))
    follow, _created = Follow.objects.get_or_create(
        user=user, content_type=content_type, object_id=object_id
    )
    recipient_ensure(user=user, language=language)
    news_count_forget(user.pk)
    return follow


@transaction.atomic
def follow_delete(*, user, target: models.Model) -> bool:
    content_type, object_id = _target_key(target)
    deleted, _rows = Follow.objects.filter(
        user=user, content_type=content_type, object_id=object_id
    ).delete()
    news_count_forget(user.pk)
    return bool(deleted)


@transaction.atomic
def preferences_set(*, user, frequencies: dict[str, str], language: str = "") -> None:
    """Set a frequency per category (the others keep theirs), and the messages' language."""
    for category, frequency in frequencies.items():
        if category not in Category.values or frequency not in Frequency.values:
            raise ValidationError(_("Choix inconnu."))
        NotificationPreference.objects.update_or_create(
            user=user, category=category, defaults={"frequency": frequency}
        )
    recipient = recipient_ensure(user=user, language=language)
    if language and language in dict(settings.LANGUAGES) and recipient.language != language:
        recipient.language = language
        recipient.save(update_fields=["language"])


def unsubscribe(*, user, categories: Iterable[str]) -> None:
    """The one-click unsubscribe: each category to "never" (the token proved who)."""
    preferences_set(user=user, frequencies=dict.fromkeys(categories, Frequency.NEVER))


def places_audience(
    *,
    qpvs: Iterable[models.Model] = (),
    commune_codes: Iterable[str] = (),
    organisations: Iterable[models.Model | None] = (),
) -> list[models.Model]:
    """Who hears of something placed there: its QPVs, their communes and the communes
    named, and its organisations (one query for the communes)."""
    from quartiers40.territories.models import Commune

    qpvs = list(qpvs)
    codes = {code for code in commune_codes if code}
    communes = Commune.objects.filter(
        models.Q(code__in=codes) | models.Q(qpv_links__qpv__in=qpvs)
    ).distinct()
    return [*qpvs, *communes, *(o for o in organisations if o is not None)]


@transaction.atomic
def notification_record(
    *,
    kind: str,
    item: models.Model,
    title: str = "",
    summary: str = "",
    path: str = "",
    audience: Iterable[models.Model] = (),
    recipients: Iterable = (),
) -> Event:
    """Record that something happened, once.

    `audience`: the followable things it concerns (its QPVs, communes, organisation...):
    their followers hear of it, as do the item's own followers. `recipients`: people it is
    for by name (the author of a défi, the coordination team). The digests fan it out;
    people who asked for "at once" get it after the commit.
    """
    event_kind = EVENT_KINDS[kind]
    now = timezone.now()
    item_type, item_id = _target_key(item)
    event = Event.objects.create(
        kind=kind,
        category=event_kind.category,
        item_type=item_type,
        item_id=item_id,
        title=(title or str(item))[:300],
        summary=summary[:500],
        path=path or item.get_absolute_url(),  # type: ignore[attr-defined]
        created_at=now,
    )
    targets = {(item_type.pk, item_id)}
    for target in audience:
        content_type, object_id = _target_key(target)
        targets.add((content_type.pk, object_id))
    EventTarget.objects.bulk_create(
        EventTarget(event=event, content_type_id=ct, object_id=oid, created_at=now)
        for ct, oid in sorted(targets)
    )
    user_ids = {getattr(person, "pk", person) for person in recipients}
    EventRecipient.objects.bulk_create(
        EventRecipient(event=event, user_id=user_id, created_at=now) for user_id in sorted(user_ids)
    )
    transaction.on_commit(lambda: task_enqueue(event_send_immediate, event_id=event.pk))
    return event


@transaction.atomic
def news_seen(*, user) -> None:
    """The Nouveautés page was read: its count starts again from now."""
    recipient = recipient_ensure(user=user)
    recipient.seen_until = timezone.now()
    recipient.save(update_fields=["seen_until"])
    news_count_forget(user.pk)


def email_outcome(to: str, delivered: bool, error: str) -> None:
    """Called by core's delivery task (its `on_outcome`) for every notification sent.

    A message sent clears the address; each final refusal (after core's retries, or a
    permanent 5xx at once) counts, and NOTIFICATIONS_FAILING_AFTER of them in a row mark it
    failing: no notification goes to it any more until one is delivered again.
    """
    with transaction.atomic():
        if delivered:
            EmailAddressHealth.objects.filter(email=to).update(
                failures=0, failing=False, last_error=""
            )
            return
        health, _created = EmailAddressHealth.objects.select_for_update().get_or_create(email=to)
        health.failures += 1
        health.last_error = error[:500]
        health.failing = health.failures >= settings.NOTIFICATIONS_FAILING_AFTER
        health.save()
