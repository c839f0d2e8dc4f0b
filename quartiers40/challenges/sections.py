"""What défis add to other apps' pages, without those apps knowing about défis.

- The QPV page: a section registered in `core.sections` (from
  `ChallengesConfig.ready`), listing the public défis of the neighbourhood.
- The organisation page: a section registered the same way, the public défis the
  organisation posted or offered help on.

Both read through `selectors` (public défis only, QPVs prefetched): a fixed number of
queries whatever the number of défis.
"""

from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from quartiers40.core.sections import (
    ACCOUNT_PAGE,
    COORDINATION_PAGE,
    HOME_PAGE,
    ORGANISATION_PAGE,
    QPV_PAGE,
    Section,
    section_register,
)
from quartiers40.members.queues import QUEUE_ENTRIES_SHOWN, queue

from . import selectors
from .enums import ChallengeStatus, ModerationState, OfferState
from .models import Challenge, ChallengeOffer

CHALLENGES_ON_ORGANISATION_PAGE = 10
CHALLENGES_ON_HOME_PAGE = 4


def home_section_context(viewer=None) -> dict:
    """The latest public défis still waiting for an answer, for the home page."""
    challenges = selectors.challenge_catalogue(status="open", sort="newest")
    return {"latest_challenges": list(challenges[:CHALLENGES_ON_HOME_PAGE])}


def organisation_section_context(organisation, viewer=None) -> dict:
    """The public défis an organisation posted, and those it offered help on (two or three
    queries). Everybody sees the same: only public défis are listed."""
    challenges = selectors.challenges_of_organisation(organisation)
    shown = list(challenges[:CHALLENGES_ON_ORGANISATION_PAGE])
    count = len(shown)
    if count == CHALLENGES_ON_ORGANISATION_PAGE:
        count = challenges.count()
    return {
        "posted": [c for c in shown if c.organisation_id == organisation.pk],
        "helped": [c for c in shown if c.organisation_id != organisation.pk],
        "challenges_count": count,
        "more": count > len(shown),
    }


# An offer of help nobody answered for this long: the team nudges the défi's author.
OFFER_UNANSWERED_DAYS = 14
ACTIVE_STATUSES = (ChallengeStatus.OPEN, ChallengeStatus.BEING_ADDRESSED)


def _offers_unanswered():
    return (
        ChallengeOffer.objects.filter(
            state=OfferState.PENDING,
            created_at__lt=timezone.now() - timedelta(days=OFFER_UNANSWERED_DAYS),
            challenge__moderation=ModerationState.VISIBLE,
            challenge__status__in=ACTIVE_STATUSES,
            challenge__merged_into__isnull=True,
        )
        .select_related("challenge", "organisation")
        .order_by("created_at", "pk")
    )


def coordination_section_context(viewer) -> dict:
    """Défis to read before they show, reports to handle, offers left without an answer."""
    pending = selectors.challenges_pending_moderation()
    reports = selectors.reports_open()
    offers = _offers_unanswered()
    moderation_url = reverse("challenges:moderation")

    def pending_entries():
        for challenge in pending[:QUEUE_ENTRIES_SHOWN]:
            yield {
                "title": challenge.title,
                "url": challenge.get_absolute_url(),
                "note": _("posté le %(date)s") % {"date": date_format(challenge.created_at)},
            }

    def report_entries():
        for report in reports[:QUEUE_ENTRIES_SHOWN]:
            yield {
                "title": report.challenge.title,
                "url": moderation_url + "#signalements",
                "note": report.get_target_display(),
            }

    def offer_entries():
        for offer in offers[:QUEUE_ENTRIES_SHOWN]:
            yield {
                "title": offer.challenge.title,
                "url": offer.challenge.get_absolute_url() + "#propositions",
                "note": _("%(organisation)s, le %(date)s")
                % {"organisation": offer.organisation.name, "date": date_format(offer.created_at)},
            }

    return {
        "queues": [
            queue(
                key="defis",
                label=_("Défis à relire"),
                url=moderation_url,
                action=_("Relire les défis"),
                count=pending.count(),
                entries=pending_entries,
            ),
            queue(
                key="signalements",
                label=_("Signalements"),
                url=moderation_url + "#signalements",
                action=_("Traiter les signalements"),
                count=reports.count(),
                entries=report_entries,
            ),
            queue(
                key="propositions",
                label=_("Propositions d'aide sans réponse depuis %(days)s jours")
                % {"days": OFFER_UNANSWERED_DAYS},
                url=reverse("home:coordination") + "#file-propositions",
                action=_("Relancer l'auteur de chaque défi"),
                count=offers.count(),
                entries=offer_entries,
            ),
        ]
    }


def account_section_context(viewer) -> dict:
    """The défis I posted (for myself or for a resident), with the offers waiting for my
    answer; the défis I support; the offers my organisations made."""
    posted = list(
        selectors.challenges_with_relations(
            Challenge.objects.filter(author=viewer, merged_into__isnull=True)
        )
        .annotate(offers_waiting=Count("offers", filter=Q(offers__state=OfferState.PENDING)))
        .order_by("-created_at", "pk")[:20]
    )
    supported = list(
        Challenge.objects.filter(
            supports__user=viewer,
            moderation=ModerationState.VISIBLE,
            merged_into__isnull=True,
        )
        .exclude(author=viewer)
        .order_by("-created_at", "pk")[:20]
    )
    offers = list(
        ChallengeOffer.objects.filter(organisation__memberships__user=viewer)
        .exclude(state=OfferState.WITHDRAWN)
        .select_related("challenge", "organisation")
        .order_by("-created_at", "pk")
        .distinct()[:20]
    )
    to_answer = [c for c in posted if c.offers_waiting and c.status in ACTIVE_STATUSES]
    return {
        "awaiting": [
            {
                "text": ngettext(
                    "Une proposition d'aide attend votre réponse sur « %(title)s ».",
                    "%(count)s propositions d'aide attendent votre réponse sur « %(title)s ».",
                    challenge.offers_waiting,
                )
                % {"count": challenge.offers_waiting, "title": challenge.title},
                "url": challenge.get_absolute_url() + "#propositions",
                "action": _("Répondre"),
            }
            for challenge in to_answer
        ],
        "challenges_posted": posted,
        "challenges_to_answer": to_answer,
        "challenges_supported": supported,
        "offers": offers,
    }


def register() -> None:
    section_register(
        Section(
            page=QPV_PAGE,
            key="challenges",
            order=30,
            template="challenges/qpv_section.html",
            context=selectors.challenges_in_qpv_section,
        )
    )
    section_register(
        Section(
            page=HOME_PAGE,
            key="challenges",
            order=30,
            template="challenges/home_section.html",
            context=home_section_context,
        )
    )
    section_register(
        Section(
            page=ORGANISATION_PAGE,
            key="challenges",
            order=30,
            template="challenges/organisation_section.html",
            context=organisation_section_context,
        )
    )
    section_register(
        Section(
            page=COORDINATION_PAGE,
            key="challenges",
            order=30,
            template="challenges/coordination_section.html",
            context=coordination_section_context,
        )
    )
    section_register(
        Section(
            page=ACCOUNT_PAGE,
            key="challenges",
            order=30,
            template="challenges/account_section.html",
            context=account_section_context,
        )
    )
