"""Reads of the members domain, shared by pages and the API."""

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from quartiers40.core.selectors import action_log_for
from quartiers40.territories.models import QPV

from .enums import MembershipRequestStatus, OrganisationKind, Role
from .models import (
    ApiToken,
    Invitation,
    MembershipRequest,
    Organisation,
    OrganisationMembership,
    User,
    hash_token,
)
from .permissions import is_coordination


def organisation_directory(
    *,
    kind: str = "",
    department: str = "",
    qpv: str = "",
    query: str = "",
) -> QuerySet[Organisation]:
    """Member organisations of the collective, filtered; ordered by name."""
    organisations = Organisation.objects.members_of_collective()
    if kind:
        organisations = organisations.filter(kind=kind)
    if department:
        organisations = organisations.filter(department_code=department)
    if qpv:
        organisations = organisations.filter(qpvs__code=qpv)
    if query:
        organisations = organisations.filter(
            Q(name__icontains=query) | Q(commune_name__icontains=query)
        )
    return organisations.distinct().order_by("name", "pk")


def qpvs_prefetch() -> "Prefetch[Any, Any, Any]":
    """An organisation's QPVs, without their heavy geometry columns."""
    return Prefetch("qpvs", queryset=QPV.objects.without_geometry_fields().order_by("name"))


def organisation_with_qpvs() -> QuerySet[Organisation]:
    return Organisation.objects.prefetch_related(qpvs_prefetch())


def organisation_people(organisation: Organisation) -> QuerySet[OrganisationMembership]:
    return (
        organisation.memberships.select_related("user")
        .filter(user__is_active=True)
        .order_by("user__display_name")
    )


def organisation_public_people(organisation: Organisation) -> QuerySet[OrganisationMembership]:
    """Only the people who chose a public profile appear on a public page."""
    return organisation_people(organisation).filter(
        user__profile_public=True, user__deleted_at__isnull=True
    )


def organisation_pending_invitations(organisation: Organisation) -> QuerySet[Invitation]:
    return organisation.invitations.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )


def organisations_of(user: User) -> QuerySet[OrganisationMembership]:
    return user.memberships.select_related("organisation").order_by("organisation__name")


def moderation_queue() -> QuerySet[MembershipRequest]:
    return (
        MembershipRequest.objects.pending()
        .select_related("requester", "organisation")
        .annotate(organisation_people=Count("organisation__memberships"))
        .order_by("created_at")
    )


def membership_requests_recently_decided(limit: int = 10) -> QuerySet[MembershipRequest]:
    return (
        MembershipRequest.objects.exclude(status=MembershipRequestStatus.PENDING)
        .select_related("requester", "organisation", "decided_by")
        .order_by("-decided_at")[:limit]
    )


def membership_requests_of(user: User) -> QuerySet[MembershipRequest]:
    """The person's own requests, on their account page."""
    return user.membership_requests.select_related("organisation")


def member_organisation_by_slug(slug: str) -> Organisation | None:
    """A public (member) organisation with its QPVs; candidates and refused ones are not."""
    return (
        Organisation.objects.members_of_collective()
        .prefetch_related(qpvs_prefetch())
        .filter(slug=slug)
        .first()
    )


def organisation_by_slug(slug: str) -> Organisation | None:
    return Organisation.objects.filter(slug=slug).first()


def member_organisations_with_slugs(slugs: list[str]) -> list[Organisation]:
    """The member organisations among these slugs (the API's partners, by slug)."""
    return list(Organisation.objects.members_of_collective().filter(slug__in=slugs))


def membership_request_history(request: MembershipRequest):
    return action_log_for(request)


def api_token_authenticate(raw: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(raw), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


def public_profile_organisations(user: User) -> QuerySet[Organisation]:
    return Organisation.objects.members_of_collective().filter(memberships__user=user)


def personal_data_export(user: User) -> dict:
    """Everything tied to the account, for the "download my data" button (GDPR art. 15 and 20)."""
    memberships = user.memberships.select_related("organisation")
    requests = user.membership_requests.select_related("organisation")
    return {
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "phone": user.phone,
            "bio": user.bio,
            "is_resident": user.is_resident,
            "profile_public": user.profile_public,
            "show_email_to_members": user.show_email_to_members,
            "show_phone_to_members": user.show_phone_to_members,
            "email_verified_at": _iso(user.email_verified_at),
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
        },
        "organisations": [
            {
                "organisation": membership.organisation.name,
                "role": membership.role,
                "since": _iso(membership.created_at),
            }
            for membership in memberships
        ],
        "membership_requests": [
            {
                "organisation": request.organisation.name,
                "status": request.status,
                "message": request.message,
                "decision_reason": request.decision_reason,
                "created_at": _iso(request.created_at),
                "decided_at": _iso(request.decided_at),
            }
            for request in requests
        ],
        "api_tokens": [
            {
                "name": token.name,
                "prefix": token.prefix,
                "created_at": _iso(token.created_at),
                "last_used_at": _iso(token.last_used_at),
            }
            for token in user.api_tokens.all()
        ],
        "qpv_check_jobs": [
            {
                "filename": job.filename,
                "status": job.status,
                "rows": job.rows_total,
                "created_at": _iso(job.created_at),
            }
            for job in user.qpv_check_jobs.all()
        ],
        "invitations_received": [
            {
                "organisation": invitation.organisation.name,
                "role": invitation.role,
                "created_at": _iso(invitation.created_at),
                "accepted_at": _iso(invitation.accepted_at),
            }
            for invitation in Invitation.objects.filter(email__iexact=user.email).select_related(
                "organisation"
            )
        ],
    }


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def collective_figures() -> dict[str, int]:
    members = Organisation.objects.members_of_collective()
    return {
        "organisations": members.count(),
        "departments": members.exclude(department_code="")
        .values("department_code")
        .distinct()
        .count(),
        "people": User.objects.filter(is_active=True, memberships__organisation__status="member")
        .distinct()
        .count(),
    }


ORGANISATIONS_ON_QPV_PAGE = 6


def organisations_acting_in(qpv) -> dict:
    """The organisations section of a QPV page (registered in MembersConfig.ready)."""
    organisations = organisation_directory(qpv=qpv.code)
    return {
        "organisations": organisations[:ORGANISATIONS_ON_QPV_PAGE],
        "organisations_count": organisations.count(),
    }


def account_roles(user: User, memberships) -> list[str]:
    """What "Mon espace" says of my place in the collective, one sentence per role."""
    roles = []
    for membership in memberships:
        organisation = membership.organisation
        values = {"organisation": organisation.name}
        if not organisation.is_member_of_collective:
            roles.append(_("« %(organisation)s » n'est pas encore membre du collectif.") % values)
        elif organisation.kind == OrganisationKind.LOCAL_AUTHORITY:
            if membership.role == Role.ADMIN:
                roles.append(_("Vous administrez la collectivité « %(organisation)s ».") % values)
            else:
                roles.append(_("Vous représentez la collectivité « %(organisation)s ».") % values)
        elif membership.role == Role.ADMIN:
            roles.append(_("Vous administrez « %(organisation)s », membre du collectif.") % values)
        else:
            roles.append(
                _("Vous faites partie de « %(organisation)s », membre du collectif.") % values
            )
    if user.is_resident:
        roles.append(_("Vous habitez un quartier prioritaire."))
    if not roles and not is_coordination(user):  # the team has its own card
        roles.append(_("Vous participez à titre personnel."))
    return roles
