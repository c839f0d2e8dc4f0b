"""The notifications' part of the demo: some people follow QPVs where things happen, and
the week's new opportunities there are recorded, so Nouveautés and the digests have news
(the demo resident, habitante@…, follows two of them)."""

import random
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from quartiers40.members.demo import DEMO_ACCOUNTS
from quartiers40.members.models import User
from quartiers40.territories.models import QPV

from . import services
from .models import Event, EventTarget, Follow, NotificationPreference, Recipient

PEOPLE = 30
EVENTS = 40


def load(*, rng: random.Random) -> dict[str, int]:
    from quartiers40.opportunities.enums import OpportunityStatus
    from quartiers40.opportunities.models import Opportunity
    from quartiers40.projects.enums import ProjectStatus
    from quartiers40.projects.models import Project

    places = (
        Q(opportunity_places__isnull=False)
        | Q(projects__isnull=False)
        | Q(challenges__isnull=False)
    )
    qpvs = list(QPV.objects.filter(places).distinct().order_by("pk"))
    if not qpvs:
        return {"follows": 0, "events": 0}
    resident = User.objects.filter(email=DEMO_ACCOUNTS[1][0]).first()
    people = list(
        User.objects.filter(is_active=True, is_coordinator=False, is_superuser=False).order_by(
            "pk"
        )[:PEOPLE]
    )
    if resident is not None and resident not in people:
        people.append(resident)
    follows = 0
    for person in people:
        for qpv in rng.sample(qpvs, k=min(len(qpvs), rng.randint(1, 3))):
            services.follow_create(user=person, target=qpv)
            follows += 1
    now = timezone.now()
    opportunities = Opportunity.objects.filter(status=OpportunityStatus.PUBLISHED).order_by(
        "-published_at", "pk"
    )[:EVENTS]
    recorded = []
    for opportunity in opportunities:
        recorded.append(
            services.notification_record(
                kind="opportunity_new",
                item=opportunity,
                title=opportunity.title,
                summary=opportunity.summary[:500],
                audience=services.places_audience(
                    qpvs=QPV.objects.filter(opportunity_places__opportunity=opportunity).distinct(),
                    commune_codes=opportunity.places.values_list("commune_code", flat=True),
                    organisations=[opportunity.organisation],
                ),
            )
        )
    projects = Project.objects.filter(status=ProjectStatus.PUBLISHED).select_related("carrier")
    for project in projects.order_by("-published_at", "pk")[:EVENTS]:
        recorded.append(
            services.notification_record(
                kind="project_new",
                item=project,
                title=project.title,
                summary=project.summary,
                audience=services.places_audience(
                    qpvs=project.qpvs.all(), organisations=[project.carrier]
                ),
            )
        )
    for event in recorded:  # spread over the last week, as they would have come
        when = now - timedelta(minutes=rng.randrange(6 * 24 * 60))
        Event.objects.filter(pk=event.pk).update(created_at=when)
        EventTarget.objects.filter(event=event).update(created_at=when)
    return {"follows": follows, "events": len(recorded)}


def reset() -> None:
    Event.objects.all().delete()
    Follow.objects.all().delete()
    NotificationPreference.objects.all().delete()
    Recipient.objects.all().delete()
