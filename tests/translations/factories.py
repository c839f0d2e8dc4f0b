import factory
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from quartiers40.translations.enums import TranslationSource
from quartiers40.translations.models import ContentTranslation
from tests.projects.factories import PublishedProjectFactory


class ContentTranslationFactory(factory.django.DjangoModelFactory):
    """A reviewed English translation of a published project's title."""

    class Meta:
        model = ContentTranslation
        exclude = ("content",)

    content = factory.SubFactory(PublishedProjectFactory)
    content_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(o.content))
    object_id = factory.LazyAttribute(lambda o: o.content.pk)
    field = "title"
    language = "en"
    text = "An AI project"
    source = TranslationSource.PERSON
    reviewed_at = factory.LazyFunction(timezone.now)
