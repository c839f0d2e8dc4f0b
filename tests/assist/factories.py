import factory
from django.utils import timezone

from quartiers40.assist.enums import DraftPurpose
from quartiers40.assist.models import AIDraft
from tests.members.factories import UserFactory


class AIDraftFactory(factory.django.DjangoModelFactory):
    """A pending draft (accept it with `ai_draft_accept`, or pass `target` and `reviewed_*`)."""

    class Meta:
        model = AIDraft

    purpose = DraftPurpose.SUMMARY
    model_name = "albert-large"
    text = "Un atelier pour apprendre l'IA, près de chez vous."
    requested_by = factory.SubFactory(UserFactory)
    drafted_at = factory.LazyFunction(timezone.now)
