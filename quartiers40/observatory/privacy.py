"""The small-count rule, in one place: a count about people (residents, registrants) under
SMALL_COUNT is never shown as a number, in pages, CSV exports or the API, so that nobody
can be recognised from a figure ("2 people from this QPV came")."""

from django.utils.translation import gettext as _

SMALL_COUNT = 5


def plotted(count: int, *, about_people: bool = True) -> int:
    """What a chart draws: a hidden count is drawn as 0 (its table says "moins de 5")."""
    return 0 if is_hidden(count, about_people=about_people) else count


def is_hidden(count: int | None, *, about_people: bool = True) -> bool:
    return about_people and count is not None and count < SMALL_COUNT


def shown(count: int | None, *, about_people: bool = True) -> int | str | None:
    """The number, or "moins de 5" for a count about people under 5 (0 too: told apart
    from 1, it would say that someone did). None (no figure at all) stays None."""
    if is_hidden(count, about_people=about_people):
        return small_count_text()
    return count


def small_count_text() -> str:
    return _("moins de %(limit)s") % {"limit": SMALL_COUNT}
