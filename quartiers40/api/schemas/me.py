"""The account behind a token, as its owner sees it."""

from ninja import Field, Schema

from quartiers40.core.links import absolute_url
from quartiers40.members.models import OrganisationMembership

from .common import Choice, choice


class MyOrganisationOut(Schema):
    slug: str
    name: str
    role: Choice = Field(description="Rôle de la personne dans l'organisation.")
    status: Choice = Field(description="Adhésion de l'organisation au collectif.")
    url: str

    @staticmethod
    def from_membership(membership: OrganisationMembership) -> "MyOrganisationOut":
        organisation = membership.organisation
        return MyOrganisationOut(
            slug=organisation.slug,
            name=organisation.name,
            role=choice(membership.role, membership.get_role_display()),
            status=choice(organisation.status, organisation.get_status_display()),
            url=absolute_url(organisation.get_absolute_url()),
        )


class MeOut(Schema):
    id: int
    display_name: str
    email: str
    is_coordinator: bool = Field(description="Membre de l'équipe de coordination.")
    organisations: list[MyOrganisationOut]
