"""Two database idioms every service uses: a row read again under lock, a unique slug;
and what counts as the database being away (the error pages and the API answer 503)."""

from collections.abc import Collection, Sequence
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError, connection, models
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.text import slugify

M = TypeVar("M", bound=models.Model)

# The database away (restarting, unreachable, the connection cut): transient, so the site
# answers 503 and asks to come back soon, rather than 500. Any other database error (a bad
# query, a broken constraint) is a bug and stays a 500.
DATABASE_UNAVAILABLE_ERRORS = (OperationalError, InterfaceError)
# How long the 503 asks browsers and programs to wait (`Retry-After`): a PostgreSQL restart
# takes a few seconds.
DATABASE_RETRY_AFTER_SECONDS = 10


def lock_row(instance: M, *, related: tuple[str, ...] = ()) -> M:
    """Lock the instance's row until the transaction ends and read it again, in place.

    The caller's object then holds what is in the database, so a check made after this
    call (a status, a count) cannot race with another request. Only the row itself is
    locked (`of=("self",)`), even when `related` rows are read along with it.

        project = lock_row(project)
        if project.status not in PROJECT_WORKFLOW...
    """
    if not connection.in_atomic_block:
        raise RuntimeError("lock_row() needs a transaction (@transaction.atomic)")
    queryset = type(instance)._default_manager.all()
    if related:
        queryset = queryset.select_related(*related).select_for_update(of=("self",))
    else:
        queryset = queryset.select_for_update()
    instance.refresh_from_db(from_queryset=queryset)
    return instance


def unique_slug(
    model: type[models.Model],
    text: str,
    *,
    fallback: str,
    reserved: Collection[str] = (),
    max_length: int | None = None,
    field: str = "slug",
) -> str:
    """A slug for `text` that no row of `model` has yet: "atelier", "atelier-2", …

    `reserved` are the slugs that would shadow a page (/projets/nouveau/): they get the
    fallback in front ("projet-nouveau"). The length fits the field.
    """
    # Room is left for the fallback and the "-2" of a duplicate.
    limit = (max_length or getattr(model._meta.get_field(field), "max_length", None) or 50) - 20
    base = slugify(text)[:limit] or fallback
    if base in reserved:
        base = f"{fallback}-{base}"
    taken = set(
        model._default_manager.filter(**{f"{field}__startswith": base}).values_list(
            field, flat=True
        )
    )
    slug, index = base, 2
    while slug in taken:
        slug = f"{base}-{index}"
        index += 1
    return slug


def codes_validate(values, allowed, message) -> None:
    """A model's JSON list of codes (themes, publics…): a list, every code among `allowed`."""
    if not isinstance(values, list) or any(value not in allowed for value in values):
        raise ValidationError(message)


def json_list_contains(field: str, code: str) -> Q:
    """Filter a JSON list of codes on SQLite and PostgreSQL alike.

    JSON `contains` is not supported by SQLite; the codes are plain words, so matching the
    quoted code in the list's text is exact ('"93"' never matches '"930"').
    """
    return Q(**{f"{field}__icontains": f'"{code}"'})


def in_given_order(ids: Sequence[int], field: str = "pk") -> Case:
    """An ordering expression that keeps rows in the order of `ids` (a search's ranking):
    `queryset.filter(pk__in=ids).order_by(in_given_order(ids))`."""
    return Case(
        *[When(**{field: pk}, then=Value(position)) for position, pk in enumerate(ids)],
        default=Value(len(ids)),
        output_field=IntegerField(),
    )
