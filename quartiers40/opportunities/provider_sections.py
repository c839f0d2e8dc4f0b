"""What opportunities add to "Mon espace" and the coordination's "À traiter" page."""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from quartiers40.core.sections import ACCOUNT_PAGE, COORDINATION_PAGE, Section, section_register
from quartiers40.members.queues import queue

from .enums import OpportunityStatus
from .selectors import (
    opportunities_of_provider,
    opportunities_pending_review,
    opportunity_providers_for,
)

# "Mon espace" lists this many; the rest is on /opportunites/mes-opportunites/.
ACCOUNT_SHOWN = 15
SUBMITTED_SHOWN = 20


STATUS_ORDER = (
    OpportunityStatus.RETURNED,
    OpportunityStatus.DRAFT,
    OpportunityStatus.SUBMITTED,
    OpportunityStatus.PUBLISHED,
    OpportunityStatus.EXPIRED,
    OpportunityStatus.WITHDRAWN,
)


def opportunities_by_status(opportunities) -> list[dict]:
    """[{"status", "label", "items"}] in the order a provider acts on them, empty ones out."""
    groups = []
    for status in STATUS_ORDER:
        items = [item for item in opportunities if item.status == status]
        if items:
            groups.append({"status": status, "label": status.label, "items": items})
    return groups


def coordination_section_context(viewer) -> dict:
    """The opportunities new organisations sent for review, oldest first."""
    pending = opportunities_pending_review().order_by("last_updated_at", "pk")

    def entries():
        for opportunity in pending[:SUBMITTED_SHOWN]:
            yield {
                "title": opportunity.title,
                "url": opportunity.get_absolute_url(),
                "note": _("%(organisation)s, mise à jour le %(date)s")
                % {
                    "organisation": opportunity.provider_name,
                    "date": date_format(opportunity.last_updated_at),
                },
            }

    return {
        "queues": [
            queue(
                key="opportunites",
                label=_("Opportunités à relire avant publication"),
                url=reverse("home:coordination") + "#file-opportunites",
                action=_("Ouvrir chaque opportunité pour la publier ou la renvoyer"),
                count=pending.count(),
                entries=entries,
            )
        ]
    }


def account_section_context(viewer) -> dict:
    """My organisations' opportunities by status, with the interests to follow up."""
    live = opportunities_of_provider(viewer).exclude(status=OpportunityStatus.WITHDRAWN)
    shown = list(live[: ACCOUNT_SHOWN + 1])
    more = len(shown) > ACCOUNT_SHOWN
    shown = shown[:ACCOUNT_SHOWN]
    awaiting = []
    for opportunity in shown:
        if opportunity.status == OpportunityStatus.RETURNED:
            awaiting.append(
                {
                    "text": _("La coordination vous a renvoyé « %(title)s » : complétez-la.")
                    % {"title": opportunity.title},
                    "url": reverse("opportunities:edit", kwargs={"slug": opportunity.slug}),
                    "action": _("Compléter l'opportunité"),
                }
            )
        if opportunity.interests_new:
            awaiting.append(
                {
                    "text": ngettext(
                        "%(count)d personne intéressée par « %(title)s » attend votre réponse.",
                        "%(count)d personnes intéressées par « %(title)s » attendent votre "
                        "réponse.",
                        opportunity.interests_new,
                    )
                    % {"count": opportunity.interests_new, "title": opportunity.title},
                    "url": reverse("opportunities:interests", kwargs={"slug": opportunity.slug}),
                    "action": _("Voir les personnes intéressées"),
                }
            )
    return {
        "awaiting": awaiting,
        "groups": opportunities_by_status(shown),
        "more": more,
        "total": live.count() if more else len(shown),
        "can_create": bool(shown) or opportunity_providers_for(viewer).exists(),
    }


def register() -> None:
    """Called from OpportunitiesConfig.ready()."""
    section_register(
        Section(
            page=COORDINATION_PAGE,
            key="opportunities",
            order=25,
            template="opportunities/provider/coordination_section.html",
            context=coordination_section_context,
        )
    )
    section_register(
        Section(
            page=ACCOUNT_PAGE,
            key="opportunities",
            order=25,
            template="opportunities/provider/account_section.html",
            context=account_section_context,
        )
    )
