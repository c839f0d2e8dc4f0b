"""The meetings models' querysets: the reads every selector chains (`visible()`, `waiting()`)."""

from datetime import date, datetime

from django.db import models
from django.utils import timezone

from .enums import (
    ACTIVE_REGISTRATION_STATUSES,
    OPEN_ACTION_STATUSES,
    SEAT_HOLDING_STATUSES,
    EditionStatus,
    RegistrationStatus,
    SeriesStatus,
)


class SeriesQuerySet(models.QuerySet):
    def approved(self) -> "SeriesQuerySet":
        return self.filter(status=SeriesStatus.APPROVED)

    def pending(self) -> "SeriesQuerySet":
        return self.filter(status=SeriesStatus.PENDING)


class EditionQuerySet(models.QuerySet):
    def published(self) -> "EditionQuerySet":
        return self.filter(status=EditionStatus.PUBLISHED, series__status=SeriesStatus.APPROVED)

    def visible(self) -> "EditionQuerySet":
        """Public: published or cancelled (a cancelled edition keeps its page)."""
        return self.filter(
            status__in=[EditionStatus.PUBLISHED, EditionStatus.CANCELLED],
            series__status=SeriesStatus.APPROVED,
        )

    def upcoming(self, now: datetime | None = None) -> "EditionQuerySet":
        return self.filter(ends_at__gte=now or timezone.now()).order_by("starts_at", "pk")

    def past(self, now: datetime | None = None) -> "EditionQuerySet":
        return self.filter(ends_at__lt=now or timezone.now()).order_by("-starts_at", "-pk")


class RegistrationQuerySet(models.QuerySet):
    def active(self) -> "RegistrationQuerySet":
        return self.filter(status__in=ACTIVE_REGISTRATION_STATUSES)

    def holding_seat(self) -> "RegistrationQuerySet":
        return self.filter(status__in=SEAT_HOLDING_STATUSES)

    def confirmed(self) -> "RegistrationQuerySet":
        return self.filter(status=RegistrationStatus.CONFIRMED)

    def waiting(self) -> "RegistrationQuerySet":
        return self.filter(status=RegistrationStatus.WAITING).order_by("sequence", "pk")


class ActionItemQuerySet(models.QuerySet):
    def still_open(self) -> "ActionItemQuerySet":
        return self.filter(status__in=OPEN_ACTION_STATUSES)

    def overdue(self, today: date | None = None) -> "ActionItemQuerySet":
        return self.still_open().filter(due_date__lt=today or timezone.localdate())
