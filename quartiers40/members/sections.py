"""What members add to other apps' pages (registered from MembersConfig.ready)."""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from quartiers40.core.sections import (
    ACCOUNT_PAGE,
    COORDINATION_PAGE,
    QPV_PAGE,
    Section,
    section_register,
)

from . import selectors
from .enums import MEMBERSHIP_REQUEST_WORKFLOW
from .models import MembershipRequest
from .queues import QUEUE_ENTRIES_SHOWN, queue


def coordination_section_context(viewer) -> dict:
    """The membership requests waiting for the team's decision."""

    def entries():
        for item in selectors.moderation_queue()[:QUEUE_ENTRIES_SHOWN]:
            yield {
                "title": item.organisation.name,
                "url": reverse("members:moderation_decide", args=[item.pk]),
                "note": _("demandée le %(date)s") % {"date": date_format(item.created_at)},
            }

    return {
        "queues": [
            queue(
                key="adhesions",
                label=_("Demandes d'adhésion"),
                url=reverse("members:moderation_queue"),
                action=_("Décider des adhésions"),
                count=MembershipRequest.objects.pending().count(),
                entries=entries,
            )
        ]
    }


def account_section_context(viewer) -> dict:
    """My organisations and my membership requests, with the words of my place in them."""
    memberships = list(selectors.organisations_of(viewer))
    requests = list(selectors.membership_requests_of(viewer))
    return {
        "memberships": memberships,
        "is_admin_somewhere": any(m.role == "admin" for m in memberships),
        "in_collective": any(m.organisation.is_member_of_collective for m in memberships),
        "requests": requests,
        "withdrawable": {
            item.pk
            for item in requests
            if MEMBERSHIP_REQUEST_WORKFLOW.can(item, "withdraw", viewer)
        },
    }


def register() -> None:
    section_register(
        Section(
            page=QPV_PAGE,
            key="organisations",
            order=10,
            template="members/qpv_section.html",
            context=selectors.organisations_acting_in,
        )
    )
    section_register(
        Section(
            page=COORDINATION_PAGE,
            key="members",
            order=10,
            template="members/coordination_section.html",
            context=coordination_section_context,
        )
    )
    section_register(
        Section(
            page=ACCOUNT_PAGE,
            key="members",
            order=10,
            template="members/account_section.html",
            context=account_section_context,
        )
    )
