"""The meetings part of the fictional demo dataset (used by `manage.py load_demo`).

The national "petit déj de l'IA": four past editions, one per quarter before the load date,
hybrid, in several cities, each with its agenda (demo projects and défis), published minutes,
links to slides and replay, and action items in every status (some overdue); then one
upcoming edition with a full on-site capacity, a waiting list, a seat offered and open
pitch applications. Plus a local series of the Sevran association with an upcoming edition,
and a local series waiting for the coordination team's approval.

Everything is fictional and says so. Dates follow the load date so the "past" and
"upcoming" editions stay so; everything else is the same on every machine.
"""

import random
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from quartiers40.members.demo import DEMO_ACCOUNTS, DEMO_DOMAIN
from quartiers40.members.enums import Role
from quartiers40.members.models import Organisation, User
from quartiers40.projects.enums import ProjectStatus
from quartiers40.projects.models import Project

from .demo_data import ACTIONS, MINUTES, SPEAKERS, VENUES
from .enums import (
    ActionItemStatus,
    AgendaItemKind,
    Attendance,
    EditionFormat,
    EditionStatus,
    PitchStatus,
    RegistrationStatus,
    ResourceKind,
    SeriesKind,
    SeriesStatus,
)
from .models import (
    ActionItem,
    AgendaItem,
    Edition,
    EditionResource,
    PitchApplication,
    Registration,
    Series,
)

FICTIONAL_NOTE = "*Rencontre fictive, créée pour la démonstration de la plateforme.*"
NATIONAL_SLUG = "petit-dej-de-l-ia"
NATIONAL_NAME = "Quartiers 4.0 – petit déj de l'IA"
ONSITE_CAPACITY = 12
ONLINE_CAPACITY = 40
WAITING = 4


def _thursday_on_or_after(day: date) -> date:
    return day + timedelta(days=(3 - day.weekday()) % 7)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    return date(year, month % 12 + 1, min(day.day, 28))


def _challenges(limit: int) -> list:
    """Demo défis, when the challenges app is installed and loaded."""
    if not apps.is_installed("quartiers40.challenges"):
        return []
    challenge_model = apps.get_model("challenges", "Challenge")
    return list(challenge_model.objects.visible().order_by("-supports_count", "pk")[:limit])


