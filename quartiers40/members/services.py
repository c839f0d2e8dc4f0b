"""Every write of the members domain: accounts, organisations, membership, tokens."""

import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from quartiers40.core.db import lock_row, unique_slug
from quartiers40.core.emails import email_each, email_send
from quartiers40.core.links import absolute_url
from quartiers40.core.pagecache import bumps_cache_version
from quartiers40.core.services import UNCHANGED, action_log_record, fields_apply
from quartiers40.territories.models import QPV

from . import permissions
from .enums import (
    MEMBERSHIP_REQUEST_WORKFLOW,
    ORGANISATION_WORKFLOW,
    MembershipRequestStatus,
    OrganisationStatus,
    Role,
)
from .models import (
    ApiToken,
    Invitation,
    MembershipRequest,
    Organisation,
    OrganisationMembership,
    User,
    hash_token,
)

EMAIL_VERIFICATION_SALT = "quartiers40.members.email-verification"


# --- Accounts ---------------------------------------------------------------


@transaction.atomic
def user_sign_up(
    *, email: str, password: str, display_name: str, is_resident: bool = False
) -> User:
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("Un compte existe déjà avec cette adresse e-mail.")})
    user = User(email=email, display_name=display_name.strip(), is_resident=is_resident)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    transaction.on_commit(lambda: email_verification_send(user=user))
    return user


def email_verification_token(user: User) -> str:
    return signing.TimestampSigner(salt=EMAIL_VERIFICATION_SALT).sign_object(
        {"user": user.pk, "email": user.email}
    )


def email_verification_send(*, user: User) -> None:
    link = absolute_url(
        reverse("members:verify_email", kwargs={"token": email_verification_token(user)})
    )
    email_send(
        to=user.email,
        subject=_("Confirmez votre adresse e-mail"),
        template="members/emails/verify_email.txt",
        context={"user": user, "link": link},
    )


def email_verify(*, token: str) -> User:
    """Mark the address as verified. Raises ValidationError for a bad or expired link."""
    try:
        data = signing.TimestampSigner(salt=EMAIL_VERIFICATION_SALT).unsign_object(
            token, max_age=settings.EMAIL_VERIFICATION_MAX_AGE
        )
    except signing.SignatureExpired as error:
        raise ValidationError(
            _("Ce lien a expiré. Demandez un nouveau lien depuis votre compte."), code="expired"
        ) from error
    except signing.BadSignature as error:
        raise ValidationError(_("Ce lien n'est pas valide."), code="invalid") from error
    user = User.objects.filter(pk=data.get("user"), email=data.get("email"), is_active=True).first()
    if user is None:
        raise ValidationError(_("Ce lien n'est pas valide."), code="invalid")
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    return user


@bumps_cache_version("members")
def user_profile_update(
    *,
    user: User,
    display_name: str = UNCHANGED,
    phone: str = UNCHANGED,
    bio: str = UNCHANGED,
    is_resident: bool = UNCHANGED,
    profile_public: bool = UNCHANGED,
    show_email_to_members: bool = UNCHANGED,
    show_phone_to_members: bool = UNCHANGED,
) -> User:
    """Change the fields given of one's own profile; the others stay."""
    requested = {
        "display_name": display_name,
        "phone": phone,
        "bio": bio,
        "is_resident": is_resident,
        "profile_public": profile_public,
        "show_email_to_members": show_email_to_members,
        "show_phone_to_members": show_phone_to_members,
    }
    fields_apply(user, requested)
    user.full_clean(exclude=["password"])
    user.save()
    return user


