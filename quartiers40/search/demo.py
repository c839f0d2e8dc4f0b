"""The demo's search index: built once every app has loaded its demo data."""

import random

from .models import SearchDocument, SearchTerm
from .services import search_index_rebuild


def load(*, rng: random.Random) -> dict[str, int]:
    report = search_index_rebuild()
    return {"documents": sum(report.created.values())}


def reset() -> None:
    SearchDocument.objects.all().delete()
    SearchTerm.objects.all().delete()
