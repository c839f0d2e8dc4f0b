"""What the write services of opportunities share: slugs, what publishing needs, the mailbox."""

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.translation import gettext as _

from quartiers40.core.db import unique_slug
from quartiers40.core.emails import email_each
from quartiers40.core.links import absolute_url
from quartiers40.members.models import OrganisationMembership

if TYPE_CHECKING:  # the geocoder (httpx) is imported only where an address is geocoded
    pass

from ..models import (
    Opportunity,
)

# Slugs that would shadow a page of the app (/opportunites/nouvelle/, /carte/, /selection/).
RESERVED_SLUGS = {"nouvelle", "carte", "selection", "mes-opportunites", "interets", "export"}
# Required before publishing or submitting.
REQUIRED_TO_PUBLISH = ("kind", "title", "summary", "description")
# A place serves the QPVs within this distance (and lies in the one at 0 m).
NEARBY_QPV_METRES = getattr(settings, "OPPORTUNITIES_NEARBY_QPV_METRES", 2000)
FRESHNESS_DAYS = 180


def opportunity_slug(title: str) -> str:
    return unique_slug(Opportunity, title, fallback="opportunite", reserved=RESERVED_SLUGS)


def opportunity_missing_fields(opportunity: Opportunity) -> dict[str, str]:
    """What is missing before publication: {field: message}."""
    errors = {}
    for name in REQUIRED_TO_PUBLISH:
        value = getattr(opportunity, name)
        if not (value.strip() if isinstance(value, str) else value):
            errors[name] = _("Ce champ est obligatoire pour publier.")
    if not opportunity.themes:
        errors["themes"] = _("Choisissez au moins une thématique.")
    if not opportunity.is_remote and not (opportunity.pk and opportunity.places.exists()):
        errors["places"] = _("Indiquez au moins un lieu, ou cochez « à distance ».")
    if not opportunity.how_to_go:
        errors["how_to_go"] = _("Dites comment s'inscrire ou venir.")
    return errors


def _provider_emails(opportunity: Opportunity) -> list[str]:
    """Where a message about the opportunity goes: its contact, else its organisation's people."""
    if opportunity.contact_email:
        return [opportunity.contact_email]
    if opportunity.organisation_id is None:
        return []
    return list(
        OrganisationMembership.objects.filter(
            organisation_id=opportunity.organisation_id, user__is_active=True
        ).values_list("user__email", flat=True)
    )


def _email_provider(
    opportunity: Opportunity, *, subject: str, template: str, **context: Any
) -> None:
    email_each(
        to=_provider_emails(opportunity),
        subject=subject,
        template=template,
        context={
            "opportunity": opportunity,
            "opportunity_url": absolute_url(opportunity.get_absolute_url()),
            **context,
        },
    )