@bumps_cache_version("members")
@transaction.atomic
def user_delete(*, user: User) -> None:
    """Erase personal data; keep public contributions, now anonymous.

    An organisation always keeps an admin: a person who is the last admin of an
    organisation with other people in it must hand over first.
    """
    for membership in user.memberships.select_related("organisation").filter(role=Role.ADMIN):
        others = membership.organisation.memberships.exclude(user=user)
        if others.exists() and not others.filter(role=Role.ADMIN).exists():
            raise ValidationError(
                _(
                    "Vous êtes le dernier administrateur de « %(name)s ». Nommez un autre "
                    "administrateur avant de supprimer votre compte."
                )
                % {"name": membership.organisation.name}
            )
    user.memberships.all().delete()
    user.api_tokens.all().delete()
    user.membership_requests.filter(status=MembershipRequestStatus.PENDING).update(
        status=MembershipRequestStatus.WITHDRAWN
    )
    user.email = f"compte-supprime-{user.pk}-{secrets.token_hex(4)}@invalid.example"
    user.display_name = _("Compte supprimé")
    user.phone = ""
    user.bio = ""
    user.is_resident = False
    user.profile_public = False
    user.show_email_to_members = False
    user.show_phone_to_members = False
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.is_coordinator = False
    user.deleted_at = timezone.now()
    user.set_unusable_password()
    user.save()
    action_log_record(target=user, action="account_deleted")


# --- Organisations and membership of the collective -------------------------


@bumps_cache_version("members")
def organisation_create(
    *,
    name: str,
    kind: str,
    status: str = OrganisationStatus.CANDIDATE,
    description: str = "",
    website: str = "",
    siret: str = "",
    rna: str = "",
    commune_name: str = "",
    commune_code: str = "",
    department_code: str = "",
    qpvs: Iterable[QPV] = (),
) -> Organisation:
    organisation = Organisation(
        name=name,
        slug=unique_slug(Organisation, name, fallback="organisation"),
        kind=kind,
        status=status,
        description=description,
        website=website,
        siret=siret,
        rna=rna,
        commune_name=commune_name,
        commune_code=commune_code,
        department_code=department_code,
    )
    organisation.full_clean()
    organisation.save()
    if qpvs:
        organisation.qpvs.set(qpvs)
    return organisation


@bumps_cache_version("members")
@transaction.atomic
def organisation_update(
    *,
    organisation: Organisation,
    actor: User,
    name: str = UNCHANGED,
    kind: str = UNCHANGED,
    description: str = UNCHANGED,
    website: str = UNCHANGED,
    siret: str = UNCHANGED,
    rna: str = UNCHANGED,
    commune_name: str = UNCHANGED,
    commune_code: str = UNCHANGED,
    department_code: str = UNCHANGED,
    logo: Any = UNCHANGED,
    qpvs: Iterable[QPV] | None = None,
) -> Organisation:
    """Change the fields given (the others stay). `logo=""` removes the logo."""
    if not permissions.can_edit_organisation(actor, organisation):
        raise PermissionDenied
    requested = {
        "name": name,
        "kind": kind,
        "description": description,
        "website": website,
        "siret": siret,
        "rna": rna,
        "commune_name": commune_name,
        "commune_code": commune_code,
        "department_code": department_code,
        "logo": logo,
    }
    fields_apply(organisation, requested)
    organisation.siret = organisation.siret.replace(" ", "")
    organisation.rna = organisation.rna.replace(" ", "").upper()
    organisation.full_clean()
    organisation.save()
    if qpvs is not None:
        organisation.qpvs.set(qpvs)
    action_log_record(target=organisation, action="organisation_updated", actor=actor)
    return organisation


def _notify_coordination_of_request(request: MembershipRequest) -> None:
    email_each(
        to=User.objects.coordination().values_list("email", flat=True),
        subject=_("Nouvelle demande d'adhésion : %(name)s") % {"name": request.organisation.name},
        template="members/emails/request_received.txt",
        context={
            "request": request,
            "link": absolute_url(reverse("members:moderation_queue")),
        },
    )


