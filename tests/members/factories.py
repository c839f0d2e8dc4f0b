import factory
from django.utils import timezone

from quartiers40.members.enums import OrganisationKind, OrganisationStatus, Role
from quartiers40.members.models import (
    MembershipRequest,
    Organisation,
    OrganisationMembership,
    User,
)

PASSWORD = "un-mot-de-passe-solide-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    display_name = factory.Faker("name", locale="fr_FR")
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.django.Password(PASSWORD)


class ResidentFactory(UserFactory):
    is_resident = True


class CoordinatorFactory(UserFactory):
    is_coordinator = True
    is_staff = True


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = OrganisationKind.ASSOCIATION
    status = OrganisationStatus.MEMBER
    joined_at = factory.LazyFunction(timezone.now)
    department_code = "93"
    commune_name = "Saint-Denis"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationMembership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.MEMBER


class MembershipRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MembershipRequest

    requester = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(
        OrganisationFactory, status=OrganisationStatus.CANDIDATE, joined_at=None
    )
    message = "Nous aimerions rejoindre le collectif."
