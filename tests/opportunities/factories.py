import factory
from django.utils import timezone

from quartiers40.opportunities.enums import Cost, HowToGo, OpportunityKind, OpportunityStatus
from quartiers40.opportunities.models import (
    Opportunity,
    OpportunityInterest,
    OpportunityPlace,
    OpportunitySession,
)
from tests.members.factories import OrganisationFactory


class OpportunityFactory(factory.django.DjangoModelFactory):
    """A published opportunity of a member organisation; add places with `PlaceFactory`."""

    class Meta:
        model = Opportunity
        skip_postgeneration_save = True

    kind = OpportunityKind.TRAINING
    title = factory.Sequence(lambda n: f"Formation au numérique {n}")
    slug = factory.Sequence(lambda n: f"formation-au-numerique-{n}")
    summary = "Apprendre à utiliser un ordinateur, pas à pas, en petit groupe."
    description = "Une formation de dix séances pour découvrir l'ordinateur et internet."
    themes = factory.LazyFunction(lambda: ["numerique--maitriser-les-fondamentaux-du-numerique"])
    organisation = factory.SubFactory(OrganisationFactory)
    status = OpportunityStatus.PUBLISHED
    cost = Cost.FREE
    how_to_go = factory.LazyFunction(lambda: [HowToGo.COME])
    last_updated_at = factory.LazyFunction(timezone.now)
    published_at = factory.LazyFunction(timezone.now)


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpportunityPlace

    opportunity = factory.SubFactory(OpportunityFactory)
    name = "Maison de quartier"
    address = "1 rue de la Goutte d'Or"
    postcode = "75018"
    commune_code = "75056"
    commune_name = "Paris"
    longitude = 2.3540
    latitude = 48.8850
    geocoding = "given"


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpportunitySession

    opportunity = factory.SubFactory(OpportunityFactory)
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + timezone.timedelta(days=10))


class InterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpportunityInterest

    opportunity = factory.SubFactory(OpportunityFactory)
    name = "Awa"
    email = factory.Sequence(lambda n: f"interessee{n}@exemple.fr")
