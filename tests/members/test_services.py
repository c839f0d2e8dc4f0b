import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from quartiers40.core.selectors import action_log_for
from quartiers40.members import services
from quartiers40.members.enums import MembershipRequestStatus, OrganisationStatus, Role
from quartiers40.members.models import Invitation, OrganisationMembership, User

from .factories import (
    PASSWORD,
    CoordinatorFactory,
    MembershipFactory,
    MembershipRequestFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_sign_up_creates_an_unverified_account_and_sends_the_link(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = services.user_sign_up(
            email="Nadia@Exemple.FR", password=PASSWORD, display_name=" Nadia "
        )
    assert user.email == "nadia@exemple.fr"
    assert user.display_name == "Nadia"
    assert not user.email_verified
    assert user.password.startswith("md5$") or user.check_password(PASSWORD)
    assert len(mailoutbox) == 1
    assert "/compte/verifier/" in mailoutbox[0].body


def test_sign_up_refuses_a_taken_address_and_a_weak_password():
    UserFactory(email="pris@exemple.fr")
    with pytest.raises(ValidationError):
        services.user_sign_up(email="PRIS@exemple.fr", password=PASSWORD, display_name="X")
    with pytest.raises(ValidationError):
        services.user_sign_up(email="neuf@exemple.fr", password="123", display_name="X")
    assert not User.objects.filter(email="neuf@exemple.fr").exists()


def test_argon2_is_the_production_hasher():
    from config.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_email_verification_token_round_trip_and_tampering():
    user = UserFactory(email_verified_at=None)
    token = services.email_verification_token(user)
    assert services.email_verify(token=token).email_verified
    with pytest.raises(ValidationError):
        services.email_verify(token=token + "x")


def test_email_verification_link_dies_when_the_address_changes():
    user = UserFactory(email_verified_at=None)
    token = services.email_verification_token(user)
    user.email = "autre@exemple.fr"
    user.save()
    with pytest.raises(ValidationError):
        services.email_verify(token=token)


def test_expired_verification_link(settings):
    settings.EMAIL_VERIFICATION_MAX_AGE = -1
    user = UserFactory(email_verified_at=None)
    with pytest.raises(ValidationError, match="expiré"):
        services.email_verify(token=services.email_verification_token(user))


def test_membership_request_for_a_new_organisation_then_accepted(
    mailoutbox, django_capture_on_commit_callbacks
):
    requester = UserFactory()
    coordinator = CoordinatorFactory()
    with django_capture_on_commit_callbacks(execute=True):
        request = services.membership_request_create(
            requester=requester,
            new_organisation={
                "name": "Les Codeuses",
                "kind": "association",
                "department_code": "93",
            },
            message="Bonjour",
        )
    organisation = request.organisation
    assert organisation.status == OrganisationStatus.CANDIDATE
    assert [m.to for m in mailoutbox] == [[coordinator.email]]

    with django_capture_on_commit_callbacks(execute=True):
        services.membership_request_accept(request=request, actor=coordinator, reason="Bienvenue")
    request.refresh_from_db()
    organisation.refresh_from_db()
    assert request.status == MembershipRequestStatus.ACCEPTED
    assert organisation.status == OrganisationStatus.MEMBER
    assert organisation.joined_at is not None
    membership = OrganisationMembership.objects.get(organisation=organisation, user=requester)
    assert membership.role == Role.ADMIN
    assert mailoutbox[-1].to == [requester.email]
    assert "acceptée" in mailoutbox[-1].subject
    log = list(action_log_for(request).values_list("from_status", "to_status"))
    assert ("pending", "accepted") in log and ("", "pending") in log


def test_joining_an_existing_member_organisation_makes_a_plain_member():
    organisation = OrganisationFactory()
    MembershipFactory(organisation=organisation, role=Role.ADMIN)
    request = services.membership_request_create(requester=UserFactory(), organisation=organisation)
    services.membership_request_accept(request=request, actor=CoordinatorFactory())
    assert organisation.memberships.get(user=request.requester).role == Role.MEMBER


def test_refusal_needs_a_reason_and_is_sent(mailoutbox, django_capture_on_commit_callbacks):
    request = MembershipRequestFactory()
    coordinator = CoordinatorFactory()
    with pytest.raises(ValidationError):
        services.membership_request_refuse(request=request, actor=coordinator, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_request_refuse(
            request=request, actor=coordinator, reason="Hors du champ du collectif"
        )
    request.refresh_from_db()
    assert request.status == MembershipRequestStatus.REFUSED
    request.organisation.refresh_from_db()
    assert request.organisation.status == OrganisationStatus.REFUSED
    assert "Hors du champ du collectif" in mailoutbox[-1].body
    # Both moves are logged with the names of their tables.
    assert action_log_for(request).filter(action="membership_refused").exists()
    assert action_log_for(request.organisation).filter(action="organisation_refused").exists()


def test_a_decided_request_cannot_be_decided_again():
    request = MembershipRequestFactory()
    coordinator = CoordinatorFactory()
    services.membership_request_accept(request=request, actor=coordinator)
    with pytest.raises(ValidationError):
        services.membership_request_refuse(request=request, actor=coordinator, reason="non")
    with pytest.raises(ValidationError) as error:
        services.membership_request_withdraw(request=request, actor=request.requester)
    assert error.value.messages == ["Cette demande a déjà été traitée."]


def test_the_membership_tables_say_who_may_decide():
    from quartiers40.members.enums import MEMBERSHIP_REQUEST_WORKFLOW, ORGANISATION_WORKFLOW

    request = MembershipRequestFactory()
    coordinator = CoordinatorFactory()
    assert MEMBERSHIP_REQUEST_WORKFLOW.allowed(request, coordinator) == {"accept", "refuse"}
    assert MEMBERSHIP_REQUEST_WORKFLOW.allowed(request, request.requester) == {"withdraw"}
    assert MEMBERSHIP_REQUEST_WORKFLOW.allowed(request, UserFactory()) == set()
    assert ORGANISATION_WORKFLOW.allowed(request.organisation, coordinator) == {"join", "refuse"}
    services.membership_request_accept(request=request, actor=coordinator)
    assert MEMBERSHIP_REQUEST_WORKFLOW.allowed(request, coordinator) == set()
    request.organisation.refresh_from_db()
    assert ORGANISATION_WORKFLOW.allowed(request.organisation, coordinator) == set()
    assert (
        action_log_for(request.organisation)
        .filter(action="organisation_joined_collective")
        .exists()
    )


def test_only_coordination_decides():
    request = MembershipRequestFactory()
    with pytest.raises(PermissionDenied):
        services.membership_request_accept(request=request, actor=UserFactory())


def test_unverified_people_cannot_ask_and_duplicates_are_refused():
    organisation = OrganisationFactory()
    with pytest.raises(ValidationError):
        services.membership_request_create(
            requester=UserFactory(email_verified_at=None), organisation=organisation
        )
    person = UserFactory()
    services.membership_request_create(requester=person, organisation=organisation)
    with pytest.raises(ValidationError, match="déjà une demande"):
        services.membership_request_create(requester=person, organisation=organisation)


def test_withdraw_by_the_requester_only():
    request = MembershipRequestFactory()
    with pytest.raises(PermissionDenied):
        services.membership_request_withdraw(request=request, actor=UserFactory())
    services.membership_request_withdraw(request=request, actor=request.requester)
    request.refresh_from_db()
    assert request.status == MembershipRequestStatus.WITHDRAWN


def test_an_organisation_always_keeps_an_admin():
    admin = MembershipFactory(role=Role.ADMIN)
    member = MembershipFactory(organisation=admin.organisation)
    with pytest.raises(ValidationError):
        services.membership_change_role(membership=admin, role=Role.MEMBER, actor=admin.user)
    with pytest.raises(ValidationError):
        services.membership_remove(membership=admin, actor=admin.user)
    services.membership_change_role(membership=member, role=Role.ADMIN, actor=admin.user)
    services.membership_change_role(membership=admin, role=Role.MEMBER, actor=admin.user)
    admin.refresh_from_db()
    assert admin.role == Role.MEMBER


def test_members_cannot_manage_people_but_can_leave():
    admin = MembershipFactory(role=Role.ADMIN)
    member = MembershipFactory(organisation=admin.organisation)
    other = MembershipFactory(organisation=admin.organisation)
    with pytest.raises(PermissionDenied):
        services.membership_remove(membership=other, actor=member.user)
    with pytest.raises(PermissionDenied):
        services.membership_change_role(membership=other, role=Role.ADMIN, actor=member.user)
    services.membership_remove(membership=member, actor=member.user)
    assert not OrganisationMembership.objects.filter(pk=member.pk).exists()


def test_invitation_flow(mailoutbox, django_capture_on_commit_callbacks):
    admin = MembershipFactory(role=Role.ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            organisation=admin.organisation,
            email="Nouvelle@Exemple.fr",
            role=Role.MEMBER,
            actor=admin.user,
        )
    assert invitation.token in mailoutbox[0].body
    stranger = UserFactory(email="autre@exemple.fr")
    with pytest.raises(ValidationError):
        services.invitation_accept(invitation=invitation, user=stranger)
    invited = UserFactory(email="nouvelle@exemple.fr", email_verified_at=None)
    membership = services.invitation_accept(invitation=invitation, user=invited)
    assert membership.role == Role.MEMBER
    invited.refresh_from_db()
    assert invited.email_verified
    with pytest.raises(ValidationError):
        services.invitation_accept(invitation=invitation, user=invited)


def test_only_admins_invite():
    member = MembershipFactory()
    with pytest.raises(PermissionDenied):
        services.invitation_create(
            organisation=member.organisation,
            email="x@exemple.fr",
            role=Role.ADMIN,
            actor=member.user,
        )
    assert not Invitation.objects.exists()


def test_delete_account_erases_personal_data_and_keeps_contributions():
    person = UserFactory(phone="0601020304", bio="Moi", profile_public=True)
    request = MembershipRequestFactory(requester=person)
    services.api_token_create(user=person, name="script")
    services.user_delete(user=person)
    person.refresh_from_db()
    assert person.email.endswith("@invalid.example")
    assert person.phone == "" and person.bio == "" and not person.profile_public
    assert not person.is_active and not person.has_usable_password()
    assert person.display_name == "Compte supprimé"
    assert not person.api_tokens.exists()
    request.refresh_from_db()
    assert request.requester_id == person.pk  # the contribution stays, now anonymous
    assert request.status == MembershipRequestStatus.WITHDRAWN


def test_last_admin_with_colleagues_must_hand_over_before_deleting():
    admin = MembershipFactory(role=Role.ADMIN)
    MembershipFactory(organisation=admin.organisation)
    with pytest.raises(ValidationError, match="dernier administrateur"):
        services.user_delete(user=admin.user)


def test_api_tokens_are_stored_hashed_and_authenticate():
    from quartiers40.members.selectors import api_token_authenticate

    person = UserFactory()
    token, raw = services.api_token_create(user=person, name="import")
    assert raw not in (token.key_hash, token.prefix) and raw.startswith(token.prefix)
    assert api_token_authenticate(raw) == person
    assert api_token_authenticate(raw + "x") is None
    services.api_token_revoke(token=token, actor=person)
    assert api_token_authenticate(raw) is None


def test_organisation_update_validates_siret_and_rna():
    admin = MembershipFactory(role=Role.ADMIN)
    with pytest.raises(ValidationError) as error:
        services.organisation_update(
            organisation=admin.organisation, actor=admin.user, siret="12345678901234"
        )
    assert "siret" in error.value.message_dict
    services.organisation_update(
        organisation=admin.organisation, actor=admin.user, siret="73282932000074", rna="W931234567"
    )