@transaction.atomic
def membership_request_create(
    *,
    requester: User,
    organisation: Organisation | None = None,
    new_organisation: dict[str, Any] | None = None,
    message: str = "",
) -> MembershipRequest:
    """Ask to join the collective for an existing organisation, or for a new one."""
    if not requester.email_verified:
        raise ValidationError(_("Confirmez d'abord votre adresse e-mail."))
    if organisation is None and new_organisation is not None:
        organisation = organisation_create(status=OrganisationStatus.CANDIDATE, **new_organisation)
    elif organisation is None or new_organisation is not None:
        raise ValueError("Give either an organisation or the fields of a new one.")
    elif OrganisationMembership.objects.filter(organisation=organisation, user=requester).exists():
        raise ValidationError(_("Vous faites déjà partie de cette organisation."))
    try:
        with transaction.atomic():
            request = MembershipRequest.objects.create(
                requester=requester, organisation=organisation, message=message
            )
    except IntegrityError as error:
        raise ValidationError(
            _("Vous avez déjà une demande en attente pour cette organisation.")
        ) from error
    action_log_record(
        target=request,
        action="membership_requested",
        actor=requester,
        to_status=MembershipRequestStatus.PENDING,
    )
    transaction.on_commit(lambda: _notify_coordination_of_request(request))
    return request


def _send_decision(request: MembershipRequest) -> None:
    accepted = request.status == MembershipRequestStatus.ACCEPTED
    email_send(
        to=request.requester.email,
        subject=_("Votre demande d'adhésion est acceptée")
        if accepted
        else _("Votre demande d'adhésion n'a pas été acceptée"),
        template="members/emails/request_decision.txt",
        context={
            "request": request,
            "accepted": accepted,
            "link": absolute_url(request.organisation.get_absolute_url()),
        },
    )


@bumps_cache_version("members")
@transaction.atomic
def membership_request_accept(
    *, request: MembershipRequest, actor: User, reason: str = ""
) -> MembershipRequest:
    """The organisation joins the collective (if it had not yet), the person joins it."""
    step = MEMBERSHIP_REQUEST_WORKFLOW.check(request, "accept", actor=actor)
    MEMBERSHIP_REQUEST_WORKFLOW.apply(request, step, actor=actor, reason=reason)
    request.decision_reason = reason
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.save()
    organisation = lock_row(request.organisation)
    if ORGANISATION_WORKFLOW.can(organisation, "join", actor):
        join = ORGANISATION_WORKFLOW.check(organisation, "join", actor=actor, locked=True)
        ORGANISATION_WORKFLOW.apply(organisation, join, actor=actor)
        organisation.joined_at = timezone.now()
        organisation.save(update_fields=["status", "joined_at", "updated_at"])
    has_admin = organisation.memberships.filter(role=Role.ADMIN).exists()
    OrganisationMembership.objects.get_or_create(
        organisation=organisation,
        user=request.requester,
        defaults={"role": Role.MEMBER if has_admin else Role.ADMIN},
    )
    transaction.on_commit(lambda: _send_decision(request))
    return request


@transaction.atomic
def membership_request_refuse(
    *, request: MembershipRequest, actor: User, reason: str
) -> MembershipRequest:
    """A candidate organisation whose last pending request is refused is refused too."""
    if not permissions.can_decide_membership(actor, request):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Expliquez le motif du refus à la personne.")})
    step = MEMBERSHIP_REQUEST_WORKFLOW.check(request, "refuse", actor=actor)
    MEMBERSHIP_REQUEST_WORKFLOW.apply(request, step, actor=actor, reason=reason.strip())
    request.decision_reason = reason.strip()
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.save()
    organisation = lock_row(request.organisation)
    if (
        ORGANISATION_WORKFLOW.can(organisation, "refuse", actor)
        and not organisation.membership_requests.filter(
            status=MembershipRequestStatus.PENDING
        ).exists()
    ):
        refusal = ORGANISATION_WORKFLOW.check(organisation, "refuse", actor=actor, locked=True)
        ORGANISATION_WORKFLOW.apply(organisation, refusal, actor=actor)
        organisation.save(update_fields=["status", "updated_at"])
    transaction.on_commit(lambda: _send_decision(request))
    return request


@transaction.atomic
def membership_request_withdraw(*, request: MembershipRequest, actor: User) -> MembershipRequest:
    step = MEMBERSHIP_REQUEST_WORKFLOW.check(request, "withdraw", actor=actor)
    MEMBERSHIP_REQUEST_WORKFLOW.apply(request, step, actor=actor)
    request.save(update_fields=["status"])
    return request


