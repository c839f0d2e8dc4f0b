"""Interests: a person says she is interested; the provider records what came of it."""

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from quartiers40.core.db import lock_row
from quartiers40.core.emails import email_send
from quartiers40.core.links import absolute_url
from quartiers40.core.services import action_log_record
from quartiers40.members.models import User

if TYPE_CHECKING:  # the geocoder (httpx) is imported only where an address is geocoded
    pass

from .. import permissions
from ..enums import InterestStatus
from ..models import (
    Opportunity,
    OpportunityInterest,
)
from ._common import (
    _email_provider,
)

# --- Interests -----------------------------------------------------------------------


@transaction.atomic
def interest_create(
    *,
    opportunity: Opportunity,
    name: str,
    email: str = "",
    phone: str = "",
    message: str = "",
    person: User | None = None,
    registered_by: User | None = None,
    consent: bool = False,
) -> OpportunityInterest:
    """A person says she is interested; the provider gets a message (her contact in it).

    Nobody's address is shown: the provider answers from its own mailbox. A mediator
    registering someone must have her consent.
    """
    if registered_by is not None:
        if not permissions.can_register_interest_for_someone(registered_by, opportunity):
            raise PermissionDenied
        if not consent:
            raise ValidationError({"consent": _("Il faut l'accord de la personne.")})
    elif not permissions.can_express_interest(person, opportunity):
        raise ValidationError(_("Cette opportunité ne reçoit pas de demandes ici."))
    name, email, phone = name.strip(), email.strip(), phone.strip()
    if person is not None and registered_by is None:
        name = name or person.get_full_name() or person.email
        email = email or person.email
        if OpportunityInterest.objects.filter(opportunity=opportunity, person=person).exists():
            raise ValidationError(_("Vous avez déjà dit votre intérêt pour cette opportunité."))
    errors = {}
    if not name:
        errors["name"] = _("Indiquez un prénom ou un nom.")
    if not email and not phone:
        errors["email"] = _("Indiquez un courriel ou un téléphone pour être recontacté·e.")
    if errors:
        raise ValidationError(errors)
    interest = OpportunityInterest(
        opportunity=opportunity,
        person=person if registered_by is None else None,
        name=name,
        email=email,
        phone=phone,
        message=message.strip(),
        registered_by=registered_by,
        consent_at=timezone.now() if registered_by is not None else None,
    )
    interest.full_clean()
    interest.save()
    action_log_record(
        target=interest, action="opportunity_interest_created", actor=registered_by or person
    )
    _email_provider(
        opportunity,
        subject=_("Une personne est intéressée : %(title)s") % {"title": opportunity.title},
        template="opportunities/emails/interest_received.txt",
        interest=interest,
    )
    if interest.email:
        email_send(
            to=interest.email,
            subject=_("Votre demande est transmise : %(title)s") % {"title": opportunity.title},
            template="opportunities/emails/interest_sent.txt",
            context={
                "opportunity": opportunity,
                "opportunity_url": absolute_url(opportunity.get_absolute_url()),
                "interest": interest,
            },
        )
    return interest


@transaction.atomic
def interest_outcome_record(
    *, interest: OpportunityInterest, actor: User, status: str, note: str = ""
) -> OpportunityInterest:
    """The provider records what came of an interest (contacted, started, not retained)."""
    if not permissions.can_record_outcome(actor, interest):
        raise PermissionDenied
    if status not in InterestStatus.values:
        raise ValidationError({"status": _("Suite inconnue.")})
    lock_row(interest)
    interest.status = status
    interest.outcome_note = note.strip()[:500]
    interest.outcome_at = timezone.now()
    interest.save(update_fields=["status", "outcome_note", "outcome_at"])
    action_log_record(
        target=interest, action="opportunity_interest_outcome", actor=actor, to_status=status
    )
    return interest
