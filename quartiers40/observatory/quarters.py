"""Quarters of the calendar year, the observatory's unit of time ("T4 2026", `2026-t4`).

A quarter starts at midnight of its first day in the site's time zone; its end is the next
quarter's start (exclusive), as aware datetimes.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone
from django.utils.translation import gettext as _

SLUG = re.compile(r"^(?P<year>\d{4})-t(?P<number>[1-4])$")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1 to 4

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 4:
            raise ValueError(f"a quarter is numbered 1 to 4, not {self.number}")

    @classmethod
    def of(cls, moment: date | datetime) -> "Quarter":
        """The quarter holding a date, or an aware datetime (read in the site's time zone)."""
        if isinstance(moment, datetime):
            moment = timezone.localtime(moment).date() if timezone.is_aware(moment) else moment
        return cls(moment.year, (moment.month - 1) // 3 + 1)

    @classmethod
    def current(cls) -> "Quarter":
        return cls.of(timezone.localdate())

    @classmethod
    def from_slug(cls, slug: str) -> "Quarter | None":
        found = SLUG.match(slug or "")
        return cls(int(found["year"]), int(found["number"])) if found else None

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def start(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.first_day, time.min))

    @property
    def end(self) -> datetime:
        """Exclusive: the next quarter's start."""
        return self.next().start

    def next(self) -> "Quarter":
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )

    def previous(self) -> "Quarter":
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    @property
    def slug(self) -> str:
        return f"{self.year}-t{self.number}"

    @property
    def label(self) -> str:
        return _("T%(number)s %(year)s") % {"number": self.number, "year": self.year}

    def __str__(self) -> str:
        return self.label


def quarter_range(first: Quarter, last: Quarter) -> Iterator[Quarter]:
    """Every quarter from `first` to `last`, both included (nothing when first > last)."""
    quarter = first
    while quarter <= last:
        yield quarter
        quarter = quarter.next()


def quarters_back(count: int, *, last: Quarter | None = None) -> list[Quarter]:
    """The `count` quarters ending with `last` (the current one by default), oldest first."""
    quarters = [last or Quarter.current()]
    while len(quarters) < count:
        quarters.insert(0, quarters[0].previous())
    return quarters
