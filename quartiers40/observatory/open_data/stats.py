"""What the catalogue says of each dataset that only its files know: the size of each file
and when what it holds last changed.

Both are read from the exports themselves (no table): each file is built once, measured,
and dropped; the latest value of the dataset's `modified_column` in its JSON rows is its
update date. The figures are kept in the shared cache under the versions of the dataset's
topics (`core.pagecache.cached_fragment`): a write that changes the dataset rebuilds them
at the next reading, and nothing else does. `OPEN_DATA_STATS_SECONDS` (an hour by default)
bounds what changes with time alone.
"""

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings

from quartiers40.core.opendata import TIMESTAMP_FORMAT
from quartiers40.core.pagecache import cached_fragment

from .registry import DATASETS, Dataset

DEFAULT_STATS_SECONDS = 3600


@dataclass(frozen=True)
class DatasetStats:
    modified: datetime | None  # None: the dataset is empty
    sizes: dict[str, int]  # distribution key -> bytes
    rows: int

    @property
    def total_size(self) -> int:
        return sum(self.sizes.values())


def _parse(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.strptime(value, TIMESTAMP_FORMAT).replace(tzinfo=UTC)


def dataset_stats_compute(dataset: Dataset) -> DatasetStats:
    """Build every file of the dataset once: its size, and its rows' latest change."""
    sizes: dict[str, int] = {}
    modified: datetime | None = None
    rows = 0
    for distribution in dataset.distributions:
        body = distribution.build()
        sizes[distribution.key] = len(body.encode("utf-8"))
        if distribution.key == "json":
            items = json.loads(body)
            rows = len(items)
            moments = [_parse(item.get(dataset.modified_column)) for item in items]
            modified = max((moment for moment in moments if moment), default=None)
        del body
    return DatasetStats(modified=modified, sizes=sizes, rows=rows)


def _encode(stats: DatasetStats) -> str:
    return json.dumps(
        {
            "modified": stats.modified.strftime(TIMESTAMP_FORMAT) if stats.modified else None,
            "sizes": stats.sizes,
            "rows": stats.rows,
        }
    )


def _decode(text: str) -> DatasetStats:
    data = json.loads(text)
    return DatasetStats(modified=_parse(data["modified"]), sizes=data["sizes"], rows=data["rows"])


def dataset_stats(dataset: Dataset) -> DatasetStats:
    seconds = getattr(settings, "OPEN_DATA_STATS_SECONDS", DEFAULT_STATS_SECONDS)
    text = cached_fragment(
        f"open-data-stats:{dataset.key}",
        depends=dataset.topics,
        build=lambda: _encode(dataset_stats_compute(dataset)),
        timeout=seconds,
    )
    return _decode(text)


def catalogue_stats() -> dict[str, DatasetStats]:
    return {dataset.key: dataset_stats(dataset) for dataset in DATASETS}
