"""The index follows its sources exactly: documents and term counts (services.py)."""

from collections import Counter
from datetime import UTC

import pytest

from quartiers40.search import services
from quartiers40.search.engine import document_vocabulary
from quartiers40.search.models import SearchDocument, SearchTerm
from quartiers40.search.services import _indexed_of, search_index_rebuild, search_index_sync

from .stub_sources import MemorySource, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def source(monkeypatch):
    memory = MemorySource("project")
    monkeypatch.setattr(services, "kind_sources", lambda: {"project": memory})
    return memory


def _counts_from_scratch() -> dict[str, tuple[int, int]]:
    """What SearchTerm must hold: the sum of every stored document's vocabulary."""
    df, place_df = Counter(), Counter()
    for document in SearchDocument.objects.all():
        for term, (in_text, in_place) in document_vocabulary(_indexed_of(document)).items():
            df[term] += in_text
            place_df[term] += in_place
    return {t: (df[t], place_df[t]) for t in set(df) | set(place_df) if df[t] or place_df[t]}


def _counts_stored() -> dict[str, tuple[int, int]]:
    return {term.term: (term.df, term.place_df) for term in SearchTerm.objects.all()}


def test_sync_creates_updates_and_deletes_with_exact_term_counts(source):
    source.put(record(1, "Atelier numérique pour les seniors", places=("Mérignac",)))
    source.put(record(2, "Aide aux démarches administratives", body="Papiers, CAF, impôts"))
    report = search_index_sync()
    assert sum(report.created.values()) == 2
    assert SearchDocument.objects.count() == 2
    assert _counts_stored() == _counts_from_scratch()

    source.put(record(1, "Atelier informatique pour les jeunes", places=("Pessac",)))
    source.remove(2)
    source.put(record(3, "Formation au code", body="Apprendre à programmer"))
    report = search_index_sync()
    assert (report.updated["project"], report.deleted["project"]) == (1, 1)
    assert report.created["project"] == 1
    assert set(SearchDocument.objects.values_list("object_id", flat=True)) == {1, 3}
    assert _counts_stored() == _counts_from_scratch()
    assert not SearchTerm.objects.filter(df=0, place_df=0).exists()


def test_sync_skips_what_did_not_change(source):
    source.put(record(1, "Atelier numérique"))
    search_index_sync()
    before = SearchDocument.objects.get().indexed_at
    report = search_index_sync()
    assert report.total() == 0
    assert report.unchanged["project"] == 1
    assert SearchDocument.objects.get().indexed_at == before


def test_sync_with_timestamps_reads_only_what_changed(source):
    from datetime import datetime

    stamp = datetime(2026, 1, 1, tzinfo=UTC)
    for pk in range(1, 30):
        source.put(record(pk, f"Projet numéro {pk}"), stamp)
    search_index_sync()
    built = []
    original_build = source.build
    source.build = lambda ids: built.extend(ids) or original_build(ids)
    search_index_sync()
    assert built == []  # nothing changed: no record built again


def test_rebuild_equals_sync(source):
    for pk in range(1, 8):
        source.put(record(pk, f"Atelier {pk}", body="cours d'informatique gratuit"))
    search_index_sync()
    synced = _counts_stored()
    search_index_rebuild()
    assert _counts_stored() == synced == _counts_from_scratch()
