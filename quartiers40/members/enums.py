from django.db import models
from django.utils.translation import gettext_lazy as _

from quartiers40.core.workflows import Transition, Workflow

_PERMISSIONS = "quartiers40.members.permissions"


class OrganisationKind(models.TextChoices):
    LOCAL_AUTHORITY = "local_authority", _("Collectivité territoriale")
    COMPANY = "company", _("Entreprise")
    ASSOCIATION = "association", _("Association")
    RESEARCH_LAB = "research_lab", _("Laboratoire de recherche")
    STARTUP = "startup", _("Start-up")
    RESIDENTS_GROUP = "residents_group", _("Collectif d'habitants")


class OrganisationStatus(models.TextChoices):
    CANDIDATE = "candidate", _("Candidate")
    MEMBER = "member", _("Membre du collectif")
    REFUSED = "refused", _("Refusée")


ORGANISATION_WORKFLOW = Workflow(
    name="organisation",
    title="Members: organisations in the collective",
    field="status",
    states=OrganisationStatus,
    initial=(OrganisationStatus.CANDIDATE,),
    invalid_message=_("Cette action n'est pas possible pour une organisation « %(status)s »."),
    transitions=(
        Transition(
            "join",
            sources={OrganisationStatus.CANDIDATE, OrganisationStatus.REFUSED},
            target=OrganisationStatus.MEMBER,
            who=f"{_PERMISSIONS}.can_decide_membership",
            log="organisation_joined_collective",
            description="A membership request for it is accepted.",
        ),
        Transition(
            "refuse",
            sources={OrganisationStatus.CANDIDATE},
            target=OrganisationStatus.REFUSED,
            who=f"{_PERMISSIONS}.can_decide_membership",
            log="organisation_refused",
            description="The last pending request for a candidate is refused.",
        ),
    ),
)


class MembershipRequestStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    ACCEPTED = "accepted", _("Acceptée")
    REFUSED = "refused", _("Refusée")
    WITHDRAWN = "withdrawn", _("Retirée")


MEMBERSHIP_REQUEST_WORKFLOW = Workflow(
    name="membership_request",
    title="Members: membership requests",
    field="status",
    states=MembershipRequestStatus,
    initial=(MembershipRequestStatus.PENDING,),
    invalid_message=_("Cette demande a déjà été traitée."),
    transitions=(
        Transition(
            "accept",
            sources={MembershipRequestStatus.PENDING},
            target=MembershipRequestStatus.ACCEPTED,
            who=f"{_PERMISSIONS}.can_decide_membership",
            log="membership_accepted",
            description="The coordination team accepts: the organisation joins the collective.",
        ),
        Transition(
            "refuse",
            sources={MembershipRequestStatus.PENDING},
            target=MembershipRequestStatus.REFUSED,
            who=f"{_PERMISSIONS}.can_decide_membership",
            log="membership_refused",
            description="The coordination team refuses, with a reason sent to the person.",
        ),
        Transition(
            "withdraw",
            sources={MembershipRequestStatus.PENDING},
            target=MembershipRequestStatus.WITHDRAWN,
            who=f"{_PERMISSIONS}.is_requester",
            log="membership_withdrawn",
            description="The person who asked withdraws the request.",
        ),
    ),
)


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrateur·rice")
    MEMBER = "member", _("Membre")
