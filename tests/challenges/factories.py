import factory
from django.utils import timezone

from quartiers40.challenges.enums import ChallengeStatus, ModerationState, OfferState, Theme
from quartiers40.challenges.models import (
    Challenge,
    ChallengeComment,
    ChallengeOffer,
    ChallengeSupport,
)
from tests.members.factories import OrganisationFactory, ResidentFactory, UserFactory


class ChallengeFactory(factory.django.DjangoModelFactory):
    """A visible, open défi posted by a resident (private profile), in the Paris 18e."""

    class Meta:
        model = Challenge
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Défi numéro {n} du quartier")
    slug = factory.Sequence(lambda n: f"defi-{n}")
    situation = "Les parents n'arrivent pas à suivre l'école en ligne."
    affected = "Les parents d'élèves du quartier."
    solved_when = "Chaque famille sait se connecter à l'espace de l'école."
    themes = factory.LazyFunction(lambda: [Theme.EDUCATION.value])
    commune_name = "Paris"
    commune_insee = "75056"
    department = "75"
    author = factory.SubFactory(ResidentFactory)
    status = ChallengeStatus.OPEN
    moderation = ModerationState.VISIBLE
    status_changed_at = factory.LazyFunction(timezone.now)


class SupportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChallengeSupport

    challenge = factory.SubFactory(ChallengeFactory)
    user = factory.SubFactory(UserFactory)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChallengeComment

    challenge = factory.SubFactory(ChallengeFactory)
    author = factory.SubFactory(UserFactory)
    body = "Nous avons le même problème à l'école voisine."


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChallengeOffer

    challenge = factory.SubFactory(ChallengeFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    author = factory.SubFactory(UserFactory)
    proposal = "Des ateliers le mercredi, avec nos médiateurs."
    state = OfferState.PENDING