def _agenda(edition: Edition, *, projects: list, challenge, day: date) -> None:
    items = [
        (time(8, 30), 15, "Accueil et café", "", AgendaItemKind.BREAK, None, None),
        (
            time(8, 45),
            15,
            "Le point sur les actions de la dernière rencontre",
            "Équipe de coordination",
            AgendaItemKind.TALK,
            None,
            None,
        ),
    ]
    minute = 9 * 60
    for index, project in enumerate(projects):
        items.append(
            (
                time(minute // 60, minute % 60),
                15,
                project.title,
                SPEAKERS[(index + day.month) % len(SPEAKERS)],
                AgendaItemKind.PITCH,
                project,
                None,
            )
        )
        minute += 15
    if challenge is not None:
        items.append(
            (
                time(minute // 60, minute % 60),
                20,
                f"Défi du quartier : {challenge.title}",
                "Des habitantes et habitants du quartier",
                AgendaItemKind.WORKSHOP,
                None,
                challenge,
            )
        )
        minute += 20
    items.append(
        (
            time(minute // 60, minute % 60),
            15,
            "Décisions et conclusion",
            "",
            AgendaItemKind.TALK,
            None,
            None,
        )
    )
    for order, (starts, duration, title, speakers, kind, project, challenge_) in enumerate(
        items, start=1
    ):
        AgendaItem.objects.create(
            edition=edition,
            order=order,
            starts_at=starts,
            duration_minutes=duration,
            title=title[:200],
            speakers=speakers,
            kind=kind,
            project=project,
            challenge=challenge_,
        )


def _edition(series: Series, *, number: int, day: date, venue: tuple, **fields) -> Edition:
    city, place, address, accessibility = venue
    month = day.strftime("%m/%Y")
    return Edition.objects.create(
        series=series,
        slug=f"petit-dej-ia-{day:%Y-%m}-{city.lower().replace(' ', '-')}",
        title=f"Petit déj de l'IA n°{number} – {city}, {month}",
        description=(
            f"Le petit déj trimestriel du collectif, à {place} ({city}) et en ligne : "
            "des projets d'IA présentés par celles et ceux qui les font, un défi d'un "
            f"quartier, et le suivi de nos décisions.\n\n{FICTIONAL_NOTE}"
        ),
        starts_at=_at(day, 8, 30),
        ends_at=_at(day, 10, 30),
        format=EditionFormat.HYBRID,
        address=address,
        accessibility_info=accessibility,
        online_url=f"https://visio.example.org/petit-dej-ia-{number}",
        onsite_capacity=ONSITE_CAPACITY,
        online_capacity=ONLINE_CAPACITY,
        status=EditionStatus.PUBLISHED,
        **fields,
    )


def _owners() -> list[Organisation]:
    return list(Organisation.objects.members_of_collective().order_by("pk"))


@transaction.atomic
def load(*, rng: random.Random, now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    today = timezone.localdate(now)
    coordinator = User.objects.filter(email=DEMO_ACCOUNTS[0][0]).first()
    mediator = User.objects.filter(email=DEMO_ACCOUNTS[2][0]).first()
    resident = User.objects.filter(email=DEMO_ACCOUNTS[1][0]).first()
    organisations = _owners()
    if coordinator is None or not organisations:
        return {"editions": 0}
    projects = list(
        Project.objects.filter(status=ProjectStatus.PUBLISHED).order_by("-last_updated_at", "pk")
    )
    challenges = _challenges(8)

    national = Series.objects.create(
        slug=NATIONAL_SLUG,
        name=NATIONAL_NAME,
        kind=SeriesKind.NATIONAL,
        status=SeriesStatus.APPROVED,
        description=(
            "Chaque trimestre, le collectif Quartiers 4.0 se retrouve autour d'un petit "
            "déjeuner pour découvrir des projets d'intelligence artificielle nés dans les "
            "quartiers prioritaires, écouter les défis des habitants et décider ensemble de "
            f"la suite.\n\n{FICTIONAL_NOTE}"
        ),
        created_by=coordinator,
    )

    editions = []
    action_count = 0
    # Four past editions, one per quarter before today (oldest first).
    for index in range(4):
        day = _thursday_on_or_after(today - timedelta(days=91 * (4 - index)))
        edition = _edition(
            national,
            number=index + 1,
            day=day,
            venue=VENUES[index],
            registration_open=False,
            published_at=_at(day - timedelta(days=45), 10),
            minutes_published_at=_at(day + timedelta(days=3), 17),
            replay_url=f"https://video.example.org/petit-dej-ia-{index + 1}",
            slides_url=f"https://docs.example.org/petit-dej-ia-{index + 1}.pdf",
        )
        edition.organisers.add(coordinator)
        chosen = projects[index * 3 : index * 3 + 3]
        challenge = challenges[index] if index < len(challenges) else None
        _agenda(edition, projects=chosen, challenge=challenge, day=day)
        pitches = (
            "\n".join(f"- **{project.title}** : {project.summary}" for project in chosen)
            or "- Pas de présentation de projet cette fois-ci."
        )
        edition.minutes = MINUTES.format(pitches=pitches, note=FICTIONAL_NOTE)
        edition.save(update_fields=["minutes"])
        EditionResource.objects.create(
            edition=edition,
            kind=ResourceKind.SLIDES,
            title="Les supports des présentations (PDF)",
            url=edition.slides_url,
            created_by=coordinator,
        )
        EditionResource.objects.create(
            edition=edition,
            kind=ResourceKind.REPLAY,
            title="La rediffusion",
            url=edition.replay_url,
            created_by=coordinator,
        )
        for position, (title, months, status) in enumerate(ACTIONS[index]):
            owner = organisations[(index * 5 + position * 7) % len(organisations)]
            owner_user = mediator if (index, position) == (3, 0) else None
            due = _add_months(day, months)
            linked_project = chosen[position] if position < len(chosen) else None
            ActionItem.objects.create(
                edition=edition,
                title=title,
                description=f"Décidé lors de « {edition.title} ».",
                owner_organisation=owner,
                owner_user=owner_user,
                due_date=due,
                status=status,
                status_note={
                    ActionItemStatus.DONE: "C'est fait : le résultat est présenté sur la page du projet.",
                    ActionItemStatus.IN_PROGRESS: "Une première réunion a eu lieu, la suite est prévue.",
                    ActionItemStatus.DROPPED: "Abandonnée faute de partenaire ; l'idée reste ouverte.",
                }.get(status, ""),
                project=linked_project,
                challenge=challenge if position == 2 else None,
                created_by=coordinator,
            )
            action_count += 1
        _past_attendance(edition, rng=rng, day=day)
        editions.append(edition)

    upcoming = _upcoming(
        national,
        coordinator=coordinator,
        mediator=mediator,
        resident=resident,
        projects=projects,
        challenges=challenges,
        today=today,
        now=now,
        rng=rng,
    )
    editions.append(upcoming)
    editions += _local(coordinator=coordinator, mediator=mediator, today=today, now=now)
    return {
        "series": Series.objects.count(),
        "editions": len(editions),
        "action_items": action_count,
        "registrations": Registration.objects.count(),
    }


def _demo_people() -> list[User]:
    return list(
        User.objects.filter(email__startswith="membre", email__endswith=f"@{DEMO_DOMAIN}").order_by(
            "email"
        )
    )


def _register(edition, *, sequence: int, status: str, attendance: str, moment: datetime, **fields):
    return Registration.objects.create(
        edition=edition,
        sequence=sequence,
        status=status,
        attendance=attendance,
        email_confirmed_at=moment,
        confirmed_at=moment if status == RegistrationStatus.CONFIRMED else None,
        **fields,
    )


def _past_attendance(edition: Edition, *, rng: random.Random, day: date) -> None:
    """A few confirmed registrations with their check-in, so attendance counts show."""
    people = _demo_people()[: ONSITE_CAPACITY + 6]
    moment = _at(day - timedelta(days=10), 12)
    for sequence, person in enumerate(people, start=1):
        attendance = Attendance.ON_SITE if sequence <= ONSITE_CAPACITY else Attendance.ONLINE
        registration = _register(
            edition,
            sequence=sequence,
            status=RegistrationStatus.CONFIRMED,
            attendance=attendance,
            moment=moment,
            user=person,
            name=person.display_name,
        )
        if rng.random() < 0.8:
            registration.checked_in_at = _at(day, 8, 35)
            registration.save(update_fields=["checked_in_at"])
    Edition.objects.filter(pk=edition.pk).update(registration_sequence=len(people))


def _upcoming(
    series, *, coordinator, mediator, resident, projects, challenges, today, now, rng
) -> Edition:
    """Full on site, a waiting list, an offer to confirm, room online, pitches to review."""
    day = _thursday_on_or_after(today + timedelta(days=24))
    edition = _edition(
        series,
        number=5,
        day=day,
        venue=VENUES[4],
        registration_open=True,
        call_for_pitches_open=True,
        published_at=now - timedelta(days=10),
    )
    edition.organisers.add(coordinator)
    moment = now - timedelta(days=8)
    people = iter(_demo_people()[ONSITE_CAPACITY + 6 :] or _demo_people())
    sequence = 0

    def add(status, attendance=Attendance.ON_SITE, **fields):
        nonlocal sequence
        sequence += 1
        if "name" not in fields:
            person = next(people, None)
            if person is None:
                return None
            fields.update(user=person, name=person.display_name)
        return _register(
            edition,
            sequence=sequence,
            status=status,
            attendance=attendance,
            moment=moment + timedelta(minutes=10 * sequence),
            **fields,
        )

    # On site, in order of arrival: ten people confirmed (one with accessibility needs, one
    # with a dietary note), one resident registered by the mediator, one cancellation whose
    # seat is now offered to the first person of the waiting list, then the waiting list
    # (the demo resident last). Seats held: 10 + 1 + 1 offered = the capacity.
    for index in range(ONSITE_CAPACITY - 2):
        add(
            RegistrationStatus.CONFIRMED,
            accessibility_needs="Fauteuil roulant : une place accessible, merci."
            if index == 1
            else "",
            dietary_notes="Sans gluten." if index == 2 else "",
        )
    add(
        RegistrationStatus.CONFIRMED,
        name="Mme Z. (habitante inscrite par son médiateur, fictive)",
        registered_by=mediator,
        phone="06 00 00 00 00",
    )
    add(RegistrationStatus.CANCELLED, cancelled_at=now - timedelta(hours=6))
    add(
        RegistrationStatus.OFFERED,
        offered_at=now - timedelta(hours=6),
        offer_expires_at=now + timedelta(hours=42),
    )
    for _index in range(WAITING - 1):
        add(RegistrationStatus.WAITING)
    if resident is not None:
        add(RegistrationStatus.WAITING, user=resident, name=resident.display_name)
    for index in range(3):
        add(
            RegistrationStatus.CONFIRMED,
            Attendance.ONLINE,
            name=f"Invité·e en ligne {index + 1} (fictif)",
            email=f"invite-en-ligne-{index + 1}@{DEMO_DOMAIN}",
        )
    Edition.objects.filter(pk=edition.pk).update(registration_sequence=sequence)

    # The agenda is being built: an opening, one accepted pitch; more applications wait.
    chosen = projects[12:15]
    AgendaItem.objects.create(
        edition=edition,
        order=1,
        starts_at=time(8, 30),
        duration_minutes=15,
        title="Accueil et café",
        kind=AgendaItemKind.BREAK,
    )
    AgendaItem.objects.create(
        edition=edition,
        order=2,
        starts_at=time(8, 45),
        duration_minutes=15,
        title="Le point sur les actions de la dernière rencontre",
        speakers="Équipe de coordination",
        kind=AgendaItemKind.TALK,
    )
    for index, project in enumerate(chosen):
        status = PitchStatus.ACCEPTED if index == 0 else PitchStatus.SUBMITTED
        pitch = PitchApplication.objects.create(
            edition=edition,
            project=project,
            pitch=f"{project.summary} Nous aimerions montrer ce qui marche et ce qui reste difficile.",
            speaker_name=SPEAKERS[index],
            status=status,
            decided_at=now - timedelta(days=2) if status == PitchStatus.ACCEPTED else None,
        )
        if status == PitchStatus.ACCEPTED:
            AgendaItem.objects.create(
                edition=edition,
                order=3,
                starts_at=time(9, 0),
                duration_minutes=15,
                title=project.title[:200],
                speakers=SPEAKERS[index],
                kind=AgendaItemKind.PITCH,
                project=project,
                pitch=pitch,
            )
    if len(challenges) > 4:
        PitchApplication.objects.create(
            edition=edition,
            challenge=challenges[4],
            pitch="Les habitants présenteront eux-mêmes ce dont le quartier a besoin.",
            speaker_name="Des habitantes du quartier",
        )
    return edition


def _local(*, coordinator, mediator, today, now) -> list[Edition]:
    """The Sevran association's local series (approved, one upcoming edition), and a
    local series waiting for approval."""
    association = (
        Organisation.objects.filter(memberships__user=mediator, memberships__role=Role.ADMIN)
        .order_by("pk")
        .first()
        if mediator
        else None
    )
    if association is None:
        return []
    series = Series.objects.create(
        slug="ateliers-ia-sevran",
        name=f"Les ateliers IA de {association.commune_name or 'Sevran'}",
        kind=SeriesKind.LOCAL,
        organisation=association,
        status=SeriesStatus.APPROVED,
        description=(
            "Une fois par mois, on découvre ensemble un outil d'IA utile au quotidien, "
            f"sans jargon, au centre social.\n\n{FICTIONAL_NOTE}"
        ),
        created_by=mediator,
        decided_by=coordinator,
        decided_at=now - timedelta(days=60),
    )
    day = _thursday_on_or_after(today + timedelta(days=10))
    edition = Edition.objects.create(
        series=series,
        slug=f"atelier-ia-sevran-{day:%Y-%m}",
        title="Atelier : écrire un courrier avec un assistant d'IA",
        description=(
            "Apportez un courrier à écrire (CAF, bailleur, école) : on l'écrit ensemble avec "
            f"un assistant, et on vérifie ce qu'il propose.\n\n{FICTIONAL_NOTE}"
        ),
        starts_at=_at(day, 14),
        ends_at=_at(day, 16),
        format=EditionFormat.ON_SITE,
        address=f"Centre social, 3 allée des Tilleuls, 93270 {association.commune_name or 'Sevran'} (adresse fictive)",
        accessibility_info="Rez-de-chaussée, accès de plain-pied.",
        onsite_capacity=15,
        status=EditionStatus.PUBLISHED,
        published_at=now - timedelta(days=5),
    )
    edition.organisers.add(mediator)
    other = (
        Organisation.objects.members_of_collective()
        .exclude(pk=association.pk)
        .order_by("pk")
        .first()
    )
    if other is not None:
        Series.objects.create(
            slug="cafes-numeriques-demo",
            name=f"Les cafés numériques de {other.commune_name or other.name}",
            kind=SeriesKind.LOCAL,
            organisation=other,
            status=SeriesStatus.PENDING,
            description=f"Des rencontres courtes entre voisins autour du numérique.\n\n{FICTIONAL_NOTE}",
        )
    return [edition]


def reset() -> None:
    """Remove every meeting (used by `load_demo --reset` before the organisations go)."""
    Edition.objects.all().delete()
    Series.objects.all().delete()
