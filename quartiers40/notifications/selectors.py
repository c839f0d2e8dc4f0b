"""Reads: is it followed, my follows with their names and links, my news and its count."""

from datetime import timedelta

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from .enums import DEFAULT_FREQUENCY, Category
from .models import Event, EventRecipient, EventTarget, Follow, NotificationPreference, Recipient

NEWS_DAYS = 30  # the Nouveautés page looks back this far
NEWS_COUNT_CAP = 99  # the header says "99+" past it
NEWS_COUNT_SECONDS = 120

# The short names of the follow buttons' addresses, and the model each stands for.
TARGET_KEYS = {
    "projet": "projects.project",
    "defi": "challenges.challenge",
    "edition": "meetings.edition",
    "serie": "meetings.series",
    "organisation": "members.organisation",
    "qpv": "territories.qpv",
    "commune": "territories.commune",
}


# Only what anybody may see can be followed (a draft or a hidden défi cannot, nor be named
# by its key to learn its title); organisations are checked by their permission.
PUBLIC_ONLY = {
    "projet": Q(status="published"),
    "defi": Q(moderation="visible"),
    "edition": Q(status__in=["published", "cancelled"]),
    "serie": Q(status="approved"),
}


def target_model(key: str) -> type[models.Model] | None:
    label = TARGET_KEYS.get(key)
    return apps.get_model(label) if label else None


def followable_get(key: str, pk: str, *, viewer) -> models.Model | None:
    """The thing behind a follow button's address, if this person may see (so follow) it."""
    model = target_model(key)
    if model is None:
        return None
    queryset = model._default_manager.filter(PUBLIC_ONLY.get(key, Q()))
    try:
        target = queryset.filter(pk=pk).first()
    except (ValueError, TypeError):
        return None
    if target is not None and key == "organisation":
        from quartiers40.members.permissions import can_view_organisation

        if not can_view_organisation(viewer, target):  # type: ignore[arg-type]
            return None
    return target


def target_key(target: models.Model) -> str:
    label = target._meta.label_lower
    return next(key for key, value in TARGET_KEYS.items() if value == label)


def target_url(target: models.Model) -> str:
    """The page of a followable thing (QPVs, communes and meetings have no get_absolute_url)."""
    key = target_key(target)
    if key == "qpv":
        return reverse("territories:detail", kwargs={"code": target.code})  # type: ignore[attr-defined]
    if key == "commune":
        return reverse("observatory:commune", kwargs={"code": target.pk})
    if key == "edition":
        return reverse("meetings:edition_detail", kwargs={"slug": target.slug})  # type: ignore[attr-defined]
    if key == "serie":
        return reverse("meetings:series_detail", kwargs={"slug": target.slug})  # type: ignore[attr-defined]
    return target.get_absolute_url()  # type: ignore[attr-defined]


def is_following(user, target: models.Model) -> bool:
    if not user.is_authenticated:
        return False
    return Follow.objects.filter(
        user=user,
        content_type=ContentType.objects.get_for_model(target),
        object_id=str(target.pk),
    ).exists()


def follows_of(user) -> list[dict]:
    """My follows, each with its object (one query per kind of target, not per follow)."""
    follows = list(Follow.objects.filter(user=user).order_by("-created_at"))
    by_type: dict[int, list[Follow]] = {}
    for follow in follows:
        by_type.setdefault(follow.content_type_id, []).append(follow)
    rows: list[dict] = []
    for content_type_id, group in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            continue
        objects = model._default_manager.in_bulk([follow.object_id for follow in group])
        for follow in group:
            target = objects.get(model._meta.pk.to_python(follow.object_id))
            if target is not None:
                rows.append(
                    {
                        "follow": follow,
                        "target": target,
                        "key": target_key(target),
                        "url": target_url(target),
                        "kind": model._meta.verbose_name,
                    }
                )
    rows.sort(key=lambda row: row["follow"].created_at, reverse=True)
    return rows


def preferences_of(user) -> dict[str, str]:
    chosen = dict(
        NotificationPreference.objects.filter(user=user).values_list("category", "frequency")
    )
    return {category: chosen.get(category, DEFAULT_FREQUENCY) for category in Category.values}


def _events_for_user(user) -> models.QuerySet[Event]:
    followed = EventTarget.objects.filter(
        Exists(
            Follow.objects.filter(
                user=user,
                content_type=OuterRef("content_type"),
                object_id=OuterRef("object_id"),
            )
        )
    ).values("event_id")
    named = EventRecipient.objects.filter(user=user).values("event_id")
    since = timezone.now() - timedelta(days=NEWS_DAYS)
    return Event.objects.filter(created_at__gt=since).filter(Q(pk__in=followed) | Q(pk__in=named))


def news_of(user, *, limit: int = 50) -> list[Event]:
    return list(_events_for_user(user).order_by("-created_at", "-pk")[:limit])


def news_seen_until(user):
    return Recipient.objects.filter(user=user).values_list("seen_until", flat=True).first()


def news_count(user) -> int:
    """What came since the Nouveautés page was last read: one query, cached per person."""
    key = f"notifications:news-count:{user.pk}"
    count = cache.get(key)
    if count is None:
        seen = Recipient.objects.filter(user=user, seen_until__isnull=False).values("seen_until")
        events = _events_for_user(user).exclude(
            Exists(seen.filter(seen_until__gte=OuterRef("created_at")))
        )
        count = events[: NEWS_COUNT_CAP + 1].count()
        cache.set(key, count, NEWS_COUNT_SECONDS)
    return count
