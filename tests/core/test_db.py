"""One way to read a row again under lock, one way to make a unique slug."""

import pytest
from django.db import transaction

from quartiers40.core.db import lock_row, unique_slug
from quartiers40.members.models import Organisation
from tests.members.factories import MembershipFactory, OrganisationFactory


@pytest.mark.django_db
def test_lock_row_reads_the_row_again_in_place_with_its_relations(django_assert_num_queries):
    membership = MembershipFactory()
    type(membership).objects.filter(pk=membership.pk).update(role="admin")
    with transaction.atomic(), django_assert_num_queries(1):
        same = lock_row(membership, related=("organisation",))
        assert same is membership and membership.role == "admin"
        assert membership.organisation.name  # read in the same query


@pytest.mark.django_db(transaction=True)
def test_lock_row_needs_a_transaction():
    organisation = OrganisationFactory()
    with pytest.raises(RuntimeError, match="transaction"):
        lock_row(organisation)


@pytest.mark.django_db
def test_unique_slug_numbers_duplicates_and_avoids_reserved_words():
    assert unique_slug(Organisation, "Les Petits Débrouillards", fallback="organisation") == (
        "les-petits-debrouillards"
    )
    OrganisationFactory(slug="les-petits-debrouillards")
    OrganisationFactory(slug="les-petits-debrouillards-2")
    assert unique_slug(Organisation, "Les petits débrouillards", fallback="organisation") == (
        "les-petits-debrouillards-3"
    )
    assert unique_slug(Organisation, "Nouveau", fallback="organisation", reserved={"nouveau"}) == (
        "organisation-nouveau"
    )
    assert unique_slug(Organisation, "!!!", fallback="organisation") == "organisation"
    long = unique_slug(Organisation, "mot " * 200, fallback="organisation")
    assert len(long) <= Organisation._meta.get_field("slug").max_length - 20
