from datetime import timedelta

import factory
from django.utils import timezone

from quartiers40.meetings.enums import (
    ActionItemStatus,
    Attendance,
    EditionFormat,
    EditionStatus,
    RegistrationStatus,
    SeriesKind,
    SeriesStatus,
)
from quartiers40.meetings.models import ActionItem, AgendaItem, Edition, Registration, Series
from tests.members.factories import OrganisationFactory, UserFactory


class SeriesFactory(factory.django.DjangoModelFactory):
    """The national "petit déj de l'IA"."""

    class Meta:
        model = Series
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Petit déj de l'IA {n}")
    slug = factory.Sequence(lambda n: f"petit-dej-{n}")
    kind = SeriesKind.NATIONAL
    status = SeriesStatus.APPROVED


class LocalSeriesFactory(SeriesFactory):
    name = factory.Sequence(lambda n: f"Rencontres locales {n}")
    slug = factory.Sequence(lambda n: f"locales-{n}")
    kind = SeriesKind.LOCAL
    organisation = factory.SubFactory(OrganisationFactory)


class EditionFactory(factory.django.DjangoModelFactory):
    """A published on-site edition in two weeks, 50 seats."""

    class Meta:
        model = Edition
        skip_postgeneration_save = True

    series = factory.SubFactory(SeriesFactory)
    title = factory.Sequence(lambda n: f"Édition {n}")
    slug = factory.Sequence(lambda n: f"edition-{n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    format = EditionFormat.ON_SITE
    address = "6 rue de la République, 93200 Saint-Denis"
    accessibility_info = "Accès de plain-pied."
    onsite_capacity = 50
    status = EditionStatus.PUBLISHED
    registration_open = True


class HybridEditionFactory(EditionFactory):
    format = EditionFormat.HYBRID
    online_url = "https://visio.exemple.fr/petit-dej"
    onsite_capacity = 2
    online_capacity = 2


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A confirmed signed-in registration (no capacity check: use the services for that)."""

    class Meta:
        model = Registration

    edition = factory.SubFactory(EditionFactory)
    user = factory.SubFactory(UserFactory)
    name = factory.LazyAttribute(lambda o: o.user.display_name if o.user else "Habitante")
    attendance = Attendance.ON_SITE
    status = RegistrationStatus.CONFIRMED
    sequence = factory.Sequence(lambda n: n + 1)


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    edition = factory.SubFactory(EditionFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Point {n}")
    duration_minutes = 10


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    edition = factory.SubFactory(EditionFactory)
    title = factory.Sequence(lambda n: f"Action {n}")
    owner_organisation = factory.SubFactory(OrganisationFactory)
    due_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    status = ActionItemStatus.OPEN
