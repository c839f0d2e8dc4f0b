"""What every app's PUBLIC items look like to the search: one `KindSource` per kind.

Each source reads its app only through that app's selectors and querysets, and gives:
- `stamps()`: (object_id, updated_at) of every public item, one streamed query;
- `build(ids)`: the `SearchSource` records of those of `ids` that are public, in a constant
  number of queries whatever `len(ids)`;
- `topics`: the `core.pagecache` topics whose bump may change its records.

    for source in kind_sources_for_topics(["projects"]):
        records = source.build([id for id, _ in source.stamps()][:500])
"""

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Protocol

from ..enums import DocumentKind
from ..records import SearchSource


class KindSource(Protocol):
    kind: str  # DocumentKind value
    topics: tuple[str, ...]  # core.pagecache topics whose bump may change these records

    def stamps(self) -> Iterator[tuple[int, datetime | None]]:
        """(object_id, updated_at) of every public item; None: no timestamp of its own."""
        ...

    def build(self, ids: Sequence[int]) -> list[SearchSource]:
        """The records of those of `ids` that are public; the others are skipped."""
        ...


def _all_sources() -> list[KindSource]:
    # Imported here: the modules import the other apps' models, not ready at import time.
    from .agenda_items import AgendaItemSource
    from .challenges import ChallengeSource
    from .communes import CommuneSource
    from .editions import EditionSource
    from .minutes import MinutesSource
    from .opportunities import OpportunitySource
    from .organisations import OrganisationSource
    from .projects import ProjectSource
    from .qpvs import QPVSource

    return [
        ProjectSource(),
        ChallengeSource(),
        OpportunitySource(),
        OrganisationSource(),
        EditionSource(),
        AgendaItemSource(),
        MinutesSource(),
        QPVSource(),
        CommuneSource(),
    ]


def kind_sources() -> dict[str, KindSource]:
    """Every kind's source, in `DocumentKind` order."""
    by_kind = {source.kind: source for source in _all_sources()}
    missing = set(DocumentKind.values) - set(by_kind)
    if missing:  # a kind added to the enum without its source
        raise LookupError(f"No search source for: {', '.join(sorted(missing))}")
    return {kind: by_kind[kind] for kind in DocumentKind.values}


def kind_sources_for_topics(topics: Iterable[str]) -> list[KindSource]:
    """The sources whose records may change when one of these topics is bumped."""
    wanted = set(topics)
    return [source for source in kind_sources().values() if wanted & set(source.topics)]


__all__ = ["KindSource", "SearchSource", "kind_sources", "kind_sources_for_topics"]
