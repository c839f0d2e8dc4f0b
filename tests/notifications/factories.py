import factory
from django.contrib.contenttypes.models import ContentType

from quartiers40.notifications.models import Follow
from tests.members.factories import UserFactory
from tests.territories.factories import QPVFactory


class FollowFactory(factory.django.DjangoModelFactory):
    """A follow of `target` (a QPV by default)."""

    class Meta:
        model = Follow
        exclude = ("target",)

    user = factory.SubFactory(UserFactory)
    target = factory.SubFactory(QPVFactory)
    content_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(o.target))
    object_id = factory.LazyAttribute(lambda o: str(o.target.pk))
