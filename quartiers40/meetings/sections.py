"""What meetings add to other apps' pages (registered from MeetingsConfig.ready)."""

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from quartiers40.core.sections import (
    ACCOUNT_PAGE,
    COORDINATION_PAGE,
    HOME_PAGE,
    Section,
    section_register,
)
from quartiers40.members.queues import QUEUE_ENTRIES_SHOWN, queue

from . import selectors
from .enums import (
    ACTIVE_REGISTRATION_STATUSES,
    OPEN_ACTION_STATUSES,
    PitchStatus,
    RegistrationStatus,
)
from .models import Edition

EDITIONS_ON_HOME_PAGE = 2


def home_section_context(viewer=None) -> dict:
    """The next public editions, for the home page."""
    editions = selectors.editions_with_state(
        selectors.editions_upcoming(), limit=EDITIONS_ON_HOME_PAGE
    )
    return {"next_editions": editions}


def coordination_section_context(viewer) -> dict:
    """Local series to approve; pitches waiting for a decision at a coming edition."""
    series = selectors.series_pending().order_by("created_at", "pk")
    editions = (
        Edition.objects.upcoming()
        .filter(pitches__status=PitchStatus.SUBMITTED)
        .annotate(pitches_waiting=Count("pitches"))
        .order_by("starts_at", "pk")
    )

    def series_entries():
        for item in series[:QUEUE_ENTRIES_SHOWN]:
            yield {
                "title": item.name,
                "url": reverse("meetings:series_queue"),
                "note": item.organisation.name if item.organisation_id else "",
            }

    def pitch_entries():
        for edition in editions[:QUEUE_ENTRIES_SHOWN]:
            yield {
                "title": edition.title,
                "url": reverse("meetings:agenda_builder", args=[edition.slug]),
                "note": _("%(count)s proposition(s), le %(date)s")
                % {"count": edition.pitches_waiting, "date": date_format(edition.starts_at)},
            }

    return {
        "queues": [
            queue(
                key="series",
                label=_("Séries locales à valider"),
                url=reverse("meetings:series_queue"),
                action=_("Valider ou refuser les séries"),
                count=series.count(),
                entries=series_entries,
            ),
            queue(
                key="presentations",
                label=_("Propositions de présentation à décider"),
                url=reverse("home:coordination") + "#file-presentations",
                action=_("Ouvrir l'ordre du jour de chaque rencontre"),
                count=sum(editions.values_list("pitches_waiting", flat=True)),
                entries=pitch_entries,
            ),
        ]
    }


def account_section_context(viewer) -> dict:
    """My registrations (a seat offered or an e-mail to confirm first), the editions I
    organise, the follow-up actions I own."""
    now = timezone.now()
    registrations = list(
        selectors.registrations_of_user(viewer)
        .filter(status__in=ACTIVE_REGISTRATION_STATUSES, edition__ends_at__gte=now)
        .order_by("edition__starts_at", "pk")[:20]
    )
    actions = list(
        selectors.action_items_of_user(viewer).filter(status__in=OPEN_ACTION_STATUSES)[:20]
    )
    awaiting = []
    for registration in registrations:
        if registration.status == RegistrationStatus.OFFERED:
            text = _(
                "Une place s'est libérée pour « %(edition)s » : confirmez avant le %(deadline)s."
            ) % {
                "edition": registration.edition.title,
                "deadline": date_format(
                    timezone.localtime(registration.offer_expires_at), "DATETIME_FORMAT"
                )
                if registration.offer_expires_at
                else "",
            }
            action = _("Confirmer ma place")
            url = reverse("meetings:registration_manage", args=[registration.token])
        elif registration.status == RegistrationStatus.PENDING_CONFIRMATION:
            text = _("Confirmez votre adresse e-mail pour « %(edition)s ».") % {
                "edition": registration.edition.title
            }
            action = _("Voir mon inscription")
            url = reverse("meetings:registration_manage", args=[registration.token])
        else:
            continue
        awaiting.append({"text": text, "url": url, "action": action})
    return {
        "awaiting": awaiting,
        "registrations": registrations,
        "editions_organised": list(selectors.organised_editions(viewer).upcoming()[:10]),
        "actions": actions,
    }


def register() -> None:
    section_register(
        Section(
            page=HOME_PAGE,
            key="meetings",
            order=10,
            template="meetings/home_section.html",
            context=home_section_context,
        )
    )
    section_register(
        Section(
            page=COORDINATION_PAGE,
            key="meetings",
            order=40,
            template="meetings/coordination_section.html",
            context=coordination_section_context,
        )
    )
    section_register(
        Section(
            page=ACCOUNT_PAGE,
            key="meetings",
            order=40,
            template="meetings/account_section.html",
            context=account_section_context,
        )
    )
