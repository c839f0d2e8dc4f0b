import factory
from django.utils import timezone

from quartiers40.projects.enums import AICategory, Beneficiary, ProjectStatus, Stage, Theme
from quartiers40.projects.models import Project
from tests.members.factories import OrganisationFactory


class ProjectFactory(factory.django.DjangoModelFactory):
    """A draft complete enough to be submitted."""

    class Meta:
        model = Project
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Projet d'IA {n}")
    slug = factory.Sequence(lambda n: f"projet-ia-{n}")
    summary = "Un assistant qui aide les habitants dans leurs démarches."
    easy_read_summary = "Un outil aide les habitants à remplir leurs papiers."
    description = "Un **assistant** conversationnel en plusieurs langues."
    problem = "Les démarches en ligne sont difficiles pour beaucoup d'habitants."
    beneficiaries = factory.LazyFunction(lambda: [Beneficiary.RESIDENTS.value])
    ai_category = AICategory.LANGUAGE
    ai_description = "Un programme qui comprend les questions écrites et y répond."
    data_used = "Les questions posées, sans nom ni adresse."
    stage = Stage.PILOT
    departments = factory.LazyFunction(lambda: ["93"])
    themes = factory.LazyFunction(lambda: [Theme.PUBLIC_SERVICES.value])
    carrier = factory.SubFactory(OrganisationFactory)
    status = ProjectStatus.DRAFT
    last_updated_at = factory.LazyFunction(timezone.now)


class PublishedProjectFactory(ProjectFactory):
    status = ProjectStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