# --- People inside an organisation -------------------------------------------


@transaction.atomic
def invitation_create(
    *, organisation: Organisation, email: str, role: str, actor: User
) -> Invitation:
    if not permissions.can_manage_members(actor, organisation):
        raise PermissionDenied
    email = User.objects.normalize_email(email).lower()
    if organisation.memberships.filter(user__email__iexact=email).exists():
        raise ValidationError({"email": _("Cette personne fait déjà partie de l'organisation.")})
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        invited_by=actor,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_MAX_AGE_DAYS),
    )
    action_log_record(target=organisation, action="invitation_sent", actor=actor, reason=email)
    link = absolute_url(reverse("members:invitation_accept", kwargs={"token": invitation.token}))
    email_send(
        to=email,
        subject=_("Invitation à rejoindre %(name)s") % {"name": organisation.name},
        template="members/emails/invitation.txt",
        context={"invitation": invitation, "link": link},
    )
    return invitation


@bumps_cache_version("members")
@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> OrganisationMembership:
    lock_row(invitation)
    if not invitation.is_usable:
        raise ValidationError(_("Cette invitation a expiré ou a déjà été utilisée."))
    if invitation.email.lower() != user.email.lower():
        raise ValidationError(
            _("Cette invitation a été envoyée à une autre adresse e-mail que la vôtre.")
        )
    if not user.email_verified:
        # The invitation reached this address: following its link proves the address.
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    membership, _created = OrganisationMembership.objects.get_or_create(
        organisation=invitation.organisation, user=user, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    action_log_record(target=invitation.organisation, action="invitation_accepted", actor=user)
    return membership


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> None:
    if not permissions.can_manage_members(actor, invitation.organisation):
        raise PermissionDenied
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])


def _ensure_another_admin(membership: OrganisationMembership) -> None:
    other_admins = (
        OrganisationMembership.objects.select_for_update()
        .filter(organisation_id=membership.organisation_id, role=Role.ADMIN)
        .exclude(pk=membership.pk)
    )
    if not list(other_admins):
        raise ValidationError(_("Une organisation garde toujours au moins un administrateur."))


@bumps_cache_version("members")
@transaction.atomic
def membership_change_role(
    *, membership: OrganisationMembership, role: str, actor: User
) -> OrganisationMembership:
    if not permissions.can_manage_members(actor, membership.organisation):
        raise PermissionDenied
    lock_row(membership)
    if membership.role == Role.ADMIN and role != Role.ADMIN:
        _ensure_another_admin(membership)
    previous = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    action_log_record(
        target=membership.organisation,
        action="role_changed",
        actor=actor,
        from_status=previous,
        to_status=role,
        reason=membership.user.display_name,
    )
    return membership


@bumps_cache_version("members")
@transaction.atomic
def membership_remove(*, membership: OrganisationMembership, actor: User) -> None:
    """An admin removes a person, or a person leaves."""
    leaving = actor.pk == membership.user_id
    if not leaving and not permissions.can_manage_members(actor, membership.organisation):
        raise PermissionDenied
    lock_row(membership)
    if membership.role == Role.ADMIN:
        _ensure_another_admin(membership)
    membership.delete()
    action_log_record(
        target=membership.organisation,
        action="member_left" if leaving else "member_removed",
        actor=actor,
        reason=membership.user.display_name,
    )


# --- API tokens ---------------------------------------------------------------

API_TOKEN_PREFIX = "q40_"  # noqa: S105 - a public prefix, not a secret


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Returns the token and its raw value, which is shown once and never stored."""
    if not user.email_verified:
        raise ValidationError(_("Confirmez d'abord votre adresse e-mail."))
    raw = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip() or _("Jeton"), prefix=raw[:10], key_hash=hash_token(raw)
    )
    return token, raw


def api_token_revoke(*, token: ApiToken, actor: User) -> None:
    if token.user_id != actor.pk:
        raise PermissionDenied
    token.delete()
